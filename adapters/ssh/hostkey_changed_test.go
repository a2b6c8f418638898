package sshadapter

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
)

// TestHostKeyChangedOnEveryHop: a changed key is refused on a ProxyJump hop
// and on the target behind a good hop, even when the operator's decider
// would trust anything; the decider is never asked, and known_hosts is
// left as it was.
func TestHostKeyChangedOnEveryHop(t *testing.T) {
	jump := startSSHD(t, sshdOptions{Extra: []string{"AllowTcpForwarding yes"}})
	target := startSSHD(t, sshdOptions{})
	other := startSSHD(t, sshdOptions{})
	for _, c := range []struct {
		name       string
		jumpKey    *sshd // whose key known_hosts holds for the jump host
		targetKey  *sshd // and for the target
		wantPrefix string
	}{
		{"jump host", other, target, "hostkey: jump host 127.0.0.1: key for [127.0.0.1]:" + itoa(jump.Port) + " changed (fingerprint SHA256:"},
		{"target behind the jump host", jump, other, "hostkey: key for [127.0.0.1]:" + itoa(target.Port) + " changed (fingerprint SHA256:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEnv(t)
			e.trust(t, jump.Addr(), c.jumpKey.HostKey)
			e.trust(t, target.Addr(), c.targetKey.HostKey)
			before := readFile(t, e.Config.UserKnownHosts)
			var asked atomic.Int32
			e.Config.HostKeys = func(context.Context, HostKeyQuestion) (Decision, error) {
				asked.Add(1)
				return TrustAlways, nil
			}
			dev := linuxDevice(t, target)
			dev.Jump = "root@127.0.0.1:" + itoa(jump.Port)
			_, _, err := run(t, e.adapter(t), dev, "true")
			if err == nil || !strings.HasPrefix(err.Error(), c.wantPrefix) {
				t.Fatalf("err = %v, want prefix %q", err, c.wantPrefix)
			}
			if n := asked.Load(); n != 0 {
				t.Errorf("the decider was asked %d times about a changed key", n)
			}
			if after := readFile(t, e.Config.UserKnownHosts); after != before {
				t.Errorf("user known_hosts changed:\n%s", after)
			}
			if fileExists(e.OwnHosts) {
				t.Errorf("a key was recorded in netauto's known_hosts:\n%s", readFile(t, e.OwnHosts))
			}
		})
	}
}
