package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"

	"netauto/sanitize"
)

// The search index is built behind the writer, never inside its
// transactions, so that indexing does not slow the output path:
//
//   - The writer only marks the runs whose chunks (or end) it committed.
//   - An indexer goroutine, on its own connection, reads the committed
//     chunks of marked runs from each run's high-water mark
//     (search_progress.seq), splits them into lines at newlines, sanitizes
//     them as every display path does, and stores them in blocks of whole
//     lines (search_docs), each block also inserted into search_fts by
//     the indexer (not by a trigger: see schema step 3). The
//     raw bytes after a run's last newline wait in search_progress.carry
//     until their line ends or the run does, so a line split across
//     chunks is indexed whole. Blocks, progress and the FTS rows commit in
//     one transaction: a crash loses no index entry and makes none twice.
//   - It yields to the writer: while the writer has work queued or is
//     committing, the indexer waits (at most indexMaxWait), so a burst of
//     output is stored at full speed and indexed once it eases.
//   - At start (and by CatchUpIndex) it looks for runs whose progress is
//     behind their stored bytes: output of a process that died, or a
//     database from before the index existed, is indexed then.
//
// Line numbers are those of the sanitized output as the console and
// `netauto show` print it, except after an escape string that holds a
// newline or a line longer than indexMaxCarry raw bytes, where they can be
// off by one.

const (
	// indexBudget is the raw output one indexing transaction reads at
	// most; the writer waits while one runs, so they are kept short.
	indexBudget = 256 << 10
	// indexMaxCarry is the longest unfinished line held back; a longer one
	// is indexed as it stands.
	indexMaxCarry = 256 << 10
	// indexDocBytes is the most text a block of lines holds (a longer line
	// is a block of its own). Two blocks and their cells fit in one page of
	// a new database (pageSize); blocks of just over 8 KiB took a page
	// each, half of it empty.
	indexDocBytes = 8000
	// indexMaxWait is the longest the indexer defers to a busy writer.
	indexMaxWait = time.Second
	// indexPoll is how often the indexer looks whether the writer is idle.
	indexPoll = 5 * time.Millisecond
)

// indexer is the search indexer's state.
type indexer struct {
	db     *sql.DB // its own write connection
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	buf []byte // indexRun's read buffer, kept between passes (under Store.txMu)

	mu    sync.Mutex
	dirty map[int64]struct{}
	err   error // the last pass's failure, nil once one succeeds
	wake  chan struct{}
}

// openIndexer opens the indexer's connection; start runs its goroutine.
func (s *Store) openIndexer() error {
	db, err := sql.Open("sqlite", dsn(s.path, s.opts, connWriter))
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	s.ix = newIndexer(db)
	if s.opts.NoIndex {
		close(s.ix.done)
		return nil
	}
	go s.indexLoop()
	return nil
}

// newIndexer is the indexer's state on db, its goroutine not started.
func newIndexer(db *sql.DB) *indexer {
	ctx, cancel := context.WithCancel(context.Background())
	return &indexer{db: db, ctx: ctx, cancel: cancel, done: make(chan struct{}),
		dirty: map[int64]struct{}{}, wake: make(chan struct{}, 1)}
}

// closeIndexer stops the goroutine (an unfinished pass rolls back) and
// closes its connection.
func (s *Store) closeIndexer() error {
	if s.ix == nil {
		return nil
	}
	s.ix.cancel()
	<-s.ix.done
	return s.ix.db.Close()
}

// markIndex tells the indexer that runs got new output or ended.
func (s *Store) markIndex(ids ...int64) {
	ix := s.ix
	if ix == nil || len(ids) == 0 {
		return
	}
	ix.mu.Lock()
	for _, id := range ids {
		ix.dirty[id] = struct{}{}
	}
	ix.mu.Unlock()
	select {
	case ix.wake <- struct{}{}:
	default:
	}
}

// takeDirty returns the marked runs and clears the marks.
func (ix *indexer) takeDirty() []int64 {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	out := make([]int64, 0, len(ix.dirty))
	for id := range ix.dirty {
		out = append(out, id)
	}
	clear(ix.dirty)
	return out
}

// writerBusy reports whether the writer has work queued or is committing.
func (s *Store) writerBusy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue) > 0 || s.committing || time.Since(s.lastChunks) < 100*time.Millisecond
}

// indexLoop is the indexer goroutine.
func (s *Store) indexLoop() {
	runInBackground()
	ix := s.ix
	defer close(ix.done)
	pending, err := s.unindexedRuns(ix.ctx)
	ix.setErr(err)
	for {
		if len(pending) == 0 {
			select {
			case <-ix.ctx.Done():
				return
			case <-ix.wake:
			}
			pending = ix.takeDirty()
			continue
		}
		deadline := time.Now().Add(indexMaxWait)
		for s.writerBusy() && time.Now().Before(deadline) {
			select {
			case <-ix.ctx.Done():
				return
			case <-time.After(indexPoll):
			}
		}
		more, err := s.indexRuns(ix.ctx, pending)
		if ix.ctx.Err() != nil {
			return
		}
		ix.setErr(err)
		if err != nil {
			more = pending // try again after a pause (a lock held elsewhere)
			select {
			case <-ix.ctx.Done():
				return
			case <-time.After(indexMaxWait):
			}
		}
		pending = mergeIDs(more, ix.takeDirty())
	}
}

// setErr records the outcome of an indexing pass.
func (ix *indexer) setErr(err error) {
	ix.mu.Lock()
	ix.err = err
	ix.mu.Unlock()
}

// mergeIDs appends the ids of b not in a.
func mergeIDs(a, b []int64) []int64 {
	if len(b) == 0 {
		return a
	}
	seen := make(map[int64]bool, len(a))
	for _, id := range a {
		seen[id] = true
	}
	for _, id := range b {
		if !seen[id] {
			a = append(a, id)
		}
	}
	return a
}

// unindexedRuns lists the runs whose stored output is not all indexed.
func (s *Store) unindexedRuns(ctx context.Context) ([]int64, error) {
	rows, err := s.ix.db.QueryContext(ctx, `SELECT r.id FROM runs r LEFT JOIN search_progress p ON p.run_id = r.id
		WHERE (p.run_id IS NULL AND r.bytes > 0)
		   OR (p.done = 0 AND (r.bytes > p.bytes OR r.status IN ('ok', 'error')))
		ORDER BY r.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// CatchUpIndex indexes every output committed so far that the search
// index lacks, and returns when it is done or ctx ends. Searches after it
// see all of it. It does not wait for chunks still queued for the writer
// (Flush first for those). A read-only Store cannot index: ErrReadOnly.
func (s *Store) CatchUpIndex(ctx context.Context) error {
	if s.ix == nil {
		return ErrClosed
	}
	if s.opts.ReadOnly {
		return ErrReadOnly
	}
	ids, err := s.unindexedRuns(ctx)
	for err == nil && len(ids) > 0 {
		ids, err = s.indexRuns(ctx, ids)
	}
	return err
}

// IndexBacklog returns how many runs have output the search index does
// not hold yet, and the error of the indexer's last pass (nil when it
// succeeded).
func (s *Store) IndexBacklog(ctx context.Context) (int, error) {
	if s.ix == nil {
		return 0, ErrClosed
	}
	ids, err := s.unindexedRuns(ctx)
	if err != nil {
		return 0, err
	}
	s.ix.mu.Lock()
	last := s.ix.err
	s.ix.mu.Unlock()
	return len(ids), last
}

// indexRuns indexes the runs ids in one transaction, reading at most
// indexBudget bytes of output, and returns the runs not done with (the
// rest of ids, and any run that has more output than the budget allowed).
func (s *Store) indexRuns(ctx context.Context, ids []int64) (more []int64, err error) {
	s.txMu.Lock()
	defer s.txMu.Unlock()
	conn, err := s.ix.db.Conn(ctx)
	if err != nil {
		return ids, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE
	if err != nil {
		return ids, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	w := &indexTx{tx: tx, buf: s.ix.buf}
	defer func() {
		if cap(w.buf) <= 4*indexBudget { // not one grown by a huge chunk
			s.ix.buf = w.buf
		}
		w.close()
	}()
	used := 0
	for i, id := range ids {
		if used >= indexBudget {
			more = append(more, ids[i:]...)
			break
		}
		n, complete, err := w.indexRun(ctx, id, indexBudget-used)
		if err != nil {
			return ids, err
		}
		used += n
		if !complete {
			more = append(more, id)
		}
	}
	if err := tx.Commit(); err != nil {
		return ids, err
	}
	return more, nil
}

// indexTx is one indexing transaction with its prepared statements.
type indexTx struct {
	tx       *sql.Tx
	insert   *sql.Stmt
	fts      *sql.Stmt
	progress *sql.Stmt
	buf      []byte // the raw output read, reused run after run
}

func (w *indexTx) close() {
	for _, st := range []*sql.Stmt{w.insert, w.fts, w.progress} {
		if st != nil {
			st.Close()
		}
	}
}

// runProgress is a run's row of search_progress.
type runProgress struct {
	seq, bytes, line int64
	carry            []byte
	done             bool
}

// indexRun indexes up to budget bytes of run id's unindexed output and
// reports how much it read and whether the run is now fully indexed (as
// far as its stored output goes).
func (w *indexTx) indexRun(ctx context.Context, id int64, budget int) (used int, complete bool, err error) {
	// The run's status and its progress (zero when it has none yet) in
	// one query.
	var p runProgress
	var status Status
	err = w.tx.QueryRowContext(ctx, `SELECT r.status, coalesce(p.seq, 0), coalesce(p.bytes, 0), coalesce(p.line, 0), p.carry, coalesce(p.done, 0)
		FROM runs r LEFT JOIN search_progress p ON p.run_id = r.id WHERE r.id = ?`, id).
		Scan(&status, &p.seq, &p.bytes, &p.line, &p.carry, &p.done)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, true, nil // pruned meanwhile
	}
	if err != nil {
		return 0, false, err
	}
	if p.done {
		return 0, true, nil
	}
	rows, err := w.tx.QueryContext(ctx, `SELECT seq, data FROM run_chunks WHERE run_id = ? AND seq > ? ORDER BY seq`, id, p.seq)
	if err != nil {
		return 0, false, err
	}
	buf := append(w.buf[:0], p.carry...)
	exhausted := true
	for rows.Next() {
		if used >= budget {
			exhausted = false
			break
		}
		var seq int64
		var data sql.RawBytes
		if err := rows.Scan(&seq, &data); err != nil {
			rows.Close()
			return 0, false, err
		}
		buf = append(buf, data...)
		p.seq, p.bytes = seq, p.bytes+int64(len(data))
		used += len(data)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, false, err
	}
	ended := status.Finished() && exhausted
	var whole []byte
	switch cut := bytes.LastIndexByte(buf, '\n'); {
	case ended || len(buf)-(cut+1) > indexMaxCarry:
		whole, p.carry = buf, nil
	default:
		whole, p.carry = buf[:cut+1], buf[cut+1:]
	}
	if len(whole) > 0 {
		if p.line, err = w.addLines(ctx, id, p.line, whole, p.carry == nil); err != nil {
			return 0, false, err
		}
	}
	p.done = ended
	if p.carry == nil {
		p.carry = []byte{}
	}
	if w.progress == nil {
		if w.progress, err = w.tx.PrepareContext(ctx, `INSERT INTO search_progress (run_id, seq, bytes, line, carry, done)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET
			seq = excluded.seq, bytes = excluded.bytes, line = excluded.line, carry = excluded.carry, done = excluded.done`); err != nil {
			return 0, false, err
		}
	}
	if _, err := w.progress.ExecContext(ctx, id, p.seq, p.bytes, p.line, p.carry, p.done); err != nil {
		return 0, false, err
	}
	w.buf = buf[:0] // whole and carry are stored: the next run may reuse it
	return used, exhausted, nil
}

// insertBlock stores text, the block of run id's lines from line first,
// and adds it to the full-text index.
func (w *indexTx) insertBlock(ctx context.Context, id, first int64, text string) error {
	if w.insert == nil {
		var err error
		if w.insert, err = w.tx.PrepareContext(ctx,
			`INSERT INTO search_docs (run_id, first_line, text) VALUES (?, ?, ?)`); err != nil {
			return err
		}
		if w.fts, err = w.tx.PrepareContext(ctx, `INSERT INTO search_fts (rowid, text) VALUES (?, ?)`); err != nil {
			return err
		}
	}
	res, err := w.insert.ExecContext(ctx, id, first, text)
	if err != nil {
		return err
	}
	doc, err := res.LastInsertId()
	if err != nil {
		return err
	}
	_, err = w.fts.ExecContext(ctx, doc, text)
	return err
}

// addLines sanitizes raw (whole lines, or the rest of a run when flush)
// into lines numbered from line, stores them in blocks, and returns the
// next line's number.
func (w *indexTx) addLines(ctx context.Context, id, line int64, raw []byte, flush bool) (int64, error) {
	var (
		block strings.Builder
		n     int // lines in block
		first = line
		err   error
	)
	store := func() {
		if err != nil || n == 0 {
			return
		}
		text := block.String()
		block.Reset()
		n = 0
		if strings.TrimSpace(text) == "" {
			return
		}
		err = w.insertBlock(ctx, id, first, text)
	}
	emit := func(l []byte) {
		if n > 0 && block.Len()+1+len(l) > indexDocBytes {
			store()
		}
		if n > 0 {
			block.WriteByte('\n')
		} else {
			first = line
			// Room for a whole block, or for all of raw when that is
			// less, so that it is not grown by doubling.
			block.Grow(min(indexDocBytes, len(raw)+1))
		}
		block.Write(l)
		n++
		line++
		if block.Len() >= indexDocBytes {
			store()
		}
	}
	var st sanitize.Stream
	st.FeedBytes(raw, emit)
	if flush {
		st.FlushBytes(emit)
	}
	store()
	return line, err
}
