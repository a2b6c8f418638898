package sanitize

import "encoding/binary"

// SWAR constants: one byte value repeated in every byte of a word.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// printableRun returns the length of the run of printable ASCII (0x20–0x7E)
// at the start of p, testing eight bytes at a time.
func printableRun(p []byte) int {
	i := 0
	for ; i+8 <= len(p); i += 8 {
		w := binary.LittleEndian.Uint64(p[i:])
		below := (w - ones*0x20) &^ w // high bit set where a byte is < 0x20 (or >= 0x80)
		above := (w + ones*(0x7F-0x7E)) | w
		if (below|above)&highs != 0 {
			break
		}
	}
	for i < len(p) && p[i]-0x20 < 0x5f {
		i++
	}
	return i
}
