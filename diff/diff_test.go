package diff

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func linesOf(ss ...string) *Lines {
	l := &Lines{}
	for _, s := range ss {
		l.Add(s)
	}
	return l
}

// apply rebuilds b from a and the spans, checking every span's lines.
func apply(t *testing.T, a, b *Lines, spans []Span) {
	t.Helper()
	var out []string
	ai, bi := 0, 0
	for _, s := range spans {
		if s.A != ai || s.B != bi {
			t.Fatalf("span %+v at a=%d b=%d", s, ai, bi)
		}
		switch s.Op {
		case Equal:
			for k := range s.N {
				if a.Line(s.A+k) != b.Line(s.B+k) {
					t.Fatalf("equal span %+v: %q != %q", s, a.Line(s.A+k), b.Line(s.B+k))
				}
				out = append(out, b.Line(s.B+k))
			}
			ai += s.N
			bi += s.N
		case Delete:
			ai += s.N
		case Insert:
			for k := range s.N {
				out = append(out, b.Line(s.B+k))
			}
			bi += s.N
		}
	}
	if ai != a.Len() || bi != b.Len() || len(out) != b.Len() {
		t.Fatalf("spans end at a=%d/%d b=%d/%d", ai, a.Len(), bi, b.Len())
	}
}

func edits(spans []Span) int {
	n := 0
	for _, s := range spans {
		if s.Op != Equal {
			n += s.N
		}
	}
	return n
}

func TestCompareRandomAgainstGNUDiff(t *testing.T) {
	gnu, err := exec.LookPath("diff")
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 120 {
		gen := func() []string {
			n := r.IntN(40)
			out := make([]string, n)
			for i := range out {
				out[i] = fmt.Sprintf("line %c", 'a'+r.IntN(6))
			}
			return out
		}
		as, bs := gen(), gen()
		a, b := linesOf(as...), linesOf(bs...)
		spans := Compare(a, b, 0)
		apply(t, a, b, spans)
		if Same(spans) != (strings.Join(as, "\n") == strings.Join(bs, "\n") && len(as) == len(bs)) {
			t.Fatalf("round %d: Same wrong", round)
		}
		if err != nil {
			continue
		}
		// Myers finds a shortest edit script: never longer than GNU diff's
		// (which is minimal for inputs this small), and the unified text
		// applies.
		pa, pb := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		os.WriteFile(pa, []byte(joinLines(as)), 0o600)
		os.WriteFile(pb, []byte(joinLines(bs)), 0o600)
		out, _ := exec.Command(gnu, "--minimal", pa, pb).Output()
		gnuEdits := 0
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "< ") || strings.HasPrefix(l, "> ") {
				gnuEdits++
			}
		}
		if edits(spans) != gnuEdits {
			t.Fatalf("round %d: %d edits, GNU diff --minimal %d\na=%q\nb=%q", round, edits(spans), gnuEdits, as, bs)
		}
		if patch, perr := exec.LookPath("patch"); perr == nil && len(as) > 0 {
			var u bytes.Buffer
			WriteUnified(&u, "a", "b", Hunks(a, b, spans, 3))
			cmd := exec.Command(patch, "-s", "-o", filepath.Join(dir, "out"), pa)
			cmd.Stdin = &u
			if o, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("round %d: patch: %v %s\n%s", round, err, o, u.String())
			}
			got, _ := os.ReadFile(filepath.Join(dir, "out"))
			if string(got) != joinLines(bs) {
				t.Fatalf("round %d: patched %q want %q\n%s", round, got, joinLines(bs), u.String())
			}
		}
	}
}

func joinLines(ls []string) string {
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}

func TestUnifiedFormat(t *testing.T) {
	a := linesOf("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")
	b := linesOf("1", "2", "3", "4", "five", "6", "7", "8", "9", "10", "11", "12", "13")
	var u bytes.Buffer
	WriteUnified(&u, "run 1", "run 2", Hunks(a, b, Compare(a, b, 0), 3))
	want := `--- run 1
+++ run 2
@@ -2,7 +2,7 @@
 2
 3
 4
-5
+five
 6
 7
 8
@@ -10,3 +10,4 @@
 10
 11
 12
+13
`
	if u.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", u.String(), want)
	}
}

func TestMaskIgnoresVolatileParts(t *testing.T) {
	mask := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return '#'
			}
			return r
		}, s)
	}
	a, b := &Lines{Mask: mask}, &Lines{Mask: mask}
	a.Add("uptime is 3 weeks")
	b.Add("uptime is 4 weeks")
	a.Add("hostname r1")
	b.Add("hostname r2")
	if s := Compare(a, b, 0); !Same(s) {
		t.Fatalf("masked lines differ: %+v", s)
	}
	if h := Hunks(a, b, []Span{{Op: Equal, N: 2}}, 3); len(h) != 0 {
		t.Fatalf("hunks for no change: %+v", h)
	}
}

// A million lines with a few changes, and a region with nothing in
// common (past MaxCost): fast, bounded, and still a correct script.
func TestMillionLines(t *testing.T) {
	a, b := &Lines{}, &Lines{}
	for i := range 1_000_000 {
		a.Add(fmt.Sprintf("line %d", i))
		switch {
		case i == 10 || i == 500_000:
			b.Add(fmt.Sprintf("changed %d", i))
		case i >= 700_000 && i < 720_000:
			b.Add(fmt.Sprintf("other %d", i))
		default:
			b.Add(fmt.Sprintf("line %d", i))
		}
	}
	spans := Compare(a, b, 1000)
	apply(t, a, b, spans)
	if e := edits(spans); e != 2*2+2*20_000 {
		t.Fatalf("%d edits", e)
	}
	if h := Hunks(a, b, spans, 3); len(h) != 3 {
		t.Fatalf("%d hunks", len(h))
	}
}

// Nothing in common: the work budget bounds the search, and the script
// is still correct (all deleted, all inserted).
func TestNothingInCommonIsBounded(t *testing.T) {
	a, b := &Lines{}, &Lines{}
	for i := range 100_000 {
		a.Add(fmt.Sprintf("a %d", i))
		b.Add(fmt.Sprintf("b %d", i))
	}
	spans := Compare(a, b, 0)
	apply(t, a, b, spans)
	if e := edits(spans); e != 200_000 {
		t.Fatalf("%d edits", e)
	}
}
