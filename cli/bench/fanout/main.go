// Command fanout is the baseline of the fan-out benchmark: a bare
// golang.org/x/crypto/ssh client that runs one command on N hosts, P at a
// time, with public-key auth and known_hosts verification, and prints
// nothing but a count. It is what netauto's run is measured against
// (cli/bench/fanout.sh); it has no store, no quota, no sanitizing.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:22", "host:port of the sshd")
	n := flag.Int("n", 100, "number of connections (one command each)")
	p := flag.Int("p", 50, "connections at once")
	user := flag.String("user", os.Getenv("USER"), "login name")
	keyFile := flag.String("key", "", "private key file")
	knownHosts := flag.String("known-hosts", "", "known_hosts file")
	command := flag.String("c", "echo hi", "command")
	flag.Parse()

	pem, err := os.ReadFile(*keyFile)
	if err != nil {
		log.Fatal(err)
	}
	signer, err := ssh.ParsePrivateKey(pem)
	if err != nil {
		log.Fatal(err)
	}
	hostKeys, err := knownhosts.New(*knownHosts)
	if err != nil {
		log.Fatal(err)
	}
	cfg := &ssh.ClientConfig{
		User:            *user,
		Auth:            []ssh.AuthMethod{ssh.PublicKeys(signer)},
		HostKeyCallback: hostKeys,
		Timeout:         15 * time.Second,
	}
	sem := make(chan struct{}, *p)
	var wg sync.WaitGroup
	var ok, failed atomic.Int64
	for range *n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := runOne(*addr, cfg, *command); err != nil {
				failed.Add(1)
				fmt.Fprintln(os.Stderr, err)
				return
			}
			ok.Add(1)
		})
	}
	wg.Wait()
	fmt.Printf("%d ok, %d failed\n", ok.Load(), failed.Load())
	if failed.Load() > 0 {
		os.Exit(1)
	}
}

// runOne connects, runs command on an exec channel, reads its output and
// closes the connection.
func runOne(addr string, cfg *ssh.ClientConfig, command string) error {
	conn, err := net.DialTimeout("tcp", addr, cfg.Timeout)
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(cfg.Timeout))
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if err != nil {
		conn.Close()
		return err
	}
	conn.SetDeadline(time.Time{})
	client := ssh.NewClient(c, chans, reqs)
	defer client.Close()
	s, err := client.NewSession()
	if err != nil {
		return err
	}
	defer s.Close()
	var out bytes.Buffer
	s.Stdout = &out
	return s.Run(command)
}
