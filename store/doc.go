// Package store keeps netauto's run history in a SQLite file: sites,
// devices, runs and every byte of their output, in chunks.
//
// One Store is one process's handle on the file. Writes (new runs, status
// changes, output chunks) go through a single writer goroutine that gathers
// whatever is queued into one transaction (group commit), so output is
// written at batched-insert speed and a run's end is committed after every
// chunk handed over before it. Reads use a separate pool of connections and
// never wait for the writer (WAL).
//
// Several processes may share one file. Each Store registers its process as
// an owner and holds an advisory lock while open; at Open, the unfinished
// runs of owners whose lock is free (the process is gone) become error /
// interrupted. A live process's runs are never touched.
package store
