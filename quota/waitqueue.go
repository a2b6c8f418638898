package quota

// waiter is one Acquire call queued for a slot. Its fields other than ready
// are guarded by the Manager's lock until ready is closed.
type waiter struct {
	site  *siteState
	meta  Meta
	ready chan struct{} // closed once granted or refused
	done  bool          // out of the queue: granted, refused or abandoned
	err   error         // set when refused (a cap became 0)
	ev    Event         // the checkout, set when granted

	prev, next *waiter
}

// waitQueue is the FIFO of waiters: an intrusive doubly linked list, so that
// an abandoned waiter leaves from the middle in constant time.
type waitQueue struct {
	head, tail *waiter
	len        int
}

// push appends w at the back.
func (q *waitQueue) push(w *waiter) {
	w.prev, w.next = q.tail, nil
	if q.tail == nil {
		q.head = w
	} else {
		q.tail.next = w
	}
	q.tail = w
	q.len++
}

// remove takes w, which must be queued, out of the queue.
func (q *waitQueue) remove(w *waiter) {
	if w.prev == nil {
		q.head = w.next
	} else {
		w.prev.next = w.next
	}
	if w.next == nil {
		q.tail = w.prev
	} else {
		w.next.prev = w.prev
	}
	w.prev, w.next = nil, nil
	q.len--
}
