package inventory

import "testing"

// FuzzParse checks that Parse never panics and either fails or returns an
// inventory whose devices all have a host and a known platform.
func FuzzParse(f *testing.F) {
	f.Add([]byte(example))
	f.Add([]byte(selectInv))
	f.Add([]byte("devices:\n  r1: {host: a, platform: generic, prompt_pattern: '[>#]$'}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := Parse("fuzz.yaml", data)
		if err != nil {
			if inv != nil {
				t.Fatal("inventory returned with an error")
			}
			return
		}
		for i, d := range inv.Devices {
			if d.Host == "" || !d.Platform.Known() {
				t.Fatalf("device %+v lacks host or known platform", d)
			}
			if d.Platform == PlatformGeneric && d.PromptPattern == "" {
				t.Fatalf("generic device %q without prompt_pattern", d.Name)
			}
			if i > 0 && inv.Devices[i-1].Name >= d.Name {
				t.Fatalf("devices not sorted and unique: %q, %q", inv.Devices[i-1].Name, d.Name)
			}
		}
	})
}
