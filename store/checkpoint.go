package store

import (
	"context"
	"database/sql"
)

// WAL checkpoints run beside the writer, not inside its commits.
//
// SQLite's default is an automatic checkpoint inside the commit that takes
// the WAL past 1000 pages: that commit copies the pages back into the
// database file and waits for two fsyncs, and a long stream of output
// stops meanwhile (on disk, a third of a 500 MB stream's time). Here a
// checkpointer goroutine, on a connection of its own, runs a PASSIVE
// checkpoint each time about checkpointEvery bytes have been committed;
// it never blocks the writer, which goes on appending to the WAL.
//
// A PASSIVE checkpoint lets the WAL start over from its beginning only
// when it has copied every frame before the writer's next transaction, so
// the automatic checkpoint stays on as a backstop at walAutoPages pages
// (the pages left to copy by then are few), and journal_size_limit cuts
// the file back when it has grown past walLimitBytes. Durability is
// unchanged: commits are the same (WAL, synchronous=NORMAL), and every
// checkpoint still syncs the WAL before copying and the database after.
const (
	// checkpointEvery is the committed output after which the
	// checkpointer runs.
	checkpointEvery = 4 << 20
	// walAutoPages is the WAL size, in pages, at which a committing
	// connection checkpoints itself (64 MiB with the 16 KiB pages of a
	// new database, 16 MiB with the 4 KiB pages of an older one).
	walAutoPages = 4096
	// walLimitBytes is the size the WAL file is cut back to when it
	// starts over.
	walLimitBytes = 64 << 20
	// checkpointPasses bounds the passes of one wake-up: the writer may
	// commit more while a pass runs.
	checkpointPasses = 4
)

// checkpointer is the goroutine that checkpoints the WAL.
type checkpointer struct {
	db      *sql.DB
	wake    chan struct{}
	done    chan struct{}
	pending int64 // bytes committed since the last wake-up; writer goroutine only
}

// startCheckpointer opens the checkpointer's connection and starts it.
func startCheckpointer(path string, o Options) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn(path, o, connWriter))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	c := &checkpointer{db: db, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go c.loop()
	return c, nil
}

// committed counts a committed batch and wakes the checkpointer once
// checkpointEvery bytes have gone into the WAL since its last run. Each op
// counts at least 512 bytes (its share of pages). Called by the writer
// goroutine; c may be nil.
func (c *checkpointer) committed(batch []op) {
	if c == nil {
		return
	}
	for i := range batch {
		c.pending += int64(max(len(batch[i].data), 512))
	}
	if c.pending < checkpointEvery {
		return
	}
	c.pending = 0
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// loop checkpoints on each wake-up until the WAL is copied (or another
// connection holds the checkpoint lock) or checkpointPasses have run. A
// failed checkpoint is left to the next one: the data is safe in the WAL.
func (c *checkpointer) loop() {
	runInBackground()
	defer close(c.done)
	ctx := context.Background()
	for range c.wake {
		for range checkpointPasses {
			var busy, log, copied int
			err := c.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &copied)
			if err != nil || busy != 0 || copied >= log {
				break
			}
		}
	}
}

// close stops the goroutine and closes its connection; c may be nil.
func (c *checkpointer) close() error {
	if c == nil {
		return nil
	}
	close(c.wake)
	<-c.done
	return c.db.Close()
}
