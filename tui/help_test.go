package tui

import (
	"fmt"
	"strings"
	"testing"
)

// helpContext is a state of the console the one-line help must describe.
type helpContext struct {
	name  string
	setup func(h *harness)
	want  []string // entries the help line shows
	not   []string // entries it must not offer there
}

// helpContexts walks the console's screens, panes and inputs.
func helpContexts() []helpContext {
	streaming := func(h *harness) {
		h.press("space", ":")
		h.typeText("show tech-support")
		h.press("enter")
		focusedOutput(h)
	}
	inHistory := func(h *harness) {
		h.launchOnAms("show version")
		h.press("H")
	}
	return []helpContext{
		{name: "inventory", setup: func(h *harness) { h.press("space") },
			want: []string{"space select", "a all", ": command", "/ filter", "A clear"}, not: []string{"x cancel", "n/N"}},
		{name: "inventory, nothing selected", setup: func(h *harness) {},
			want: []string{"space select"}, not: []string{"A clear"}},
		{name: "inventory, runs streaming", setup: streaming,
			want: []string{"space select", "x cancel run", "X cancel all"}},
		{name: "inventory filter", setup: func(h *harness) { h.press("/") },
			want: []string{"type filter", "enter done", "esc clear filter"}, not: []string{"space select"}},
		{name: "command line", setup: func(h *harness) {
			h.launchOnAms("show clock")
			h.press(":")
			h.typeText("show version")
		}, want: []string{"enter launch", "↑/↓ recall", "esc leave"}, not: []string{"space select", "q quit"}},
		{name: "runs pane, runs streaming", setup: func(h *harness) { streaming(h); focusPane(h, paneRuns) },
			want: []string{"enter output", "x cancel run", "X cancel all", "b batches", "O fold batch"}, not: []string{"space select"}},
		{name: "runs pane, every run ended", setup: func(h *harness) { h.launchOnAms("show version"); focusPane(h, paneRuns) },
			want: []string{"enter output", "O fold batch"}, not: []string{"x cancel run", "X cancel all"}},
		{name: "output pane, runs streaming", setup: func(h *harness) { streaming(h); focusPane(h, paneOutput) },
			want: []string{"pgup/pgdn scroll", "/ search", "x cancel run", "esc runs"}, not: []string{"n/N", "space select"}},
		{name: "output pane with a search", setup: func(h *harness) {
			streaming(h)
			focusPane(h, paneOutput)
			h.press("/")
			h.typeText("tech")
			h.press("enter")
		}, want: []string{"n/N next/previous match"}},
		{name: "output search input", setup: func(h *harness) { streaming(h); focusPane(h, paneOutput); h.press("/") },
			want: []string{"enter find", "esc cancel"}, not: []string{"x cancel run"}},
		{name: "tiles", setup: func(h *harness) { streaming(h); h.press("t") },
			want: []string{"arrows move", "enter zoom", "x cancel run"}, not: []string{"space select"}},
		{name: "zoom", setup: func(h *harness) { streaming(h); h.press("t", "enter"); focusedOutput(h) },
			want: []string{"pgup/pgdn scroll", "esc tiles", "x cancel run"}},
		{name: "history", setup: inHistory,
			want: []string{"enter open", "r re-run", "/ filter", "d compare", "D diff previous", "esc back"},
			not:  []string{"space select", ": command", "x cancel", "tab output"}},
		{name: "history, a run opened", setup: func(h *harness) { inHistory(h); h.press("enter", "down") },
			want: []string{"tab output"}},
		{name: "history output", setup: func(h *harness) { inHistory(h); h.press("enter", "tab") },
			want: []string{"/ search", "tab/esc list"}, not: []string{"r re-run", "pgup/pgdn"}}, // two lines: nothing to scroll
		{name: "history filter", setup: func(h *harness) { inHistory(h); h.press("/") },
			want: []string{"type filter", "enter/esc done"}, not: []string{"r re-run"}},
		{name: "search input", setup: func(h *harness) { h.press("S") },
			want: []string{"enter search", "esc back"}, not: []string{"space select"}},
		{name: "search hits", setup: func(h *harness) {
			h.launchOnAms("show version")
			h.press("S")
			h.typeText("uptime")
			h.press("enter")
		}, want: []string{"↑/↓ hit", "enter open", "/ new search"}},
		{name: "diff", setup: func(h *harness) {
			h.launchOnAms("show version")
			h.press("H", "d", "down", "d")
		}, want: []string{"v ignore uptimes, clocks", "esc back"}, not: []string{"r re-run"}},
		{name: "folded batch", setup: func(h *harness) { inHistory(h); h.press("O") },
			want: []string{"esc back"}, not: []string{"v ignore"}},
		{name: "confirmation", setup: func(h *harness) { streaming(h); h.press("X") },
			want: []string{"y yes", "n/esc no"}, not: []string{"q quit"}},
		{name: "host keys, more than fit", setup: func(h *harness) {
			for i := range 30 {
				h.m.hostKeys.Add(hostKeyPrompt{device: fmt.Sprintf("dev%02d", i), host: "[127.0.0.1]:2222", keyType: "ssh-ed25519",
					fingerprint: fmt.Sprintf("SHA256:fp%02d", i), reply: make(chan hostKeyDecision, 1)})
			}
		}, want: []string{"o trust once", "a trust always", "r/esc refuse", "↑/↓ more keys"}, not: []string{"q quit"}},
		{name: "full help", setup: func(h *harness) { h.press("?") },
			want: []string{"?/esc close"}},
	}
}

// focusedOutput waits until the focused run has more output than any
// pane holds.
func focusedOutput(h *harness) {
	h.pump("output of the focused run", func() bool {
		r := h.m.focusedRun()
		return r != nil && h.m.rings[r.ID] != nil && h.m.rings[r.ID].End() > 100
	})
}

// focusPane moves the focus to p with tab.
func focusPane(h *harness, p pane) {
	for i := pane(0); i < paneCount && h.m.focus != p; i++ {
		h.press("tab")
	}
	if h.m.focus != p {
		h.t.Fatalf("cannot focus pane %d", p)
	}
}

// helpLine is the last line of the screen: the one-line help.
func helpLine(h *harness) string {
	s := strings.TrimRight(h.screen(), "\n")
	return strings.TrimSpace(s[strings.LastIndexByte(s, '\n')+1:])
}

// settle cancels what still runs and lets the runs end, so that the
// bridge is not left blocked on a full queue.
func settle(h *harness) {
	if h.m.runs.Len() == 0 {
		return
	}
	h.sup.CancelAll()
	h.pump("the runs to end", allFinished(h.m))
}

func newHelpHarness(t *testing.T, c helpContext) *harness {
	h := newHarness(t, labFleet(3))
	c.setup(h)
	t.Cleanup(func() { settle(h) })
	return h
}

func TestOneLineHelpFollowsTheScreen(t *testing.T) {
	for _, c := range helpContexts() {
		t.Run(c.name, func(t *testing.T) {
			h := newHelpHarness(t, c)
			line := helpLine(h)
			for _, w := range c.want {
				if !strings.Contains(line, w) {
					t.Errorf("help line lacks %q:\n%s", w, line)
				}
			}
			for _, n := range c.not {
				if strings.Contains(line, n) {
					t.Errorf("help line offers %q here:\n%s", n, line)
				}
			}
		})
	}
}

// TestOneLineHelpOffersOnlyKeysThatAct presses, in every context, each key
// the one-line help offers (in a fresh console brought to that context)
// and requires the screen to change or the console to quit: the help
// never offers a key the screen ignores.
func TestOneLineHelpOffersOnlyKeysThatAct(t *testing.T) {
	for _, c := range helpContexts() {
		t.Run(c.name, func(t *testing.T) {
			offered := newHelpHarness(t, c).m.shortHelp()
			if len(offered) == 0 {
				t.Fatal("no help offered")
			}
			for _, b := range offered {
				h := newHelpHarness(t, c)
				before := h.m.render()
				acted := false
				for _, k := range b.Keys() {
					if h.press(k); h.quit || h.m.render() != before {
						acted = true
						break
					}
				}
				if !acted {
					t.Errorf("%s %s: no key of %q changed the screen", b.Help().Key, b.Help().Desc, b.Keys())
				}
			}
		})
	}
}

// TestCommandLineHintOnlyWhereColonWorks: the idle command line invites
// : only on the screens where : focuses it.
func TestCommandLineHintOnlyWhereColonWorks(t *testing.T) {
	for _, c := range helpContexts() {
		t.Run(c.name, func(t *testing.T) {
			h := newHelpHarness(t, c)
			if h.m.cmdline.Focused() || h.m.confirm != nil || h.m.hostKeys.Len() > 0 || h.m.showHelp || h.m.inv.Filtering() || h.m.out.Searching() ||
				h.m.hist.Capturing() || h.m.screen == screenSearch && h.m.tools().search.editing {
				return // keys go to an input or a prompt
			}
			invites := strings.Contains(h.screen(), "press : to type a command")
			h.press(":")
			if focused := h.m.cmdline.Focused(); focused != invites {
				t.Errorf("the command line invites : %v, and : focuses it %v:\n%s", invites, focused, h.screen())
			}
		})
	}
}
