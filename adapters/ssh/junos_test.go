package sshadapter

import (
	"strings"
	"testing"

	"netauto/inventory"
)

func TestJunosTrailer(t *testing.T) {
	cases := []struct {
		lines      string
		startsLine bool
		want       int
	}{
		{"a\n", true, 0},
		{"a\n\n", true, 1},
		{"\n", true, 1},
		{"\n", false, 0},
		{"a\n\n{master:0}\n", true, 12},
		{"a\n{master:0}\n", true, 11},
		{"{master:0}\n", true, 11},
		{"{master:0}\n", false, 0},
		{"\n{master:0}\n", true, 12},
		{"\n{master:0}\n", false, 11},
		{"a\n\n{primary:node0}\n", true, len("\n{primary:node0}\n")},
		{"a\n{not a status}\n", true, 0},
		{"a\nx{master:0}\n", true, 0},
		{"", true, 0},
	}
	for _, c := range cases {
		if got := junosTrailer([]byte(c.lines), c.startsLine); got != c.want {
			t.Errorf("junosTrailer(%q, %v) = %d, want %d", c.lines, c.startsLine, got, c.want)
		}
	}
}

// TestJunosEmit feeds output in pieces that split the trailer: the blank
// line and {master:0} before the prompt are dropped, the same lines inside
// the output are kept.
func TestJunosEmit(t *testing.T) {
	pieces := []string{"Hostname: mx1\n", "\n", "{master:0}\n", "Model: mx204\n\n", "\n", "{master:0}\n"}
	for _, platform := range []inventory.Platform{inventory.PlatformJunos, inventory.PlatformIOS} {
		var got strings.Builder
		ch := newChunker(func(p []byte) { got.Write(p) })
		sh := &shell{platform: platform}
		for _, p := range pieces {
			sh.emit(ch, []byte(p))
		}
		ch.flush()
		want := strings.Join(pieces, "")
		if platform == inventory.PlatformJunos {
			want = "Hostname: mx1\n\n{master:0}\nModel: mx204\n\n"
		}
		if got.String() != want {
			t.Errorf("%s: handed on %q, want %q", platform, got.String(), want)
		}
		sh.release(ch)
		ch.flush()
		if got.String() != strings.Join(pieces, "") {
			t.Errorf("%s: after release %q", platform, got.String())
		}
	}
}
