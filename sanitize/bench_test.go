package sanitize

import (
	"bytes"
	"fmt"
	"testing"
)

// deviceOutput is about n bytes shaped like show-command output: CRLF
// lines of interface names, addresses and counters.
func deviceOutput(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "GigabitEthernet0/%-3d 10.%d.%d.1      YES NVRAM  up                    up      \r\n", i%48, i%250, i%200)
		fmt.Fprintf(&b, "  %d packets input, %d bytes, 0 no buffer\r\n", i*1013, i*77777)
		fmt.Fprintf(&b, "  Received %d broadcasts (0 IP multicasts)\r\n", i*3)
	}
	return b.Bytes()
}

// benchFeed feeds data in 32 KiB chunks, as the ssh adapter hands them on.
func benchFeed(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	lines := 0
	emit := func(string) { lines++ }
	for b.Loop() {
		var s Stream
		for off := 0; off < len(data); off += 32 << 10 {
			s.Feed(data[off:min(off+32<<10, len(data))], emit)
		}
		s.Flush(emit)
	}
	if lines == 0 {
		b.Fatal("no lines")
	}
}

func BenchmarkFeedASCII(b *testing.B) { benchFeed(b, deviceOutput(1<<20)) }

// BenchmarkFeedBytesASCII is FeedASCII through FeedBytes: no string per
// line.
func BenchmarkFeedBytesASCII(b *testing.B) {
	data := deviceOutput(1 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	lines := 0
	emit := func([]byte) { lines++ }
	for b.Loop() {
		var s Stream
		for off := 0; off < len(data); off += 32 << 10 {
			s.FeedBytes(data[off:min(off+32<<10, len(data))], emit)
		}
		s.FlushBytes(emit)
	}
	if lines == 0 {
		b.Fatal("no lines")
	}
}

func BenchmarkStringASCII(b *testing.B) {
	data := deviceOutput(1 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if len(String(data)) == 0 {
			b.Fatal("empty")
		}
	}
}

func BenchmarkFeedUTF8(b *testing.B) {
	data := bytes.ReplaceAll(deviceOutput(1<<20), []byte("packets"), []byte("paquets reçus—日本"))
	benchFeed(b, data)
}

func BenchmarkFeedEscapes(b *testing.B) {
	data := bytes.ReplaceAll(deviceOutput(1<<20), []byte(" up "), []byte(" \x1b[32mup\x1b[0m "))
	benchFeed(b, data)
}

func BenchmarkFeedHostile(b *testing.B) { benchFeed(b, bytes.Repeat(hostileSample(), 200)) }
