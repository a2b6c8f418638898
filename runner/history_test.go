package runner_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"netauto/inventory"
	"netauto/runner"
	"netauto/simlab"
	"netauto/store"
)

// labStack starts a lab with its fault devices and opens a stack on it,
// with HOME, the ssh agent and the database in temp dirs.
func labStack(t *testing.T) *runner.Stack {
	t.Helper()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	lab, _ := startLab(t, simlab.Options{Devices: 6, FloodBytes: 1 << 20})
	env := map[string]string{"SSH_AUTH_SOCK": filepath.Join(dir, "no-agent"), simlab.PasswordEnv: lab.Password()}
	st, err := runner.OpenStack(ctx, runner.Settings{
		InventoryPath:      lab.InventoryPath(),
		DBPath:             filepath.Join(dir, "state", "history.db"),
		KnownHostsPath:     lab.KnownHostsPath(),
		UserKnownHostsPath: filepath.Join(dir, "none"),
		SSHConfigPath:      filepath.Join(dir, "none"),
		Home:               dir,
		Getenv:             func(k string) string { return env[k] },
		Logger:             slog.New(slog.DiscardHandler),
	}, runner.Callbacks{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		st.Close(ctx)
	})
	return st
}

// historyDevice returns the lab device named name (or the first of platform p
// when name is "").
func historyDevice(t *testing.T, st *runner.Stack, name string, p inventory.Platform) inventory.Device {
	t.Helper()
	for _, d := range st.Inventory.Devices {
		if d.Name == name || name == "" && d.Platform == p && !strings.HasPrefix(d.Name, "lab-") && !strings.HasPrefix(d.Name, "fault-") {
			return d
		}
	}
	t.Fatalf("no device %q/%s", name, p)
	return inventory.Device{}
}

// execute runs command on d and waits for its end; with stopAt > 0 the
// run is cancelled once it has sent that many bytes.
func execute(t *testing.T, st *runner.Stack, d inventory.Device, command string, stopAt int64) store.Run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	events, unsub := st.Supervisor.Subscribe(1024)
	defer unsub()
	id, err := st.Supervisor.Execute(ctx, runner.Request{Device: d, Command: command, Queue: true})
	if err != nil {
		t.Fatal(err)
	}
	if stopAt > 0 {
	loop:
		for {
			select {
			case ev := <-events:
				if ev.RunID == id && (ev.Bytes >= stopAt || ev.Kind == runner.Finished) {
					st.Supervisor.Cancel(id)
					break loop
				}
			case <-ctx.Done():
				t.Fatal("run did not reach its size in time")
			}
		}
	}
	r, err := st.Supervisor.Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Store.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	return r
}

// countLines counts a stored run's sanitized lines.
func countLines(t *testing.T, st *store.Store, id int64) int {
	t.Helper()
	n := 0
	if err := runner.OutputLines(context.Background(), st, id, func(int, string) { n++ }); err != nil {
		t.Fatal(err)
	}
	return n
}

// Compare, group, export and prune on runs stored from the lab: a run of
// over a million lines ('yes' on the linux device, cancelled past 2 MB)
// and a shorter one, binary and escape-laden output (fault-escape), and a
// network OS.
func TestHistoryToolsOnLabRuns(t *testing.T) {
	st := labStack(t)
	linux := historyDevice(t, st, "", inventory.PlatformLinux)
	ios := historyDevice(t, st, "", inventory.PlatformIOS)
	big1 := execute(t, st, linux, "yes", 2_000_100)
	big2 := execute(t, st, linux, "yes", 200_100)
	binary := execute(t, st, historyDevice(t, st, "fault-escape", ""), "show version", 0)
	ver1 := execute(t, st, ios, "show version", 0)
	ver2 := execute(t, st, ios, "show version", 0)
	if n := countLines(t, st.Store, big1.ID); n < 1_000_000 {
		t.Fatalf("run %d has %d lines, want a million or more", big1.ID, n)
	}
	ctx := context.Background()

	t.Run("compare", func(t *testing.T) {
		c, err := runner.CompareRuns(ctx, st.Store, big1.ID, big2.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		// Both are "y" lines: they differ only in length (and perhaps a
		// cut last line).
		if c.ALines < 1_000_000 || c.BLines < 100_000 || len(c.Hunks) > 2 {
			t.Errorf("big compare: %d vs %d lines, %d hunks", c.ALines, c.BLines, len(c.Hunks))
		}
		c, err = runner.CompareRuns(ctx, st.Store, big1.ID, binary.ID, false)
		if err != nil || c.Same || len(c.Hunks) == 0 {
			t.Fatalf("big vs binary: same=%v %v", c.Same, err)
		}
		for _, h := range c.Hunks {
			for _, l := range h.Lines {
				if strings.ContainsAny(l.Text, "\x1b\x07\r\b") {
					t.Fatalf("diff line holds a control character: %q", l.Text)
				}
			}
		}
		c, err = runner.CompareRuns(ctx, st.Store, ver1.ID, ver2.ID, true)
		if err != nil || !c.Same {
			t.Errorf("show version twice, volatile ignored: same=%v hunks=%+v %v", c.Same, c.Hunks, err)
		}
	})

	t.Run("group", func(t *testing.T) {
		groups, err := runner.GroupOutputs(ctx, st.Store, []store.Run{ver1, binary, ver2}, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) != 2 || len(groups[0].Runs) != 2 || runner.GroupHeading(groups[1]) != "1 device: differs" ||
			runner.GroupSummary(groups) != "3 devices, 2 distinct outputs: 2 identical, 1 differ" {
			t.Errorf("groups %+v", groups)
		}
	})

	t.Run("export", func(t *testing.T) {
		dir := t.TempDir()
		idx, err := runner.Export(ctx, st.Store, []store.Run{big1, binary}, dir)
		if err != nil || len(idx.Runs) != 2 {
			t.Fatalf("export: %+v %v", idx, err)
		}
		for _, e := range idx.Runs {
			data, err := os.ReadFile(filepath.Join(dir, e.File))
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(data), "\n"); n != e.Lines || n != countLines(t, st.Store, e.RunID) {
				t.Errorf("run %d: %d lines in file, index says %d", e.RunID, n, e.Lines)
			}
			if strings.ContainsAny(string(data), "\x1b\x07\b") {
				t.Errorf("run %d: control characters in export", e.RunID)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "index.json")); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("prune", func(t *testing.T) {
		res, err := st.Store.Prune(ctx, store.PruneOptions{MaxSize: 512 << 10})
		if err != nil || res.Runs == 0 {
			t.Fatalf("prune: %+v %v", res, err)
		}
		db, err := sql.Open("sqlite", "file:"+st.Store.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var ok string
		var partial int
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("integrity_check %q %v", ok, err)
		}
		err = db.QueryRow(`SELECT count(*) FROM runs r WHERE r.status IN ('ok', 'error') AND
			(SELECT count(*) FROM run_chunks c WHERE c.run_id = r.id) != COALESCE((SELECT max(seq) FROM run_chunks c WHERE c.run_id = r.id), 0)`).Scan(&partial)
		if err != nil || partial != 0 {
			t.Fatalf("%d runs with missing chunks (%v)", partial, err)
		}
		if _, err := st.Store.Run(ctx, big1.ID); err == nil {
			t.Error("the oldest big run survived a prune to 512 KB")
		}
	})
}

// OpenStack applies the config file's prune policy at start.
func TestOpenStackPrunesAtStart(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "history.db")
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	old, _ := s.CreateRun(ctx, store.NewRun{Device: "r1", Command: "show clock"})
	recent, _ := s.CreateRun(ctx, store.NewRun{Device: "r1", Command: "show clock"})
	s.FinishRun(ctx, old.ID, store.Finish{Status: store.StatusOK, At: time.Now().Add(-48 * time.Hour)})
	s.FinishRun(ctx, recent.ID, store.Finish{Status: store.StatusOK})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	invPath := filepath.Join(dir, "inventory.yaml")
	data, err := inventory.Marshal(&inventory.Inventory{Devices: []inventory.Device{{Name: "r1", Host: "127.0.0.1", Platform: inventory.PlatformLinux}}})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(invPath, data, 0o600)
	st, err := runner.OpenStack(ctx, runner.Settings{
		InventoryPath: invPath, DBPath: db, KnownHostsPath: filepath.Join(dir, "kh"), Home: dir,
		Getenv: func(string) string { return "" }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Prune: runner.PrunePolicy{OlderThan: 24 * time.Hour},
	}, runner.Callbacks{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	if _, err := st.Store.Run(ctx, old.ID); err == nil {
		t.Error("run older than the policy kept")
	}
	if _, err := st.Store.Run(ctx, recent.ID); err != nil {
		t.Errorf("recent run: %v", err)
	}
}
