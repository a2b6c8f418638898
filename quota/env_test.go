package quota

import (
	"errors"
	"maps"
	"strings"
	"testing"
)

// env returns a getenv over vars.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestParseEnv(t *testing.T) {
	tests := []struct {
		name   string
		global string
		sites  string
		want   EnvConfig // Global compared by value
		wantG  int
	}{
		{name: "unset", want: EnvConfig{}},
		{name: "blank counts as unset", global: "  ", sites: " \t", want: EnvConfig{}},
		{name: "global", global: "50", wantG: 50, want: EnvConfig{Global: new(int)}},
		{name: "global zero", global: " 0 ", wantG: 0, want: EnvConfig{Global: new(int)}},
		{name: "json", sites: `{"chi1":5,"nyc2":10}`, want: EnvConfig{Sites: map[string]int{"chi1": 5, "nyc2": 10}}},
		{name: "json spaced", sites: ` { "chi1" : 5 ,
			"nyc2": 0 } `, want: EnvConfig{Sites: map[string]int{"chi1": 5, "nyc2": 0}}},
		{name: "json empty object", sites: `{}`, want: EnvConfig{Sites: map[string]int{}}},
		{name: "csv", sites: "chi1=5,nyc2=10", want: EnvConfig{Sites: map[string]int{"chi1": 5, "nyc2": 10}}},
		{name: "csv spaced", sites: " chi1 = 5 , nyc2=0 ", want: EnvConfig{Sites: map[string]int{"chi1": 5, "nyc2": 0}}},
		{name: "csv one", sites: "lab=1", want: EnvConfig{Sites: map[string]int{"lab": 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEnv(env(map[string]string{EnvGlobalLimit: tt.global, EnvSiteLimits: tt.sites}))
			if err != nil {
				t.Fatalf("ParseEnv: %v", err)
			}
			if (got.Global == nil) != (tt.want.Global == nil) {
				t.Fatalf("Global = %v, want set=%v", got.Global, tt.want.Global != nil)
			}
			if got.Global != nil && *got.Global != tt.wantG {
				t.Errorf("Global = %d, want %d", *got.Global, tt.wantG)
			}
			if (got.Sites == nil) != (tt.want.Sites == nil) || !maps.Equal(got.Sites, tt.want.Sites) {
				t.Errorf("Sites = %#v, want %#v", got.Sites, tt.want.Sites)
			}
		})
	}
}

func TestParseEnvErrors(t *testing.T) {
	const siteForms = ` (accepted forms: JSON {"chi1":5,"nyc2":10} or CSV chi1=5,nyc2=10, caps whole numbers >= 0)`
	const globalForms = ` (accepted forms: a whole number >= 0, e.g. NET_AUTO_AUTOMATION_GLOBAL_LIMIT=50)`
	tests := []struct {
		name, global, sites, want string
	}{
		{"global not a number", "fifty", "", `NET_AUTO_AUTOMATION_GLOBAL_LIMIT: "fifty": cap "fifty" is not a whole number` + globalForms},
		{"global negative", "-1", "", `NET_AUTO_AUTOMATION_GLOBAL_LIMIT: "-1": cap "-1" is negative` + globalForms},
		{"global fraction", "2.5", "", `NET_AUTO_AUTOMATION_GLOBAL_LIMIT: "2.5": cap "2.5" is not a whole number` + globalForms},
		{"global too large", "99999999999999999999", "", `NET_AUTO_AUTOMATION_GLOBAL_LIMIT: "99999999999999999999": cap "99999999999999999999" is too large` + globalForms},
		{"csv bad cap", "", "chi1=5,nyc2=x", `NET_AUTO_AUTOMATION_SITE_LIMITS: "nyc2=x": cap "x" is not a whole number` + siteForms},
		{"csv negative", "", "chi1=-5", `NET_AUTO_AUTOMATION_SITE_LIMITS: "chi1=-5": cap "-5" is negative` + siteForms},
		{"csv fraction", "", "chi1=1.5", `NET_AUTO_AUTOMATION_SITE_LIMITS: "chi1=1.5": cap "1.5" is not a whole number` + siteForms},
		{"csv missing cap", "", "chi1=", `NET_AUTO_AUTOMATION_SITE_LIMITS: "chi1=": the cap is missing` + siteForms},
		{"csv no equals", "", "chi1:5", `NET_AUTO_AUTOMATION_SITE_LIMITS: "chi1:5": no "=" between site and cap` + siteForms},
		{"csv empty site", "", " =5", `NET_AUTO_AUTOMATION_SITE_LIMITS: "=5": empty site name` + siteForms},
		{"csv duplicate", "", "chi1=5, chi1 =6", `NET_AUTO_AUTOMATION_SITE_LIMITS: "chi1 =6": site "chi1" is named twice` + siteForms},
		{"csv empty entry", "", "chi1=5,,nyc2=1", `NET_AUTO_AUTOMATION_SITE_LIMITS: "chi1=5,,nyc2=1": empty entry (two commas in a row, or one at an end)` + siteForms},
		{"csv trailing comma", "", "chi1=5,", `NET_AUTO_AUTOMATION_SITE_LIMITS: "chi1=5,": empty entry (two commas in a row, or one at an end)` + siteForms},
		{"json bad cap", "", `{"chi1":"5"}`, `NET_AUTO_AUTOMATION_SITE_LIMITS: "\"chi1\":5": cap of "chi1" is not a number` + siteForms},
		{"json fraction", "", `{"chi1":5.5}`, `NET_AUTO_AUTOMATION_SITE_LIMITS: "\"chi1\":5.5": cap "5.5" is not a whole number` + siteForms},
		{"json exponent", "", `{"chi1":1e3}`, `NET_AUTO_AUTOMATION_SITE_LIMITS: "\"chi1\":1e3": cap "1e3" is not a whole number` + siteForms},
		{"json negative", "", `{"chi1":-2}`, `NET_AUTO_AUTOMATION_SITE_LIMITS: "\"chi1\":-2": cap "-2" is negative` + siteForms},
		{"json empty site", "", `{"":2}`, `NET_AUTO_AUTOMATION_SITE_LIMITS: "\"\":2": empty site name` + siteForms},
		{"json duplicate", "", `{"chi1":2,"chi1":3}`, `NET_AUTO_AUTOMATION_SITE_LIMITS: "\"chi1\":3": site "chi1" is named twice` + siteForms},
		{"json nested", "", `{"chi1":{"limit":2}}`, `NET_AUTO_AUTOMATION_SITE_LIMITS: "\"chi1\":{": cap of "chi1" is not a number` + siteForms},
		{"json not an object", "", `[1,2]`, `NET_AUTO_AUTOMATION_SITE_LIMITS: "[1,2]": JSON must be an object of site names to caps` + siteForms},
		{"json unterminated", "", `{"chi1":5`, `NET_AUTO_AUTOMATION_SITE_LIMITS: "{\"chi1\":5": not valid JSON: unexpected end` + siteForms},
		{"json syntax", "", `{chi1:5}`, `NET_AUTO_AUTOMATION_SITE_LIMITS: "{chi1:5}": not valid JSON: invalid character 'c'` + siteForms},
		{"json trailing data", "", `{"chi1":5} x`, `NET_AUTO_AUTOMATION_SITE_LIMITS: "{\"chi1\":5} x": unexpected data after the JSON object` + siteForms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEnv(env(map[string]string{EnvGlobalLimit: tt.global, EnvSiteLimits: tt.sites}))
			if err == nil {
				t.Fatalf("ParseEnv = %+v, want error %s", got, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			var envErr *EnvError
			if !errors.As(err, &envErr) || !strings.HasPrefix(tt.want, envErr.Var+": ") {
				t.Errorf("not an *EnvError naming the variable: %#v", err)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	seven := 7
	file := map[string]int{"chi1": 5, "nyc2": 10}
	l := Merge(file, EnvConfig{Global: &seven, Sites: map[string]int{"nyc2": 2, "lab": 0}})
	if l.Global != 7 {
		t.Errorf("Global = %d, want the environment's 7", l.Global)
	}
	want := map[string]int{"chi1": 5, "nyc2": 2, "lab": 0}
	if !maps.Equal(l.Sites, want) {
		t.Errorf("Sites = %v, want %v", l.Sites, want)
	}
	if file["nyc2"] != 10 || len(file) != 2 {
		t.Errorf("Merge modified its input: %v", file)
	}

	l = Merge(nil, EnvConfig{})
	if l.Global != DefaultGlobalLimit || l.Sites == nil || len(l.Sites) != 0 {
		t.Errorf("Merge of nothing = %+v, want the default global cap and no site caps", l)
	}
	if d := DefaultLimits(); d.Global != 50 || len(d.Sites) != 0 {
		t.Errorf("DefaultLimits() = %+v", d)
	}
}
