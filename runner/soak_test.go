package runner_test

// The soak test drives the real stack (store, quota, SSH adapter,
// supervisor, as runner.OpenStack wires them) against a simlab fleet over
// real SSH on 127.0.0.1: a runner test importing simlab is acceptable for
// tests (simlab imports nothing of ours but inventory), and this is where
// the supervisor's promises live.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"netauto/inventory"
	"netauto/runner"
	"netauto/simlab"
	"netauto/store"
)

// reliabilityEnv set to "full" runs the full form of the soak test (see
// docs/RELIABILITY.md); unset, CI runs its short form.
const reliabilityEnv = "NETAUTO_RELIABILITY"

// soakSize is one form of the soak test.
type soakSize struct {
	runs, devices int
	budget        time.Duration
}

// soakFaults are the fault devices the faulty 5% of the fleet are drawn
// from, with what a run on each ends with (unless cancelled or refused by
// quota): a reason prefix, or "" for ok. The failing ones come first.
var soakFaults = []struct {
	name, reason string
}{
	{"fault-drop", "closed: "},
	{"fault-hang", "timeout: idle"},
	{"fault-handshake", "timeout: connect"},
	{"fault-auth", "auth: "},
	{"fault-flood", ""},
	{"fault-escape", ""},
	{"fault-drip", ""},
	{"fault-legacy", ""},
}

// soakDevice is a device of the soak fleet and what its runs should end with.
type soakDevice struct {
	dev    inventory.Device
	reason string // expected reason prefix; "" = ok
}

// TestSoak runs many commands across a lab fleet with random cancels,
// random cap changes (global and per site, 0 included) and 5% faulty
// devices, some runs fast-fail and most queued. At the end: no active
// reservation nor waiter in the quota snapshot, no live run, every run
// finished in the store with the reason its device and fate call for, the
// heap after GC back near where it started, and no goroutine left.
//
// Short form (CI): 600 runs across 40 devices. Full form
// (NETAUTO_RELIABILITY=full): 10,000 runs across 200 devices.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak")
	}
	size := soakSize{runs: 600, devices: 40, budget: 90 * time.Second}
	if os.Getenv(reliabilityEnv) == "full" {
		size = soakSize{runs: 10000, devices: 200, budget: 20 * time.Minute}
	}
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	t.Logf("seed %d: %d runs across %d devices", seed, size.runs, size.devices)

	dir := t.TempDir()
	faulty := size.devices / 20
	lab, err := simlab.Start(context.Background(), simlab.Options{
		Dir:            filepath.Join(dir, "lab"),
		Devices:        size.devices - faulty,
		StreamDuration: 300 * time.Millisecond,
		FloodBytes:     256 << 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	labClosed := false
	defer func() {
		if !labClosed {
			lab.Close()
		}
	}()
	fleet := soakFleet(t, lab, faulty, rng)
	st := soakStack(t, dir, lab)
	stackClosed := false
	defer func() {
		if !stackClosed {
			st.Close(context.Background())
		}
	}()

	// Warm up (connections, caches, the writer) before measuring the heap.
	s := &soaker{t: t, st: st, fleet: fleet, rng: rng}
	s.drive(40, false)
	heapStart := heapAfterGC()

	ctx, cancel := context.WithTimeout(context.Background(), size.budget)
	defer cancel()
	capsDone := make(chan struct{})
	var capChanges int
	go func() {
		defer close(capsDone)
		capChanges = changeCaps(ctx, st, lab, seed)
	}()
	start := time.Now()
	s.drive(size.runs, true)
	cancel()
	<-capsDone
	elapsed := time.Since(start)
	if elapsed > size.budget {
		t.Errorf("soak took %v, budget %v", elapsed, size.budget)
	}
	// Caps back to the defaults, then the checks.
	st.Quota.SetGlobalLimit(st.Limits.Global)
	for _, site := range soakSites(lab) {
		st.Quota.ClearSiteLimit(site)
	}
	s.check(size.runs + 40)
	heapEnd := heapAfterGC()
	t.Logf("%d runs in %v (%.0f runs/s), %d cap changes; %s; heap after GC %.1f MB at start, %.1f MB at end",
		size.runs, elapsed.Round(time.Millisecond), float64(size.runs)/elapsed.Seconds(), capChanges,
		s.tally(), float64(heapStart)/1e6, float64(heapEnd)/1e6)
	if heapEnd > heapStart+heapStart/2+4<<20 {
		t.Errorf("heap after GC grew from %d to %d bytes", heapStart, heapEnd)
	}

	stackClosed = true
	if err := st.Close(context.Background()); err != nil {
		t.Errorf("stack Close: %v", err)
	}
	labClosed = true
	if err := lab.Close(); err != nil {
		t.Errorf("lab Close: %v", err)
	}
}

// soakFleet picks the healthy fleet and `faulty` fault devices (cloned
// under new names when there are more than the lab's fault devices), with
// short timeouts so that faults end quickly.
func soakFleet(t *testing.T, lab *simlab.Lab, faulty int, rng *rand.Rand) []soakDevice {
	t.Helper()
	inv, err := inventory.Load(lab.InventoryPath())
	if err != nil {
		t.Fatal(err)
	}
	var fleet []soakDevice
	for _, d := range lab.Devices() {
		if d.Fault == simlab.FaultNone && d.Auth == simlab.AuthKey {
			dev, _ := inv.Device(d.Name)
			// Generous: a hundred handshakes at once, with both ends
			// in this process under -race on a shared machine, can
			// take longer than the default 15 s.
			dev.ConnectTimeout = time.Minute
			fleet = append(fleet, soakDevice{dev: dev})
		}
	}
	first := rng.IntN(4) // so the first faulty device fails

	for i := range faulty {
		f := soakFaults[(first+i)%len(soakFaults)]
		dev, ok := inv.Device(f.name)
		if !ok {
			t.Fatalf("lab has no %s", f.name)
		}
		dev.Name = fmt.Sprintf("%s-%d", f.name, i)
		dev.ConnectTimeout, dev.IdleTimeout, dev.CommandTimeout = 4*time.Second, 2*time.Second, 20*time.Second
		fleet = append(fleet, soakDevice{dev: dev, reason: f.reason})
	}
	return fleet
}

// soakSites are the sites of the lab's healthy fleet and its fault devices.
func soakSites(lab *simlab.Lab) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range lab.Devices() {
		if !seen[d.Site] {
			seen[d.Site] = true
			out = append(out, d.Site)
		}
	}
	return out
}

// soakStack opens the stack as netauto does, on files under dir, with HOME,
// known_hosts and the environment pinned there.
func soakStack(t *testing.T, dir string, lab *simlab.Lab) *runner.Stack {
	t.Helper()
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	known, err := os.ReadFile(lab.KnownHostsPath())
	if err != nil {
		t.Fatal(err)
	}
	knownPath := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(knownPath, known, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"HOME":             home,
		"XDG_CONFIG_HOME":  filepath.Join(dir, "config"),
		"XDG_STATE_HOME":   filepath.Join(dir, "state"),
		"SSH_AUTH_SOCK":    filepath.Join(dir, "no-agent.sock"),
		simlab.PasswordEnv: lab.Password(),
	}
	st, err := runner.OpenStack(context.Background(), runner.Settings{
		InventoryPath:  lab.InventoryPath(),
		DBPath:         filepath.Join(dir, "state", "history.db"),
		KnownHostsPath: knownPath,
		Getenv:         func(k string) string { return env[k] },
		Home:           home,
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, runner.Callbacks{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// changeCaps changes the global cap and the sites' caps at random every few
// milliseconds until ctx ends, and returns how many changes it made. A cap
// of 0 (a closed door) comes up now and then.
func changeCaps(ctx context.Context, st *runner.Stack, lab *simlab.Lab, seed uint64) int {
	rng := rand.New(rand.NewPCG(seed, 0xca95))
	sites := soakSites(lab)
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	n := 0
	for {
		select {
		case <-ctx.Done():
			return n
		case <-tick.C:
		}
		n++
		switch x := rng.IntN(20); {
		case x == 0 && rng.IntN(4) == 0:
			st.Quota.SetGlobalLimit(0)
		case x < 8:
			st.Quota.SetGlobalLimit(5 + rng.IntN(60))
		case x == 8 && rng.IntN(2) == 0:
			st.Quota.SetSiteLimit(sites[rng.IntN(len(sites))], 0)
		case x < 15:
			st.Quota.SetSiteLimit(sites[rng.IntN(len(sites))], 1+rng.IntN(20))
		default:
			st.Quota.ClearSiteLimit(sites[rng.IntN(len(sites))])
		}
	}
}

// soaker launches runs and remembers their fates.
type soaker struct {
	t     *testing.T
	st    *runner.Stack
	fleet []soakDevice
	rng   *rand.Rand // used by drive's goroutine only

	// What the soak remembers per run is kept small (an index into
	// fleet), so that its own bookkeeping does not hide a leak from the
	// heap check.
	mu       sync.Mutex
	dev      map[int64]int // fleet index
	canceled map[int64]bool
}

// maxInFlight is how many runs the soak keeps going at once: more than
// the caps allow, so that runs queue.
const maxInFlight = 100

// drive launches n runs on random devices, keeping up to maxInFlight in
// flight; with chaos, a tenth fast-fail instead of queueing and one in
// twenty is cancelled at a random moment (queued, connecting or
// streaming). It returns once all n have ended.
func (s *soaker) drive(n int, chaos bool) {
	if s.dev == nil {
		s.dev, s.canceled = map[int64]int{}, map[int64]bool{}
	}
	sem := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	for range n {
		sem <- struct{}{}
		di := s.rng.IntN(len(s.fleet))
		d := s.fleet[di]
		req := runner.Request{Device: d.dev, Command: soakCommand(d.dev, s.rng), Queue: true, RequestedBy: "soak"}
		var cancelAfter time.Duration = -1
		if chaos {
			req.Queue = s.rng.IntN(10) != 0
			if s.rng.IntN(20) == 0 {
				cancelAfter = time.Duration(s.rng.IntN(300)) * time.Millisecond
			}
		}
		id, err := s.st.Supervisor.Execute(context.Background(), req)
		s.mu.Lock()
		if id == 0 {
			s.t.Errorf("Execute on %s: no run created: %v", d.dev.Name, err)
		} else {
			s.dev[id] = di
		}
		s.mu.Unlock()
		if id == 0 {
			<-sem
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			done := s.st.Supervisor.Done(id)
			if cancelAfter >= 0 {
				select {
				case <-done:
					return
				case <-time.After(cancelAfter):
				}
				if s.st.Supervisor.Cancel(id) == nil {
					s.mu.Lock()
					s.canceled[id] = true
					s.mu.Unlock()
				}
			}
			select {
			case <-done:
			case <-time.After(time.Minute):
				s.t.Errorf("run %d on %s did not end within a minute", id, d.dev.Name)
			}
		})
	}
	wg.Wait()
}

// soakCommand picks a command for d: mostly a short show, sometimes the
// streaming one.
func soakCommand(d inventory.Device, rng *rand.Rand) string {
	stream := rng.IntN(10) == 0
	switch {
	case d.Platform == inventory.PlatformLinux && stream:
		return "flood 1"
	case d.Platform == inventory.PlatformLinux:
		return "uname -a"
	case d.Platform == inventory.PlatformJunos && stream:
		return "request support information"
	case stream:
		return "show tech-support"
	}
	return "show version"
}

// check verifies the end state: quota, registry and store.
func (s *soaker) check(total int) {
	t := s.t
	t.Helper()
	snap := s.st.Quota.Snapshot()
	if snap.Global.Active != 0 || snap.Waiting != 0 || snap.Global.Waiting != 0 {
		t.Errorf("quota after the soak: %d active, %d waiting", snap.Global.Active, snap.Waiting)
	}
	for site, u := range snap.Sites {
		if u.Active != 0 || u.Waiting != 0 {
			t.Errorf("quota site %s after the soak: %d active, %d waiting", site, u.Active, u.Waiting)
		}
	}
	if live := s.st.Supervisor.Active(); len(live) != 0 {
		t.Errorf("%d runs still live after the soak, first %+v", len(live), live[0])
	}
	ctx := context.Background()
	if n, err := s.st.Store.CountRuns(ctx, store.RunFilter{}); err != nil || n != total {
		t.Errorf("store holds %d runs (%v), want %d", n, err, total)
	}
	runs, err := s.st.Store.ListRuns(ctx, store.RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, r := range runs {
		if msg := s.judge(r); msg != "" {
			bad++
			if bad <= 10 {
				t.Errorf("run %d on %s (%s): %s/%q: %s", r.ID, r.Device, r.Command, r.Status, r.ErrorReason, msg)
			}
		}
	}
	if bad > 10 {
		t.Errorf("... %d runs wrong in all", bad)
	}
}

// judge says what is wrong with a stored run, "" if nothing.
func (s *soaker) judge(r store.Run) string {
	s.mu.Lock()
	di, known := s.dev[r.ID]
	canceled := s.canceled[r.ID]
	s.mu.Unlock()
	d := s.fleet[di]
	switch {
	case !known:
		return "not launched by the soak"
	case !r.Status.Finished():
		return "not finished"
	case strings.HasPrefix(r.ErrorReason, "quota_exceeded:"):
		return ""
	case canceled && r.ErrorReason == "canceled":
		return ""
	case d.reason == "" && r.Status == store.StatusOK:
		return ""
	case d.reason != "" && strings.HasPrefix(r.ErrorReason, d.reason):
		return ""
	case d.reason == "":
		return "want ok"
	}
	return fmt.Sprintf("want %q", d.reason)
}

// tally summarizes the runs' fates for the log.
func (s *soaker) tally() string {
	runs, err := s.st.Store.ListRuns(context.Background(), store.RunFilter{})
	if err != nil {
		return err.Error()
	}
	counts := map[string]int{}
	for _, r := range runs {
		k := string(r.Status)
		if r.ErrorReason != "" {
			k, _, _ = strings.Cut(r.ErrorReason, ":")
		}
		counts[k]++
	}
	return fmt.Sprint(counts)
}

// heapAfterGC returns the live heap after a full collection.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
