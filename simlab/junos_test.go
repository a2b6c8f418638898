package simlab

import (
	"strings"
	"testing"
)

// TestJunosMaster: a QFX shows {master:0} between the blank line and every
// prompt, as a virtual-chassis switch does; an MX shows none.
func TestJunosMaster(t *testing.T) {
	l := startLab(t, Options{Devices: 12, NoFaults: true})
	cfg := clientConfig(t, l, keyAuth(t, l))
	seen := map[bool]bool{}
	for _, d := range l.Devices() {
		if d.Platform != "junos" {
			continue
		}
		s := openShell(t, mustDial(t, d, cfg))
		prompt := "\r\n" + Username + "@" + d.Name + "> "
		s.expect(prompt)
		s.command("set cli screen-length 0", prompt)
		out := s.command("show version", prompt)
		qfx := strings.Contains(out, "Model: qfx")
		seen[qfx] = true
		above := strings.HasSuffix(out, "\r\n\r\n{master:0}"+prompt)
		if above != qfx {
			t.Errorf("%s: qfx %v, {master:0} above the prompt %v: %q", d.Name, qfx, above, out[max(0, len(out)-80):])
		}
	}
	if !seen[true] || !seen[false] {
		t.Errorf("want a QFX and an MX among the junos devices, saw %v", seen)
	}
}
