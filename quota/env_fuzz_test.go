package quota

import (
	"encoding/json"
	"errors"
	"maps"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseEnv: whatever the two variables hold, ParseEnv returns either a
// one-line *EnvError naming one of them, or caps >= 0 under non-empty,
// trimmed site names; and the caps it accepted read back the same when
// written out again as JSON (names in valid UTF-8) and as CSV (names
// without commas, equals signs or a leading bracket).
func FuzzParseEnv(f *testing.F) {
	for _, s := range [][2]string{
		{"", ""}, {"50", `{"chi1":5,"nyc2":10}`}, {" 0 ", "chi1=5,nyc2=10"}, {"-1", "chi1=x"},
		{"99999999999999999999", `{"a":1,"a":2}`}, {"1e3", `{"a":1.5}`}, {"", `[1]`}, {"", `{"a":1} x`},
		{"", `{" ":1}`}, {"", "a=1,,b=2"}, {"", "=1"}, {"", `{"a\u0000":3}`}, {"", `{"é":007}`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, global, sites string) {
		getenv := func(k string) string {
			switch k {
			case EnvGlobalLimit:
				return global
			case EnvSiteLimits:
				return sites
			}
			return ""
		}
		cfg, err := ParseEnv(getenv)
		if err != nil {
			var ee *EnvError
			if !errors.As(err, &ee) || (ee.Var != EnvGlobalLimit && ee.Var != EnvSiteLimits) {
				t.Fatalf("error %v (%T) is not an *EnvError naming a variable", err, err)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || !strings.HasPrefix(msg, ee.Var+": ") {
				t.Fatalf("error is not one line starting with the variable: %q", msg)
			}
			if cfg.Global != nil || cfg.Sites != nil {
				t.Fatalf("error %v with a config %+v", err, cfg)
			}
			return
		}
		if (cfg.Global != nil) != (strings.TrimSpace(global) != "") {
			t.Fatalf("global %q gave %v", global, cfg.Global)
		}
		if cfg.Global != nil && *cfg.Global < 0 {
			t.Fatalf("negative global cap %d from %q", *cfg.Global, global)
		}
		if (cfg.Sites != nil) != (strings.TrimSpace(sites) != "") {
			t.Fatalf("sites %q gave %v", sites, cfg.Sites)
		}
		csvSafe, utf8Names := true, true
		for name, n := range cfg.Sites {
			if n < 0 || name == "" || name != strings.TrimSpace(name) {
				t.Fatalf("site %q cap %d accepted from %q", name, n, sites)
			}
			utf8Names = utf8Names && utf8.ValidString(name)
			csvSafe = csvSafe && !strings.ContainsAny(name, ",=") && !strings.HasPrefix(name, "{") && !strings.HasPrefix(name, "[")
		}
		if cfg.Sites == nil {
			return
		}
		if utf8Names { // JSON writes invalid UTF-8 as U+FFFD
			js, err := json.Marshal(cfg.Sites)
			if err != nil {
				t.Fatal(err)
			}
			readBack(t, string(js), cfg.Sites)
		}
		if csvSafe && len(cfg.Sites) > 0 {
			var parts []string
			for name, n := range cfg.Sites {
				parts = append(parts, name+"="+strconv.Itoa(n))
			}
			readBack(t, strings.Join(parts, ","), cfg.Sites)
		}
	})
}

// readBack parses v as NET_AUTO_AUTOMATION_SITE_LIMITS and wants sites.
func readBack(t *testing.T, v string, want map[string]int) {
	t.Helper()
	got, err := ParseEnv(func(k string) string {
		if k == EnvSiteLimits {
			return v
		}
		return ""
	})
	if err != nil || !maps.Equal(got.Sites, want) {
		t.Fatalf("%q read back as %v (%v), want %v", v, got.Sites, err, want)
	}
}
