package store

// The store's own goroutines (the writer, the checkpointer and the search
// indexer) run at a lower CPU priority than the rest of the process.
//
// While many runs stream at full speed, committing their output, copying
// the WAL back and indexing it take about half of the console's CPU time,
// and the machine's CPUs are all busy. The console's key handling and
// drawing then wait behind them for a CPU. Work that is only storing can
// wait a few milliseconds instead: on Linux each of these goroutines is
// locked to an OS thread of its own whose nice value is backgroundNice
// above the process's. When nothing else wants the CPU they run as fast as
// before, and nothing is dropped for it: a writer that falls behind holds
// producers back at the queue's bounds (see writer.go), as a slow disk
// does.
//
// Measured with the console speed test (docs/BENCHMARKS.md): key-to-frame
// while 100 runs stream, p50 16-20 ms before and 12-15 ms after, p99
// 74-103 ms before and 52-77 ms after, batch time within the noise.

// backgroundNice is how much lower the store's goroutines' priority is.
const backgroundNice = 10
