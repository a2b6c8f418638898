package runner

import (
	"sync"
	"time"

	"netauto/store"
)

// EventKind says what an Event reports.
type EventKind int

// The kinds of events sent to subscribers.
const (
	// Started: a run was admitted and is about to call its adapter
	// (Event.Live is set).
	Started EventKind = iota + 1
	// Output: a chunk of a run's output (Event.Seq, Data, Bytes).
	Output
	// Finished: a run ended and its final state is stored (Event.Run). A run
	// refused by quota, or cancelled while queued, gets Finished without
	// Started.
	Finished
)

// String returns the kind's name.
func (k EventKind) String() string {
	switch k {
	case Started:
		return "started"
	case Output:
		return "output"
	case Finished:
		return "finished"
	}
	return "unknown"
}

// minOutputBacklog is the least number of output events a subscriber may
// have waiting before further output events are dropped.
const minOutputBacklog = 64

// maxOutputBacklogBytes bounds the output bytes a subscriber may have
// waiting in its queue, whatever its buffer: with 32 KB chunks, a backlog
// of 4096 events held 128 MB per lagging subscriber (100 runs streaming at
// full speed into `netauto run`).
const maxOutputBacklogBytes = 8 << 20

// maxChannelBuffer caps a subscriber's channel capacity; the rest of its
// buffer waits in its queue, where the bytes are counted.
const maxChannelBuffer = 64

// Event is one thing that happened to a run.
type Event struct {
	// Kind says what happened.
	Kind EventKind
	// RunID is the run it happened to.
	RunID int64
	// Seq is the chunk's sequence number (Output), from 1.
	Seq int64
	// Data is the chunk (Output). It is shared with the store and other
	// subscribers: read it, never modify it.
	Data []byte
	// Bytes is the run's output size so far (Output) or in all (Finished).
	Bytes int64
	// Dropped counts this run's output events this subscriber missed just
	// before this one because it lagged; when non-zero, reload the run's
	// output from the store.
	Dropped int
	// Live describes the run (Started).
	Live LiveRun
	// Run is the run's final state (Finished).
	Run store.Run
}

// Subscribe returns a channel of events for every run from now on and a
// function that ends the subscription (and closes the channel); it is safe
// to call more than once. buffer is the channel's capacity, up to 64.
//
// A subscriber never slows a run: events are queued per subscriber and
// delivered by the subscriber's own goroutine. Started and Finished events
// are never dropped. When more than max(buffer, 64) output events, or 8 MB
// of output, wait undelivered, further output events are dropped and the
// next delivered event of that run carries the Dropped count.
func (s *Supervisor) Subscribe(buffer int) (<-chan Event, func()) {
	return s.subscribe(buffer, 0)
}

// SubscribeEvery is Subscribe for a consumer that acts at most once per
// every (a console drawing frames): once the subscriber's goroutine has
// sent what was queued, it rests every before it looks again, so a stream
// of output wakes it about once per every instead of once per event.
// Events wait up to every longer; none is dropped for it beyond
// Subscribe's bounds. Ending the subscription, or the supervisor closing
// it, cuts a rest short.
func (s *Supervisor) SubscribeEvery(buffer int, every time.Duration) (<-chan Event, func()) {
	return s.subscribe(buffer, max(every, 0))
}

// subscribe starts a subscriber that rests every after each burst (none
// when zero).
func (s *Supervisor) subscribe(buffer int, every time.Duration) (<-chan Event, func()) {
	if buffer < 0 {
		buffer = 0
	}
	sub := &subscriber{
		every:     every,
		out:       make(chan Event, min(buffer, maxChannelBuffer)),
		wake:      make(chan struct{}, 1),
		quit:      make(chan struct{}),
		exited:    make(chan struct{}),
		maxOutput: max(buffer, minOutputBacklog),
		dropped:   make(map[int64]int),
	}
	s.subMu.Lock()
	if s.subsClosed {
		s.subMu.Unlock()
		close(sub.out)
		return sub.out, func() {}
	}
	s.subs[sub] = struct{}{}
	s.subMu.Unlock()
	go sub.deliver()
	return sub.out, func() {
		s.subMu.Lock()
		delete(s.subs, sub)
		s.subMu.Unlock()
		sub.stop()
	}
}

// publish queues ev for every subscriber; it never blocks on one.
func (s *Supervisor) publish(ev Event) {
	s.subMu.RLock()
	for sub := range s.subs {
		sub.push(ev)
	}
	s.subMu.RUnlock()
}

// closeSubscribers ends every subscription after its queued events are
// delivered, or at once when done is closed first.
func (s *Supervisor) closeSubscribers(done <-chan struct{}) {
	s.subMu.Lock()
	s.subsClosed = true
	subs := s.subs
	s.subs = map[*subscriber]struct{}{}
	s.subMu.Unlock()
	for sub := range subs {
		sub.drain(done)
	}
}

// subscriber is one Subscribe call: a queue and the goroutine that empties
// it into out.
type subscriber struct {
	every  time.Duration // rest after each burst; 0: none
	out    chan Event
	wake   chan struct{} // capacity 1: "the queue may be non-empty"
	quit   chan struct{} // closed: stop delivering at once
	exited chan struct{} // closed by deliver on return
	once   sync.Once

	mu        sync.Mutex
	queue     []Event
	outputs   int // Output events in queue
	queuedB   int // their bytes
	maxOutput int
	dropped   map[int64]int // run id → output events dropped since its last queued event
	closing   bool          // deliver what is queued, then exit
}

// push queues ev, dropping it if it is output and the backlog is full.
func (sub *subscriber) push(ev Event) {
	sub.mu.Lock()
	if ev.Kind == Output && (sub.outputs >= sub.maxOutput ||
		sub.outputs > 0 && sub.queuedB+len(ev.Data) > maxOutputBacklogBytes) {
		sub.dropped[ev.RunID]++
		sub.mu.Unlock()
		return
	}
	if n := sub.dropped[ev.RunID]; n > 0 {
		ev.Dropped = n
		delete(sub.dropped, ev.RunID)
	}
	if ev.Kind == Output {
		sub.outputs++
		sub.queuedB += len(ev.Data)
	}
	sub.queue = append(sub.queue, ev)
	sub.mu.Unlock()
	select {
	case sub.wake <- struct{}{}:
	default:
	}
}

// next pops the oldest queued event; ok is false when the queue is empty.
// last reports that the queue is empty and the subscriber is closing.
func (sub *subscriber) next() (ev Event, ok, last bool) {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if len(sub.queue) == 0 {
		sub.queue = sub.queue[:0]
		return Event{}, false, sub.closing
	}
	ev = sub.queue[0]
	sub.queue[0] = Event{}
	sub.queue = sub.queue[1:]
	if ev.Kind == Output {
		sub.outputs--
		sub.queuedB -= len(ev.Data)
	}
	return ev, true, false
}

// deliver sends queued events to out until stopped or drained; with
// every set, it rests after each burst (see SubscribeEvery).
func (sub *subscriber) deliver() {
	defer close(sub.exited)
	defer close(sub.out)
	var rest *time.Timer
	if sub.every > 0 {
		rest = time.NewTimer(sub.every)
		rest.Stop()
		defer rest.Stop()
	}
	sent := false // since the last rest
	for {
		ev, ok, last := sub.next()
		if last {
			return
		}
		if !ok {
			if sent && rest != nil {
				sent = false
				if !sub.rest(rest) {
					return
				}
				continue
			}
			select {
			case <-sub.wake:
				continue
			case <-sub.quit:
				return
			}
		}
		select {
		case sub.out <- ev:
			sent = true
		case <-sub.quit:
			return
		}
	}
}

// rest waits sub.every on t, less if the subscriber starts closing; it
// reports false if the subscriber was stopped. Wake-ups for new events are
// dropped meanwhile: deliver looks at the queue itself after the rest.
func (sub *subscriber) rest(t *time.Timer) bool {
	t.Reset(sub.every)
	for {
		select {
		case <-t.C:
			return true
		case <-sub.quit:
			return false
		case <-sub.wake:
			sub.mu.Lock()
			closing := sub.closing
			sub.mu.Unlock()
			if closing {
				t.Stop()
				return true
			}
		}
	}
}

// stop ends delivery at once and waits for the goroutine to exit.
func (sub *subscriber) stop() {
	sub.once.Do(func() { close(sub.quit) })
	<-sub.exited
}

// drain lets the queued events go out, then ends delivery; if done closes
// first, it stops at once.
func (sub *subscriber) drain(done <-chan struct{}) {
	sub.mu.Lock()
	sub.closing = true
	sub.mu.Unlock()
	select {
	case sub.wake <- struct{}{}:
	default:
	}
	select {
	case <-sub.exited:
	case <-done:
		sub.stop()
	}
}
