package units

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"30d": 720 * time.Hour, "1.5d": 36 * time.Hour, "2w": 336 * time.Hour,
		"90s": 90 * time.Second, "36h": 36 * time.Hour, "1h30m": 90 * time.Minute, " 5m ": 5 * time.Minute,
	} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "30", "d", "w", "x", "0s", "0d", "-1d", "-5m", "NaNd", "Infd", "1e9d", "1e9h", "1e-15d"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
	_, err := ParseDuration("forever")
	if want := `bad duration "forever": expected a positive duration such as 30s, 5m, 36h, 30d or 2w`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"2GB": 2e9, "500MB": 5e8, "1.5GB": 15e8, "10 kb": 10e3, "1GiB": 1 << 30, "500MiB": 500 << 20,
		"512M": 512 << 20, "4k": 4 << 10, "7B": 7, "1024": 1024, "1e6": 1e6,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "GB", "-1GB", "2XB", "lots", "NaN", "1e30TB", "0.5", ".00000001"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"30d", "2w", "1h30m", "2GB", "1GiB", "512M", "-1d", "1e300d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDuration(s); err == nil && (d <= 0 || d > maxDuration) {
			t.Fatalf("ParseDuration(%q) = %v", s, d)
		}
		if n, err := ParseSize(s); err == nil && n <= 0 {
			t.Fatalf("ParseSize(%q) = %d", s, n)
		}
	})
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 active runs"}, {1, "1 active run"}, {2, "2 active runs"}} {
		if got := Plural(c.n, "active run"); got != c.want {
			t.Errorf("Plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
