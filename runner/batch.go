package runner

import "fmt"

// maxRememberedBatches bounds how many batches with auth failures are
// remembered after their last run ended.
const maxRememberedBatches = 1024

// batchState counts one batch's live runs and auth failures.
type batchState struct {
	live         int
	authFailures int
}

// batches tracks the auth-failure rule per batch; guarded by Supervisor.mu.
// A batch is kept while it has live runs, and afterwards only if it has
// failures, in a bounded FIFO, so that a late run of a stopped batch is
// still refused.
type batches struct {
	m       map[string]*batchState
	retired []string // batches with no live run but failures, oldest first
}

// join records a new live run of batch id and returns its state.
func (b *batches) join(id string) *batchState {
	st, ok := b.m[id]
	if !ok {
		st = &batchState{}
		b.m[id] = st
	}
	st.live++
	return st
}

// leave records the end of a live run of batch id.
func (b *batches) leave(id string) {
	st := b.m[id]
	st.live--
	if st.live > 0 {
		return
	}
	if st.authFailures == 0 {
		delete(b.m, id)
		return
	}
	b.retired = append(b.retired, id)
	for len(b.retired) > maxRememberedBatches {
		old := b.retired[0]
		b.retired = b.retired[1:]
		if s, ok := b.m[old]; ok && s.live == 0 {
			delete(b.m, old)
		}
	}
}

// batchStopReason is the reason of a run refused by the batch auth rule.
func batchStopReason(limit int) string {
	return fmt.Sprintf("auth: batch stopped after %d failures", limit)
}

// stopped reports whether st has reached the auth-failure limit.
func (s *Supervisor) stopped(st *batchState) bool {
	limit := s.cfg.authLimit()
	return limit > 0 && st.authFailures >= limit
}

// recordAuthFailure counts an auth failure for batch id and, when that
// reaches the limit, stops the batch's runs that have not opened a session.
// Call with s.mu held.
func (s *Supervisor) recordAuthFailureLocked(id string) {
	st := s.batches.m[id]
	st.authFailures++
	if !s.stopped(st) {
		return
	}
	reason := batchStopReason(s.cfg.authLimit())
	for _, r := range s.live {
		if r.info.BatchID == id && r.phase != phaseSession {
			s.cancelLocked(r, reason)
		}
	}
}
