package units

import "fmt"

// Plural renders a count with its noun, "1 device", "3 devices": the
// noun's plural is the noun and an s, which holds for every noun netauto
// counts (device, run, line, site, command).
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
