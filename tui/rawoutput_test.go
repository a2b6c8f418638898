package tui

import (
	"bytes"
	"testing"

	"pgregory.net/rapid"
)

// rawOutput keeps the newest output within its bound, cut at a line start,
// accounts for every byte it leaves out, and holds the chunks it was given
// rather than copies.
func TestRawOutputTailProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		max := rapid.IntRange(1, 64).Draw(t, "max")
		var o rawOutput
		var all, last []byte
		for range rapid.IntRange(1, 40).Draw(t, "chunks") {
			last = []byte(rapid.StringMatching(`[a-c\n]{1,50}`).Draw(t, "chunk"))
			all = append(all, last...)
			skipped := o.skipped
			o.appendTail(last, max)

			held := bytes.Join(o.chunks, nil)
			if len(held) != o.n {
				t.Fatalf("n = %d, holds %d bytes", o.n, len(held))
			}
			if o.n > 2*max {
				t.Fatalf("holds %d bytes, bound 2×%d", o.n, max)
			}
			if int(o.skipped)+o.n != len(all) {
				t.Fatalf("skipped %d + held %d != %d appended", o.skipped, o.n, len(all))
			}
			if !bytes.HasSuffix(all, held) {
				t.Fatalf("holds %q, not the tail of %q", held, all)
			}
			if o.skipped != skipped && all[o.skipped-1] != '\n' && bytes.IndexByte(held, '\n') >= 0 {
				t.Fatalf("cut in mid-line with a line start left in %q", held)
			}
		}
		if k := len(o.chunks) - 1; k >= 0 {
			newest := o.chunks[k]
			if &newest[len(newest)-1] != &last[len(last)-1] {
				t.Fatal("the newest chunk is held as a copy")
			}
		}
		free := o.chunks[len(o.chunks):cap(o.chunks)]
		for i, c := range free {
			if c != nil {
				t.Fatalf("slot %d past the held chunks still points at dropped output", i)
			}
		}
	})
}
