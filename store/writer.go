package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// op is one unit of work for the writer goroutine. A chunk has neither fn
// nor done; a flush marker has only done; a synchronous op has both. fn
// may run twice (a failed batch is retried op by op), so it must set its
// results afresh each time.
type op struct {
	runID, seq int64
	data       []byte
	at         int64
	fn         func(w *wtx) error
	raw        func(c *sql.Conn) error // run outside any transaction (see exclusive)
	done       chan error
}

func (o *op) isChunk() bool { return o.fn == nil && o.done == nil }

// wtx is the writer's open transaction with its prepared statements
// (prepared on first use, closed with the transaction).
type wtx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	chunk *sql.Stmt
	bytes map[int64]int64 // chunk bytes per run not yet added to runs.bytes
}

// exec runs one statement of the writer's set.
func (w *wtx) exec(query string, args ...any) (sql.Result, error) {
	st, ok := w.stmts[query]
	if !ok {
		var err error
		if st, err = w.tx.Prepare(query); err != nil {
			return nil, err
		}
		w.stmts[query] = st
	}
	return st.Exec(args...)
}

// insertChunk stores one chunk and counts its bytes.
func (w *wtx) insertChunk(o *op) error {
	if w.chunk == nil {
		st, err := w.tx.Prepare(`INSERT INTO run_chunks (run_id, seq, data, at) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		w.chunk = st
	}
	if _, err := w.chunk.Exec(o.runID, o.seq, o.data, o.at); err != nil {
		return fmt.Errorf("chunk %d of run %d: %w", o.seq, o.runID, err)
	}
	w.bytes[o.runID] += int64(len(o.data))
	return nil
}

// addBytes adds the counted chunk bytes to runs.bytes. It runs before any
// other op and at the end, so runs.bytes follows the order of the ops.
func (w *wtx) addBytes() error {
	for id, n := range w.bytes {
		if _, err := w.exec(`UPDATE runs SET bytes = bytes + ? WHERE id = ?`, n, id); err != nil {
			return err
		}
	}
	clear(w.bytes)
	return nil
}

// enqueue hands o to the writer. A chunk waits while the queue is full
// (backpressure); other ops never wait for room. n is the chunk's size.
func (s *Store) enqueue(o op, n int) error {
	if s.opts.ReadOnly {
		return ErrReadOnly
	}
	s.mu.Lock()
	if o.isChunk() {
		for !s.closed && len(s.queue) > 0 &&
			(s.qChunks >= s.opts.queueRows() || s.qBytes+n > s.opts.queueBytes()) {
			s.room.Wait()
		}
	}
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	if err := s.lost[o.runID]; err != nil && o.isChunk() {
		s.mu.Unlock()
		return fmt.Errorf("%w: %w", ErrChunkLost, err)
	}
	wasEmpty := len(s.queue) == 0
	if wasEmpty {
		s.firstAt = time.Now()
	}
	s.queue = append(s.queue, o)
	if o.isChunk() {
		s.qChunks++
		s.qBytes += n
	}
	if o.done != nil || s.qChunks >= s.opts.FlushRows || s.qBytes >= s.opts.FlushBytes {
		s.urgent = true
	}
	signal := wasEmpty || s.urgent
	s.mu.Unlock()
	if signal {
		s.signal()
	}
	return nil
}

// signal wakes the writer; a pending wake-up is never lost (buffer of 1).
func (s *Store) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// do runs fn in the writer's next transaction and waits for its commit.
func (s *Store) do(ctx context.Context, fn func(w *wtx) error) error {
	return s.submit(ctx, op{fn: fn})
}

// submit queues o with a waiter and waits for its batch to commit. If ctx
// ends first, submit returns ctx.Err(); o may still commit later.
func (s *Store) submit(ctx context.Context, o op) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	o.done = make(chan error, 1)
	if err := s.enqueue(o, 0); err != nil {
		return err
	}
	select {
	case err := <-o.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writeLoop is the writer goroutine: it waits until a batch is due (an op
// someone waits for, a size threshold, or FlushInterval after the oldest
// queued chunk), takes everything queued, and commits it as one
// transaction. After Close it drains the queue and returns.
func (s *Store) writeLoop() {
	runInBackground()
	defer close(s.writerDone)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var spare []op
	for {
		s.mu.Lock()
		n, urgent, closed, first := len(s.queue), s.urgent, s.closed, s.firstAt
		s.mu.Unlock()
		if n == 0 {
			if closed {
				return
			}
			<-s.wake
			continue
		}
		if !urgent && !closed {
			if d := time.Until(first.Add(s.opts.FlushInterval)); d > 0 {
				timer.Reset(d)
				select {
				case <-s.wake:
					timer.Stop()
					continue
				case <-timer.C:
				}
			}
		}
		s.mu.Lock()
		batch := s.queue
		s.queue = spare[:0]
		s.qChunks, s.qBytes, s.urgent = 0, 0, false
		s.committing = true
		s.room.Broadcast()
		s.mu.Unlock()

		s.commit(batch)
		s.ckpt.committed(batch)
		runs := chunkRuns(batch)
		s.mu.Lock()
		s.committing = false
		if len(runs) > 0 {
			s.lastChunks = time.Now()
		}
		s.mu.Unlock()
		s.markIndex(runs...)
		clear(batch) // let the chunks' data go
		spare = batch
	}
}

// commit writes batch and acknowledges its ops: the ops up to a raw one
// (see exclusive) in one transaction, the raw one alone, and so on. When
// the transaction fails for a reason other than a lock, the ops are
// retried one per transaction, so that one bad op (a chunk of an unknown
// run, a duplicate seq) fails alone and the rest are kept.
func (s *Store) commit(batch []op) {
	for {
		i := slices.IndexFunc(batch, func(o op) bool { return o.raw != nil })
		if i < 0 {
			break
		}
		if i > 0 {
			s.commitTx(batch[:i])
		}
		s.txMu.Lock()
		err := batch[i].raw(s.wconn)
		s.txMu.Unlock()
		batch[i].done <- err
		batch = batch[i+1:]
	}
	if len(batch) > 0 {
		s.commitTx(batch)
	}
}

// commitTx commits ops (none of them raw) in one transaction; see commit.
func (s *Store) commitTx(batch []op) {
	err := s.runBatch(batch)
	if isBusy(err) {
		err = fmt.Errorf("history database %s: %w: %w", s.path, ErrLocked, err)
	} else if err != nil && len(batch) > 1 {
		for i := range batch {
			s.ack(batch[i:i+1], s.runBatch(batch[i:i+1]))
		}
		return
	}
	s.ack(batch, err)
}

// runBatch executes ops in one transaction.
func (s *Store) runBatch(ops []op) (err error) {
	s.txMu.Lock()
	defer s.txMu.Unlock()
	tx, err := s.wconn.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	w := &wtx{tx: tx, stmts: map[string]*sql.Stmt{}, bytes: map[int64]int64{}}
	for i := range ops {
		o := &ops[i]
		switch {
		case o.isChunk():
			if err := w.insertChunk(o); err != nil {
				return err
			}
		case o.fn != nil:
			if err := w.addBytes(); err != nil {
				return err
			}
			if err := o.fn(w); err != nil {
				return err
			}
		}
	}
	if err := w.addBytes(); err != nil {
		return err
	}
	return tx.Commit()
}

// ack tells each op's waiter how its batch ended. A failed chunk has no
// waiter: its error is kept for the next Flush (and Close), and its run
// is marked lost, so that the run's next AppendChunk fails.
func (s *Store) ack(ops []op, err error) {
	for i := range ops {
		o := &ops[i]
		switch {
		case o.isChunk():
			if err != nil {
				s.mu.Lock()
				if s.chunkErr == nil {
					s.chunkErr = err
				}
				if s.lost == nil {
					s.lost = map[int64]error{}
				}
				if s.lost[o.runID] == nil {
					s.lost[o.runID] = err
				}
				s.mu.Unlock()
			}
		case o.fn == nil: // flush marker
			e := err
			s.mu.Lock()
			if e == nil {
				e = s.chunkErr
			}
			s.chunkErr = nil
			s.mu.Unlock()
			o.done <- e
		default:
			o.done <- err
		}
	}
}

// chunkRuns returns the distinct runs that have chunks in batch, for the
// search indexer.
func chunkRuns(batch []op) []int64 {
	var ids []int64
	last := int64(0)
	for i := range batch {
		if o := &batch[i]; o.isChunk() && o.runID != last {
			last = o.runID
			if !slices.Contains(ids, last) {
				ids = append(ids, last)
			}
		}
	}
	return ids
}
