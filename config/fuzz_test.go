package config

import "testing"

// FuzzParse checks that Parse never panics, and that a file it accepts
// resolves without error.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("caps: {sites: {a: 1}}\nprune: {older_than: 1w}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("c.yaml", data)
		if err != nil {
			return
		}
		if _, err := Resolve(Input{File: file}); err != nil {
			t.Fatalf("accepted file does not resolve: %v", err)
		}
	})
}
