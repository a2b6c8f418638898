package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"testing"

	"netauto/store"
)

// benchOutput is ~1 MiB of show-interfaces lines, in 32 KiB chunks as the
// ssh adapter hands them on.
func benchOutput() [][]byte {
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, "GigabitEthernet%d/0/%d is up, line protocol is up (connected)\r\n  5 minute input rate %d bits/sec, %d packets/sec\r\n", i%4, i%48, i*7919, i%1000)
	}
	data := []byte(b.String())
	var chunks [][]byte
	for len(data) > 0 {
		n := min(len(data), 32<<10)
		chunks = append(chunks, data[:n])
		data = data[n:]
	}
	return chunks
}

// benchPrinter feeds the chunks of one run through the printer's output
// path, writing to io.Discard.
func benchPrinter(b *testing.B, json bool) {
	chunks := benchOutput()
	total := 0
	for _, c := range chunks {
		total += len(c)
	}
	p := &printer{opts: printerOptions{json: json}, out: bufio.NewWriterSize(io.Discard, 64<<10), width: 8}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		v := &runView{run: store.Run{ID: 1, Device: "edge-r1"}, started: true}
		v.prefix = p.prefix(v.run.Device)
		for i, c := range chunks {
			p.chunk(v, int64(i+1), c)
		}
		p.end(v)
	}
}

// Reproduce: go test -run '^$' -bench Printer -benchmem ./cli/
func BenchmarkPrinterText(b *testing.B) { benchPrinter(b, false) }
func BenchmarkPrinterJSON(b *testing.B) { benchPrinter(b, true) }
