package sshadapter

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"

	"golang.org/x/sync/errgroup"
)

// Benchmarks against a real sshd on 127.0.0.1; run with
//
//	go test -run '^$' -bench . -benchtime 5x ./adapters/ssh
//
// Figures are in docs/BENCHMARKS.md.

const (
	fanOutRuns        = 100
	fanOutParallelism = 50
)

// BenchmarkFanOut100 is 100 runs of `echo hi` through the Adapter at
// parallelism 50 against one sshd; one op is one batch (wall time).
func BenchmarkFanOut100(b *testing.B) {
	s, e := trustedSSHD(b)
	a := e.adapter(b)
	dev := linuxDevice(b, s)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fanOut(b, func() error {
			var o output
			res, err := a.Run(context.Background(), dev, "echo hi", o.add)
			if err == nil && (res.ExitCode == nil || *res.ExitCode != 0 || o.String() != "hi\n") {
				err = fmt.Errorf("bad result %+v: %q", res, o.String())
			}
			return err
		})
	}
}

// BenchmarkFanOut100BareXCrypto is the same batch with x/crypto/ssh alone:
// dial, session, Output, close; no known_hosts, ssh config or chunking.
func BenchmarkFanOut100BareXCrypto(b *testing.B) {
	s := startSSHD(b, sshdOptions{})
	cfg := &ssh.ClientConfig{
		User:            loginUser(b),
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(clientSigner)},
		HostKeyCallback: ssh.FixedHostKey(s.HostKey),
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fanOut(b, func() error {
			c, err := ssh.Dial("tcp", s.Addr(), cfg)
			if err != nil {
				return err
			}
			defer c.Close()
			sess, err := c.NewSession()
			if err != nil {
				return err
			}
			defer sess.Close()
			out, err := sess.Output("echo hi")
			if err == nil && string(out) != "hi\n" {
				err = fmt.Errorf("output %q", out)
			}
			return err
		})
	}
}

// BenchmarkFanOut100ParallelSSH is the same batch with Debian's pssh
// (OpenSSH client, curve25519 key exchange), for context.
func BenchmarkFanOut100ParallelSSH(b *testing.B) {
	pssh, err := exec.LookPath("parallel-ssh")
	if err != nil {
		b.Skip("parallel-ssh not installed")
	}
	s, e := trustedSSHD(b)
	hosts := filepath.Join(e.Home, "hosts")
	var lines strings.Builder
	for i := 0; i < fanOutRuns; i++ {
		fmt.Fprintf(&lines, "%s@127.0.0.1:%d\n", loginUser(b), s.Port)
	}
	writeFile(b, hosts, lines.String())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(pssh, "-p", strconv.Itoa(fanOutParallelism), "-h", hosts,
			"-x", "-i "+clientKeyPath+" -o UserKnownHostsFile="+e.Config.UserKnownHosts+
				" -o KexAlgorithms=curve25519-sha256 -o BatchMode=yes",
			"echo hi")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("pssh: %v\n%s", err, out)
		}
	}
}

// fanOut runs fn fanOutRuns times at fanOutParallelism.
func fanOut(b testing.TB, fn func() error) {
	var g errgroup.Group
	g.SetLimit(fanOutParallelism)
	for j := 0; j < fanOutRuns; j++ {
		g.Go(fn)
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
}

// streamFile is a generated file of show-command-like lines, shared by the
// stream benchmarks; NETAUTO_BENCH_STREAM_MB sets its size (default 200).
// TestMain removes it.
var streamFile struct {
	once sync.Once
	path string
	size int64
	err  error
}

func showFile(b *testing.B) (string, int64) {
	streamFile.once.Do(func() {
		mb := 200
		if v, err := strconv.Atoi(os.Getenv("NETAUTO_BENCH_STREAM_MB")); err == nil && v > 0 {
			mb = v
		}
		dir, err := os.MkdirTemp("", "netauto-bench-")
		if err != nil {
			streamFile.err = err
			return
		}
		if err := os.Chmod(dir, 0o755); err != nil { // the test user reads it
			streamFile.err = err
			return
		}
		streamFile.path = filepath.Join(dir, "show.txt")
		streamFile.size, streamFile.err = writeShowFile(streamFile.path, int64(mb)<<20)
	})
	if streamFile.err != nil {
		b.Fatal(streamFile.err)
	}
	return streamFile.path, streamFile.size
}

// writeShowFile writes about size bytes shaped like `show interfaces`.
func writeShowFile(path string, size int64) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var n int64
	for i := 0; n < size; i++ {
		k, _ := fmt.Fprintf(w, "GigabitEthernet%d/0/%d is up, line protocol is up (connected)\n"+
			"  Hardware is Gigabit Ethernet, address is 00a0.%04x.%04x (bia 00a0.%04x.%04x)\n"+
			"  Internet address is 10.%d.%d.1/24\n"+
			"  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec, reliability 255/255, txload 1/255\n"+
			"     %d packets input, %d bytes, 0 no buffer\n",
			i%8, i%48, i&0xffff, i>>16, i&0xffff, i>>16, (i>>8)&0xff, i&0xff, i*37, i*5113)
		n += int64(k)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	return n, f.Close()
}

// BenchmarkStream is one run streaming the generated file with `cat`
// through the Adapter (chunks counted, not kept); MB/s.
func BenchmarkStream(b *testing.B) {
	path, size := showFile(b)
	s, e := trustedSSHD(b)
	a := e.adapter(b)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var got int64
		chunks := 0
		_, err := a.Run(context.Background(), linuxDevice(b, s), "cat "+path, func(p []byte) { got += int64(len(p)); chunks++ })
		if err != nil || got != size {
			b.Fatalf("got %d of %d bytes: %v", got, size, err)
		}
		b.ReportMetric(float64(size)/float64(chunks), "B/chunk")
	}
}

// BenchmarkStreamOpenSSH is `ssh host cat FILE > /dev/null` with the
// OpenSSH client, measured the same way.
func BenchmarkStreamOpenSSH(b *testing.B) {
	path, size := showFile(b)
	s, e := trustedSSHD(b)
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devnull.Close()
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command("ssh", "-i", clientKeyPath, "-o", "UserKnownHostsFile="+e.Config.UserKnownHosts,
			"-o", "BatchMode=yes", "-p", strconv.Itoa(s.Port), loginUser(b)+"@127.0.0.1", "cat "+path)
		var stderr strings.Builder
		cmd.Stdout, cmd.Stderr = devnull, &stderr
		if err := cmd.Run(); err != nil {
			b.Fatalf("ssh: %v\n%s", err, stderr.String())
		}
	}
}

// BenchmarkStreamBareXCrypto is x/crypto/ssh alone copying to io.Discard.
func BenchmarkStreamBareXCrypto(b *testing.B) {
	path, size := showFile(b)
	s := startSSHD(b, sshdOptions{})
	cfg := &ssh.ClientConfig{
		User:            loginUser(b),
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(clientSigner)},
		HostKeyCallback: ssh.FixedHostKey(s.HostKey),
	}
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := ssh.Dial("tcp", s.Addr(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		sess, err := c.NewSession()
		if err != nil {
			b.Fatal(err)
		}
		sess.Stdout = io.Discard
		if err := sess.Run("cat " + path); err != nil {
			b.Fatal(err)
		}
		sess.Close()
		c.Close()
	}
}
