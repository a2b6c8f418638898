package sanitize

import "testing"

func TestPrintableRun(t *testing.T) {
	for b := range 256 {
		for pos := range 20 {
			p := []byte("abcdefghijklmnopqrstuvwxyz~ ")
			p[pos] = byte(b)
			want := len(p)
			if b < 0x20 || b > 0x7E {
				want = pos
			}
			if got := printableRun(p); got != want {
				t.Fatalf("byte %#x at %d: run %d, want %d", b, pos, got, want)
			}
		}
	}
}
