package quota

import (
	"context"
	"errors"
	"testing"

	"pgregory.net/rapid"
)

// propSites are the sites the property test uses.
var propSites = []string{"a", "b", "c"}

// heldRun is a reservation the model knows is held.
type heldRun struct {
	r      *Reservation
	id     int64
	site   string
	cancel context.CancelFunc // nil when the owner's context never ends
}

// queuedRun is an Acquire the model knows is waiting.
type queuedRun struct {
	id     int64
	site   string
	cancel context.CancelFunc
	res    <-chan result
}

// machine drives a Manager with random operations next to a model of what
// it must do: FIFO admission under the caps, skipping waiters of full
// sites.
type machine struct {
	m       *Manager
	rec     *recorder
	checked int // events already checked

	nextID int64
	global int
	caps   map[string]int // -1 = no cap
	active map[string]int
	total  int
	held   []heldRun
	queue  []queuedRun
	ctxs   []context.CancelFunc // every context made, canceled at the end
}

func newMachine(t *rapid.T) *machine {
	s := &machine{rec: &recorder{}, caps: map[string]int{}, active: map[string]int{}}
	l := Limits{Global: rapid.IntRange(0, 4).Draw(t, "global"), Sites: map[string]int{}}
	s.global = l.Global
	for _, site := range propSites {
		s.caps[site] = rapid.IntRange(-1, 3).Draw(t, "cap "+site)
		if s.caps[site] >= 0 {
			l.Sites[site] = s.caps[site]
		}
	}
	s.m = New(l, WithHook(s.rec.hook))
	return s
}

// refusal is the model's answer to one more run on site: "" when admitted.
func (s *machine) refusal(site string) string {
	if s.global >= 0 && s.total >= s.global {
		return "quota_exceeded:global"
	}
	if c := s.caps[site]; c >= 0 && s.active[site] >= c {
		return "quota_exceeded:site"
	}
	return ""
}

// closed is the model's closed-door answer for Acquire: "" when open.
func (s *machine) closed(site string) string {
	if s.global == 0 {
		return "quota_exceeded:global"
	}
	if s.caps[site] == 0 {
		return "quota_exceeded:site"
	}
	return ""
}

func (s *machine) newCtx(t *rapid.T) (context.Context, context.CancelFunc) {
	if rapid.Bool().Draw(t, "cancellable") {
		ctx, cancel := context.WithCancel(context.Background())
		s.ctxs = append(s.ctxs, cancel)
		return ctx, cancel
	}
	return context.Background(), nil
}

func (s *machine) grant(site string) {
	s.total++
	s.active[site]++
}

// checkIn counts a release in the model and settles the admissions it
// makes.
func (s *machine) checkIn(t *rapid.T, h heldRun) {
	s.total--
	s.active[h.site]--
	s.dispatch(t)
}

// dispatch admits queued runs in the model as the Manager must, then waits
// for each of them to return from Acquire with its reservation.
func (s *machine) dispatch(t *rapid.T) {
	var keep []queuedRun
	for i, w := range s.queue {
		if s.global >= 0 && s.total >= s.global {
			keep = append(keep, s.queue[i:]...)
			break
		}
		if s.refusal(w.site) != "" {
			keep = append(keep, w)
			continue
		}
		s.grant(w.site)
		res := receive(t, w.res)
		if res.err != nil || res.r.Meta().RunID != w.id {
			t.Fatalf("run %d (%s) should have been admitted: got (%v, %v)", w.id, w.site, res.r, res.err)
		}
		s.held = append(s.held, heldRun{r: res.r, id: w.id, site: w.site, cancel: w.cancel})
	}
	s.queue = keep
}

// refuseQueued ends, in the model, the waits that a cap set to 0 refuses.
func (s *machine) refuseQueued(t *rapid.T, match func(queuedRun) bool, want string) {
	var keep []queuedRun
	for _, w := range s.queue {
		if !match(w) {
			keep = append(keep, w)
			continue
		}
		if res := receive(t, w.res); res.err == nil || res.err.Error() != want {
			t.Fatalf("run %d waiting on %s: got (%v, %v), want %s", w.id, w.site, res.r, res.err, want)
		}
	}
	s.queue = keep
}

func (s *machine) checkOut(t *rapid.T) {
	site := rapid.SampledFrom(propSites).Draw(t, "site")
	ctx, cancel := s.newCtx(t)
	s.nextID++
	r, err := s.m.CheckOut(ctx, site, Meta{RunID: s.nextID})
	want := s.refusal(site)
	if want != "" {
		if err == nil || err.Error() != want || !errors.Is(err, ErrQuotaExceeded) {
			t.Fatalf("CheckOut %s = (%v, %v), want %s", site, r, err, want)
		}
		return
	}
	if err != nil {
		t.Fatalf("CheckOut %s refused: %v", site, err)
	}
	s.grant(site)
	s.held = append(s.held, heldRun{r: r, id: s.nextID, site: site, cancel: cancel})
}

func (s *machine) acquire(t *rapid.T) {
	site := rapid.SampledFrom(propSites).Draw(t, "site")
	s.nextID++
	meta := Meta{RunID: s.nextID}
	if want := s.closed(site); want != "" {
		ctx, _ := s.newCtx(t)
		if res := receive(t, startAcquire(s.m, ctx, site, meta)); res.err == nil || res.err.Error() != want {
			t.Fatalf("Acquire %s on a closed door = (%v, %v), want %s", site, res.r, res.err, want)
		}
		return
	}
	if s.refusal(site) == "" {
		ctx, cancel := s.newCtx(t)
		res := receive(t, startAcquire(s.m, ctx, site, meta))
		if res.err != nil {
			t.Fatalf("Acquire %s with room: %v", site, res.err)
		}
		s.grant(site)
		s.held = append(s.held, heldRun{r: res.r, id: s.nextID, site: site, cancel: cancel})
		return
	}
	// It must wait; its context must be cancellable so that it can end.
	ctx, cancel := context.WithCancel(context.Background())
	s.ctxs = append(s.ctxs, cancel)
	ch := startAcquire(s.m, ctx, site, meta)
	waitQueued(t, s.m, len(s.queue)+1)
	pending(t, ch)
	s.queue = append(s.queue, queuedRun{id: s.nextID, site: site, cancel: cancel, res: ch})
}

func (s *machine) release(t *rapid.T) {
	if len(s.held) == 0 {
		t.Skip("nothing held")
	}
	i := rapid.IntRange(0, len(s.held)-1).Draw(t, "held")
	h := s.held[i]
	s.held = append(s.held[:i], s.held[i+1:]...)
	h.r.Release()
	if rapid.Bool().Draw(t, "release twice") {
		h.r.Release()
	}
	s.checkIn(t, h)
}

func (s *machine) cancelOwner(t *rapid.T) {
	var idx []int
	for i, h := range s.held {
		if h.cancel != nil {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		t.Skip("no cancellable owner")
	}
	i := rapid.SampledFrom(idx).Draw(t, "owner")
	h := s.held[i]
	s.held = append(s.held[:i], s.held[i+1:]...)
	h.cancel()
	s.rec.waitFor(t, "checked_in", checkedIn(h.id))
	s.checkIn(t, h)
}

func (s *machine) cancelWaiter(t *rapid.T) {
	if len(s.queue) == 0 {
		t.Skip("nobody waiting")
	}
	i := rapid.IntRange(0, len(s.queue)-1).Draw(t, "waiter")
	w := s.queue[i]
	s.queue = append(s.queue[:i], s.queue[i+1:]...)
	w.cancel()
	if res := receive(t, w.res); !errors.Is(res.err, context.Canceled) {
		t.Fatalf("canceled waiter %d got (%v, %v)", w.id, res.r, res.err)
	}
}

func (s *machine) setGlobal(t *rapid.T) {
	n := rapid.IntRange(-1, 4).Draw(t, "new global")
	s.m.SetGlobalLimit(n)
	s.global = n
	if n == 0 {
		s.refuseQueued(t, func(queuedRun) bool { return true }, "quota_exceeded:global")
		return
	}
	s.dispatch(t)
}

func (s *machine) setSite(t *rapid.T) {
	site := rapid.SampledFrom(propSites).Draw(t, "site")
	n := rapid.IntRange(-1, 3).Draw(t, "new cap")
	if n < 0 {
		s.m.ClearSiteLimit(site)
	} else {
		s.m.SetSiteLimit(site, n)
	}
	s.caps[site] = n
	if n == 0 {
		s.refuseQueued(t, func(w queuedRun) bool { return w.site == site }, "quota_exceeded:site")
		return
	}
	s.dispatch(t)
}

// check compares the Manager with the model and checks every new admission
// against the caps in force when it happened.
func (s *machine) check(t *rapid.T) {
	snap := s.m.Snapshot()
	if want := (Usage{Active: s.total, Limit: s.global, Waiting: len(s.queue)}); snap.Global != want || snap.Waiting != len(s.queue) {
		t.Fatalf("global %+v waiting %d, model %+v", snap.Global, snap.Waiting, want)
	}
	sum := 0
	for _, site := range propSites {
		waiting := 0
		for _, w := range s.queue {
			if w.site == site {
				waiting++
			}
		}
		got, ok := snap.Sites[site]
		if !ok {
			got = Usage{Limit: -1}
		}
		want := Usage{Active: s.active[site], Limit: s.caps[site], Waiting: waiting}
		if got != want {
			t.Fatalf("site %s %+v, model %+v", site, got, want)
		}
		if got.Active < 0 || got.Waiting < 0 {
			t.Fatalf("site %s went negative: %+v", site, got)
		}
		sum += got.Active
	}
	if sum != snap.Global.Active || snap.Global.Active < 0 {
		t.Fatalf("site actives sum to %d, global active %d", sum, snap.Global.Active)
	}
	evs := s.rec.all()
	for _, ev := range evs[s.checked:] {
		if ev.Kind != CheckedOut {
			continue
		}
		if s.global >= 0 && ev.GlobalActive > s.global {
			t.Fatalf("admitted run %d to %d active over global cap %d", ev.Meta.RunID, ev.GlobalActive, s.global)
		}
		if c := s.caps[ev.Site]; c >= 0 && ev.SiteActive > c {
			t.Fatalf("admitted run %d to %d active on %s over its cap %d", ev.Meta.RunID, ev.SiteActive, ev.Site, c)
		}
	}
	s.checked = len(evs)
}

// cleanup ends every wait and reservation and expects the Manager idle.
func (s *machine) cleanup(t *rapid.T) {
	for _, w := range s.queue {
		w.cancel()
		if res := receive(t, w.res); !errors.Is(res.err, context.Canceled) {
			t.Fatalf("waiter %d at cleanup: (%v, %v)", w.id, res.r, res.err)
		}
	}
	for _, h := range s.held {
		h.r.Release()
	}
	for _, cancel := range s.ctxs {
		cancel()
	}
	snap := s.m.Snapshot()
	if snap.Global.Active != 0 || snap.Waiting != 0 {
		t.Fatalf("not idle at the end: %+v", snap)
	}
	for site, u := range snap.Sites {
		if u.Active != 0 || u.Waiting != 0 {
			t.Fatalf("site %s not idle at the end: %+v", site, u)
		}
	}
	outs, ins := 0, 0
	for _, ev := range s.rec.all() {
		switch ev.Kind {
		case CheckedOut:
			outs++
		case CheckedIn:
			ins++
		}
	}
	if outs != ins {
		t.Fatalf("%d checked_out but %d checked_in", outs, ins)
	}
}

func TestQuotaProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := newMachine(t)
		defer s.cleanup(t)
		t.Repeat(map[string]func(*rapid.T){
			"checkout":      s.checkOut,
			"acquire":       s.acquire,
			"release":       s.release,
			"cancel owner":  s.cancelOwner,
			"cancel waiter": s.cancelWaiter,
			"set global":    s.setGlobal,
			"set site cap":  s.setSite,
			"":              s.check,
		})
	})
}
