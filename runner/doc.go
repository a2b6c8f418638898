// Package runner is the supervisor: it turns a Request into a run that is
// recorded in the store, admitted by quota, executed by an adapter in its own
// goroutine, published to subscribers, and finished with a status and a
// reason whose first word is its class (see DESIGN.md, "A run, end to end").
//
// A run outlives the call that started it: Execute uses the caller's context
// only for creating the run row (and, for a fast-fail launch, for nothing
// else); the run itself lives under the supervisor's context and ends when
// its adapter returns, when it is cancelled (Cancel, CancelAll) or when the
// supervisor shuts down.
package runner
