package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzJSONStringBody: the hand-written escaper gives valid JSON that
// decodes to what encoding/json's own encoding of the string decodes to.
func FuzzJSONStringBody(f *testing.F) {
	for _, s := range []string{"", "plain", "quote \" backslash \\ tab \t nl \n", "\x00\x1f\x7f",
		"bad \xff utf8 \xe2\x82", "sep \u2028 \u2029", "<html>&", "é日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		w := bufio.NewWriter(&b)
		w.WriteByte('"')
		writeJSONStringBody(w, s)
		w.WriteByte('"')
		w.Flush()
		var got string
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatalf("%q encoded as invalid JSON %s: %v", s, b.Bytes(), err)
		}
		std, _ := json.Marshal(s)
		var want string
		if err := json.Unmarshal(std, &want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("%q decodes to %q, want %q", s, got, want)
		}
	})
}
