package sshadapter

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"netauto/inventory"
)

// target is one SSH endpoint with every value resolved: the device itself or
// one hop of its ProxyJump chain.
type target struct {
	alias    string   // the name looked up in the ssh config
	hostname string   // what to connect to
	port     int      // TCP port
	user     string   // login name
	keyFiles []string // private key files to try, in order
}

// addr is hostname:port.
func (t target) addr() string { return net.JoinHostPort(t.hostname, strconv.Itoa(t.port)) }

// maxJumpHops bounds ProxyJump chains (and loops in the ssh config).
const maxJumpHops = 8

// resolve works out the endpoint and ProxyJump chain of dev. Inventory
// values win over the ssh config, which wins over the built-in defaults.
func (a *Adapter) resolve(dev inventory.Device) (target, []target, error) {
	alias := dev.Host
	if alias == "" {
		alias = dev.Name
	}
	if alias == "" {
		return target{}, nil, fmt.Errorf("device has no host")
	}
	t := a.resolveAlias(alias, dev.Port, dev.Username)
	var extra []string
	if dev.KeyFile != "" {
		extra = append(extra, a.expandPath(dev.KeyFile, t))
	}
	t.keyFiles = append(extra, t.keyFiles...)

	jump := dev.Jump
	if jump == "" {
		jump = a.sshGet(alias, "ProxyJump")
	}
	hops, err := a.resolveJumps(jump, extra, 0)
	if err != nil {
		return target{}, nil, err
	}
	return t, hops, nil
}

// resolveJumps turns a ProxyJump value ("[user@]host[:port],...") into hops,
// following each hop's own ProxyJump from the ssh config (OpenSSH does the
// same), first hop first.
func (a *Adapter) resolveJumps(spec string, extraKeys []string, depth int) ([]target, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" || strings.EqualFold(spec, "none") {
		return nil, nil
	}
	var hops []target
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		part = strings.TrimPrefix(part, "ssh://")
		user := ""
		if i := strings.LastIndex(part, "@"); i >= 0 {
			user, part = part[:i], part[i+1:]
		}
		host, port := part, 0
		if h, p, err := net.SplitHostPort(part); err == nil {
			n, err := strconv.Atoi(p)
			if err != nil || n <= 0 || n > 65535 {
				return nil, fmt.Errorf("jump host %q: bad port", part)
			}
			host, port = h, n
		}
		if host == "" {
			return nil, fmt.Errorf("jump host %q: no host", spec)
		}
		if len(hops) == 0 {
			// A first hop's own ProxyJump (from the ssh config) comes before it.
			if sub := a.sshGet(host, "ProxyJump"); sub != "" && !strings.EqualFold(sub, "none") {
				if depth >= maxJumpHops {
					return nil, fmt.Errorf("ProxyJump chain longer than %d hops", maxJumpHops)
				}
				pre, err := a.resolveJumps(sub, extraKeys, depth+1)
				if err != nil {
					return nil, err
				}
				hops = append(hops, pre...)
			}
		}
		h := a.resolveAlias(host, port, user)
		h.keyFiles = append(append([]string(nil), extraKeys...), h.keyFiles...)
		hops = append(hops, h)
	}
	if len(hops)+depth > maxJumpHops {
		return nil, fmt.Errorf("ProxyJump chain longer than %d hops", maxJumpHops)
	}
	return hops, nil
}

// resolveAlias applies the ssh config to one name; port and user, when
// non-zero, come from the inventory or the jump spec and win.
func (a *Adapter) resolveAlias(alias string, port int, user string) target {
	t := target{alias: alias, hostname: alias, port: port, user: user}
	if hn := a.sshGet(alias, "HostName"); hn != "" {
		t.hostname = expandTokens(hn, alias, "", "", "")
	}
	if t.port == 0 {
		if p, err := strconv.Atoi(a.sshGet(alias, "Port")); err == nil && p > 0 && p <= 65535 {
			t.port = p
		} else {
			t.port = 22
		}
	}
	if t.user == "" {
		t.user = a.sshGet(alias, "User")
	}
	if t.user == "" {
		t.user = a.cfg.LocalUser
	}
	files, _ := a.sshConfig.GetAll(alias, "IdentityFile")
	for _, f := range files {
		if strings.EqualFold(f, "none") {
			continue
		}
		t.keyFiles = append(t.keyFiles, a.expandPath(f, t))
	}
	if len(files) == 0 {
		// Like OpenSSH: the default identities, where they exist.
		for _, name := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
			p := filepath.Join(a.cfg.Home, ".ssh", name)
			if _, err := os.Stat(p); err == nil {
				t.keyFiles = append(t.keyFiles, p)
			}
		}
	}
	return t
}

// sshGet reads one value of the ssh config; errors read as unset.
func (a *Adapter) sshGet(alias, key string) string {
	v, err := a.sshConfig.Get(alias, key)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(v)
}

// expandPath expands ~ and the %d, %h, %r, %u, %% tokens of an ssh config path.
func (a *Adapter) expandPath(p string, t target) string {
	p = expandTokens(p, t.hostname, t.user, a.cfg.Home, a.cfg.LocalUser)
	if p == "~" {
		return a.cfg.Home
	}
	if strings.HasPrefix(p, "~/") {
		return filepath.Join(a.cfg.Home, p[2:])
	}
	return p
}

// expandTokens replaces the ssh_config(5) tokens netauto supports.
func expandTokens(s, host, remoteUser, home, localUser string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'h':
			b.WriteString(host)
		case 'r':
			b.WriteString(remoteUser)
		case 'd':
			b.WriteString(home)
		case 'u':
			b.WriteString(localUser)
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
