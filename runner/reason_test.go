package runner

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzSafeReason: whatever an error's text holds, the stored reason is one
// line of valid UTF-8 with graphic runes only, bounded, unchanged when
// already clean, and the same when cleaned twice.
func FuzzSafeReason(f *testing.F) {
	for _, s := range []string{"", "closed: connection lost", "timeout: idle",
		"connect: no common key exchange algorithm (server offers a\x1b]0;owned\x07b\x9b31m\r\nc\x00\xff)",
		"auth: é日本 \u2028 \u202e", strings.Repeat("x", maxReasonBytes+10), strings.Repeat("日", 400)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := safeReason(in)
		if !utf8.ValidString(out) || len(out) > maxReasonBytes {
			t.Fatalf("%q → %q: invalid UTF-8 or longer than %d", in, out, maxReasonBytes)
		}
		for _, r := range out {
			if r < 0x20 || (r >= 0x7f && r <= 0x9f) || !unicode.IsGraphic(r) {
				t.Fatalf("%q → %q keeps %U", in, out, r)
			}
		}
		if safeReason(out) != out {
			t.Fatalf("%q → %q not stable", in, out)
		}
		clean := utf8.ValidString(in) && len(in) <= maxReasonBytes && !strings.ContainsFunc(in, func(r rune) bool {
			return r < 0x20 || (r >= 0x7f && r <= 0x9f) || !unicode.IsGraphic(r)
		})
		if clean && out != in {
			t.Fatalf("clean %q changed to %q", in, out)
		}
	})
}
