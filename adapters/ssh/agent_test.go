package sshadapter

import (
	"net"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh/agent"
)

// startAgent serves an in-memory ssh-agent holding the test key on a unix
// socket in dir.
func startAgent(t *testing.T, dir string) string {
	t.Helper()
	kr := agent.NewKeyring()
	if err := kr.Add(agent.AddedKey{PrivateKey: clientPrivate}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				agent.ServeAgent(kr, c)
			}()
		}
	}()
	t.Cleanup(func() { l.Close(); wg.Wait() })
	return sock
}

func TestAgentAuth(t *testing.T) {
	s, e := trustedSSHD(t)
	dev := linuxDevice(t, s)
	dev.KeyFile = ""
	dev.Agent = true

	// Agent asked for but no socket: the auth error says why.
	_, _, err := run(t, e.adapter(t), dev, "true")
	if err == nil || err.Error() != "auth: login refused for "+dev.Username+"@127.0.0.1:"+itoa(s.Port)+" (tried none, publickey); agent: SSH_AUTH_SOCK is not set" {
		t.Fatalf("err = %v", err)
	}

	e.Env["SSH_AUTH_SOCK"] = startAgent(t, e.Home)
	out, _, err := run(t, e.adapter(t), dev, "echo agent")
	if err != nil || out != "agent\n" {
		t.Fatalf("agent auth: %q, %v", out, err)
	}
	// A socket that exists is used even when the device does not ask.
	dev.Agent = false
	if _, _, err := run(t, e.adapter(t), dev, "true"); err != nil {
		t.Fatalf("agent by socket: %v", err)
	}
}
