package inventory

import (
	"fmt"
	"strconv"
	"strings"
)

// maxRangeHosts bounds how many names one host pattern may expand to.
const maxRangeHosts = 100000

// expandHostPattern expands Ansible host ranges: "rtr[01:20].chi1" gives
// rtr01.chi1 … rtr20.chi1 (a leading zero keeps the width), "[a:c]" gives
// a, b, c, and "[1:9:2]" steps by 2. Several ranges in one name multiply.
// A name without brackets is returned as is.
func expandHostPattern(pattern string) ([]string, error) {
	open := strings.IndexByte(pattern, '[')
	if open < 0 {
		if strings.IndexByte(pattern, ']') >= 0 {
			return nil, fmt.Errorf("unbalanced ] in host pattern %q", pattern)
		}
		return []string{pattern}, nil
	}
	end := strings.IndexByte(pattern[open:], ']')
	if end < 0 {
		return nil, fmt.Errorf("unclosed [ in host pattern %q", pattern)
	}
	end += open
	items, err := rangeItems(pattern[open+1 : end])
	if err != nil {
		return nil, fmt.Errorf("host pattern %q: %v", pattern, err)
	}
	rest, err := expandHostPattern(pattern[end+1:])
	if err != nil {
		return nil, err
	}
	if len(items)*len(rest) > maxRangeHosts {
		return nil, fmt.Errorf("host pattern %q expands to more than %d hosts", pattern, maxRangeHosts)
	}
	out := make([]string, 0, len(items)*len(rest))
	for _, it := range items {
		for _, r := range rest {
			out = append(out, pattern[:open]+it+r)
		}
	}
	return out, nil
}

// rangeItems expands the inside of one [start:end(:step)] range.
func rangeItems(spec string) ([]string, error) {
	parts := strings.Split(spec, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return nil, fmt.Errorf("range [%s]: expected [start:end] or [start:end:step]", spec)
	}
	start, stop := parts[0], parts[1]
	step := 1
	if len(parts) == 3 {
		n, err := strconv.Atoi(parts[2])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("range [%s]: step must be a whole number, 1 or more", spec)
		}
		step = n
	}
	if isLetter(start) && isLetter(stop) {
		if start[0] > stop[0] {
			return nil, fmt.Errorf("range [%s]: start after end", spec)
		}
		var out []string
		for c := int(start[0]); c <= int(stop[0]); c += step {
			out = append(out, string(rune(c)))
		}
		return out, nil
	}
	if start == "" {
		start = "0"
	}
	a, errA := strconv.Atoi(start)
	b, errB := strconv.Atoi(stop)
	if errA != nil || errB != nil || a < 0 || b < 0 {
		return nil, fmt.Errorf("range [%s]: expected numbers (01:20) or single letters (a:c)", spec)
	}
	if a > b {
		return nil, fmt.Errorf("range [%s]: start after end", spec)
	}
	if (b-a)/step+1 > maxRangeHosts {
		return nil, fmt.Errorf("range [%s] expands to more than %d hosts", spec, maxRangeHosts)
	}
	width := 0
	if len(start) > 1 && start[0] == '0' {
		width = len(start)
	}
	var out []string
	for n := a; n <= b; n += step {
		out = append(out, fmt.Sprintf("%0*d", width, n))
	}
	return out, nil
}

// isLetter reports whether s is one ASCII letter.
func isLetter(s string) bool {
	return len(s) == 1 && (s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z')
}
