package tui

import (
	"errors"
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"

	"netauto/inventory"
)

func TestConfirmDialog(t *testing.T) {
	k := DefaultKeyMap()
	d := &confirmDialog{action: confirmCancelAll, title: "Cancel 5 active runs?"}
	if _, done := d.Update(k, press("x")); done {
		t.Fatal("x answered the dialog")
	}
	if got, done := d.Update(k, press("y")); !done || !got.yes || got.action != confirmCancelAll {
		t.Fatalf("y: %+v %v", got, done)
	}
	if got, done := d.Update(k, press("esc")); !done || got.yes {
		t.Fatalf("esc: %+v %v", got, done)
	}
	mustContain(t, d.View(testContext().st, 80), "Cancel 5 active runs?", "y yes", "n/esc no")
}

func TestHostKeyDialogAnswersAllTogether(t *testing.T) {
	d := &hostKeyDialog{}
	var replies []chan hostKeyDecision
	for _, dev := range []string{"ams-core1", "ams-core2", "fra-tor1"} {
		ch := make(chan hostKeyDecision, 1)
		replies = append(replies, ch)
		d.Add(hostKeyPrompt{device: dev, host: "[127.0.0.1]:2222", keyType: "ssh-ed25519", fingerprint: "SHA256:abc" + dev, reply: ch})
	}
	d.SetHeight(40)
	v := d.View(testContext().st, 120)
	mustContain(t, v, "3 unknown host keys", "ams-core2", "SHA256:abcfra-tor1", "trust all of them once", "trust always", "refuse")
	if _, done := d.Update(DefaultKeyMap(), press("z")); done {
		t.Fatal("z answered")
	}
	if dec, done := d.Update(DefaultKeyMap(), press("a")); !done || dec != decideTrustAlways {
		t.Fatalf("a: %v %v", dec, done)
	}
	for i, ch := range replies {
		if got := <-ch; got != decideTrustAlways {
			t.Fatalf("reply %d: %v", i, got)
		}
	}
	if d.Len() != 0 {
		t.Fatal("dialog not emptied")
	}
	// A question whose asker gave up (reply already full) does not block.
	ch := make(chan hostKeyDecision, 1)
	ch <- decideRefuse
	d.Add(hostKeyPrompt{device: "x", reply: ch})
	d.Update(DefaultKeyMap(), press("esc"))
}

// TestHostKeyDialogScrollsToEveryKey: more keys than the screen holds can
// all be read before one answer covers them.
func TestHostKeyDialogScrollsToEveryKey(t *testing.T) {
	d := &hostKeyDialog{}
	for i := range 24 {
		d.Add(hostKeyPrompt{device: fmt.Sprintf("dev%02d", i), host: "[127.0.0.1]:2222", keyType: "ssh-ed25519",
			fingerprint: fmt.Sprintf("SHA256:fp%02d", i), reply: make(chan hostKeyDecision, 1)})
	}
	st, k := testContext().st, DefaultKeyMap()
	d.SetHeight(24) // room for 6 keys
	v := d.View(st, 80)
	mustContain(t, v, "24 unknown host keys", "SHA256:fp00", "SHA256:fp05", "keys 1–6 of 24")
	mustNotContain(t, v, "SHA256:fp06")
	if !d.Scrollable() {
		t.Fatal("24 keys in room for 6: not scrollable")
	}
	for range 3 {
		if _, done := d.Update(k, press("down")); done {
			t.Fatal("down answered")
		}
	}
	v = d.View(st, 80)
	mustContain(t, v, "SHA256:fp03", "SHA256:fp08", "keys 4–9 of 24")
	mustNotContain(t, v, "SHA256:fp02", "SHA256:fp09")
	d.Update(k, press("G"))
	mustContain(t, d.View(st, 80), "SHA256:fp23", "keys 19–24 of 24")
	d.Update(k, press("pgup"))
	mustContain(t, d.View(st, 80), "keys 13–18 of 24")
	d.Update(k, press("g"))
	mustContain(t, d.View(st, 80), "keys 1–6 of 24")
	d.SetHeight(80) // room for every key
	v = d.View(st, 80)
	mustContain(t, v, "SHA256:fp00", "SHA256:fp23")
	mustNotContain(t, v, "keys 1–")
}

func TestPasswordDialogMasksAndAnswers(t *testing.T) {
	d := newPasswordDialog(true)
	ch1 := make(chan passwordReply, 1)
	ch2 := make(chan passwordReply, 1)
	dev := inventory.Device{Name: "ams-core1", Host: "10.0.0.1", Username: "netops"}
	d.Add(passwordPrompt{dev: dev, what: "password", reply: ch1})
	d.Add(passwordPrompt{dev: dev, what: "enable password", reply: ch2})
	k := DefaultKeyMap()
	typeText("s3cret!", func(m tea.KeyPressMsg) { d.Update(k, m) })
	v := d.View(testContext().st, 80)
	mustContain(t, v, "password for ams-core1", "netops@10.0.0.1", "•••••••", "1 more prompts waiting")
	mustNotContain(t, v, "s3cret")
	d.Update(k, press("enter"))
	if r := <-ch1; r.secret != "s3cret!" || r.err != nil {
		t.Fatalf("reply %+v", r)
	}
	mustContain(t, d.View(testContext().st, 80), "enable password for ams-core1")
	mustNotContain(t, d.View(testContext().st, 80), "•")
	d.Update(k, press("esc"))
	if r := <-ch2; !errors.Is(r.err, errPasswordDeclined) {
		t.Fatalf("esc reply %+v", r)
	}
	if d.Len() != 0 {
		t.Fatal("queue not empty")
	}
}
