package simlab

import (
	"io"
	"testing"
	"time"
)

// BenchmarkFlood measures fault-flood's throughput to an x/crypto client
// over loopback (default algorithms): the lab's side of a run that prints a
// lot. Each iteration is one 64 MiB command on a fresh connection.
func BenchmarkFlood(b *testing.B) {
	const size = 64 << 20
	l := startLab(b, Options{Devices: 1, FloodBytes: size})
	cfg := clientConfig(b, l, keyAuth(b, l))
	addr := named(b, l, "fault-flood").Addr
	b.SetBytes(size)
	for b.Loop() {
		c, err := dial(addr, cfg, 10*time.Second)
		if err != nil {
			b.Fatal(err)
		}
		sess, err := c.NewSession()
		if err != nil {
			b.Fatal(err)
		}
		out, _ := sess.StdoutPipe()
		if err := sess.Start("flood"); err != nil {
			b.Fatal(err)
		}
		if n, err := io.Copy(io.Discard, out); n != size || err != nil {
			b.Fatalf("%d bytes, %v", n, err)
		}
		sess.Wait()
		c.Close()
	}
}
