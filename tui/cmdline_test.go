package tui

import (
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// runCmd runs a command and the commands of any batch it returns,
// collecting the messages.
func runCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, runCmd(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

func TestCommandLineSubmitAndRecallAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "commands")
	l := newCommandLine(testContext(), path)
	l.SetWidth(60)
	l.Focus()
	typeText("show version", func(k tea.KeyPressMsg) { l.Update(k) })
	msgs := runCmd(l.Update(press("enter")))
	if len(msgs) != 1 || msgs[0].(commandSubmittedMsg).command != "show version" {
		t.Fatalf("enter emitted %#v", msgs)
	}
	if l.Focused() || l.Value() != "" {
		t.Fatal("command line should clear and blur after enter")
	}
	l.Focus()
	typeText("show clock", func(k tea.KeyPressMsg) { l.Update(k) })
	runCmd(l.Update(press("enter")))

	// A new console reads the file back.
	l2 := newCommandLine(testContext(), path)
	l2.SetWidth(60)
	loaded := l2.Load()().(historyLoadedMsg)
	l2.SetHistory(loaded.commands)
	l2.Focus()
	typeText("sh", func(k tea.KeyPressMsg) { l2.Update(k) })
	l2.Update(press("up"))
	if l2.Value() != "show clock" {
		t.Fatalf("up recalled %q", l2.Value())
	}
	l2.Update(press("up"))
	l2.Update(press("up"))
	if l2.Value() != "show version" {
		t.Fatalf("up stops at the oldest, got %q", l2.Value())
	}
	l2.Update(press("down"))
	l2.Update(press("down"))
	if l2.Value() != "sh" {
		t.Fatalf("down past the newest returns to the draft, got %q", l2.Value())
	}
	mustContain(t, l2.View("› hint"), "› sh")
}

func TestCommandLineEmptyEnterAndEsc(t *testing.T) {
	l := newCommandLine(testContext(), "")
	l.SetWidth(60)
	l.Focus()
	if msgs := runCmd(l.Update(press("enter"))); len(msgs) != 0 {
		t.Fatalf("empty enter emitted %v", msgs)
	}
	l.Update(press("esc"))
	if l.Focused() {
		t.Fatal("esc did not blur")
	}
	mustContain(t, l.View("› hint"), "› hint")
}
