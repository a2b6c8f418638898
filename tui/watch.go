package tui

import (
	"slices"
	"sync/atomic"
)

// watchSet is the set of runs whose output is on screen: the focused run
// and, in the tiled view, the runs in tiles. The update loop sets it; the
// bridge sanitizes and delivers output lines only for these runs and holds
// a short raw tail of the others (their byte counts still go out every
// frame), so a hundred runs streaming cost the console the work of the few
// it shows. A nil *watchSet watches every run.
type watchSet struct {
	ids     atomic.Pointer[[]int64] // sorted
	changed chan struct{}           // capacity 1: the set changed since the bridge last looked
}

func newWatchSet() *watchSet {
	w := &watchSet{changed: make(chan struct{}, 1)}
	w.ids.Store(&[]int64{})
	return w
}

// set replaces the set with ids and tells the bridge when it changed.
func (w *watchSet) set(ids []int64) {
	slices.Sort(ids)
	if slices.Equal(*w.ids.Load(), ids) {
		return
	}
	w.ids.Store(&ids)
	select {
	case w.changed <- struct{}{}:
	default:
	}
}

// has reports whether run id is on screen.
func (w *watchSet) has(id int64) bool {
	if w == nil {
		return true
	}
	_, found := slices.BinarySearch(*w.ids.Load(), id)
	return found
}

// changes is the channel the set signals on; nil for a nil set.
func (w *watchSet) changes() <-chan struct{} {
	if w == nil {
		return nil
	}
	return w.changed
}
