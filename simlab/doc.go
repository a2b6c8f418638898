// Package simlab serves a fleet of simulated network devices over real SSH
// on 127.0.0.1, one listener (kernel-chosen port) per device, for the demo
// and for tests. Host keys, algorithms and a stalled handshake all happen
// before a user name is known, hence one port per device.
//
// Start writes into Options.Dir: the host keys (hostkeys/NAME, ed25519; RSA
// for fault-legacy; kept between starts, so a device's key is stable), the
// client key id_ed25519 (0600) that the key-auth devices accept, known_hosts
// in OpenSSH format with a [127.0.0.1]:PORT line per device (rewritten at
// every start, as the ports change), and inventory.yaml in netauto's format
// (host 127.0.0.1, port, platform, site, a group per role, username netops,
// key_file, password_env and enable_password_env naming PasswordEnv).
//
// # The healthy fleet
//
// Options.Devices devices (default 24) named SITE-ROLE-N, round-robin over
// the sites chi1, nyc2 and sfo3, roles cycling core, edge, access, platforms
// cycling ios, iosxr, nxos, eos, junos, linux (the first six devices cover
// all six). Each device's particulars (model, version, serial, MAC,
// interfaces, documentation-range addresses 192.0.2.x, 198.51.100.x and
// 203.0.113.x that appear in output text only, uptime) derive from its name,
// so they are the same on every start.
//
// Network OSes serve a shell (with or without a pty) and exec requests (the
// output of one command, CRLF line ends, no exit status, as Cisco does);
// one session per connection. In the shell, typed input is echoed, lines
// end in CRLF, output longer than the terminal length (24) stops at the
// pager prompt until a space (a page), Return (a line) or anything else
// (quit), and the prompt is then erased (backspaces on Cisco-style gear, an
// overwritten line on Junos); ^C aborts any output and returns to the
// prompt. Commands may be abbreviated (sh ip int br), and filtered with
// | include/exclude/begin (Junos: | match/except/no-more).
//
//	platform  prompt                          paging off               pager         unknown command
//	ios       host> enable, Password: host#   terminal length 0        " --More-- "  caret line, then % Invalid input detected at '^' marker.
//	iosxr     RP/0/RSP0/CPU0:host#            terminal length 0        " --More-- "  as ios; show output starts with the time
//	nxos      "host# "                        terminal length 0        " --More-- "  caret line, then % Invalid command at '^' marker.
//	eos       host>  enable  host#            terminal length 0        " --More-- "  % Invalid input (at token N: 'word')
//	junos     blank line, "netops@host> "     set cli screen-length 0  ---(more)---  caret line, then syntax error, expecting <command>.
//	          (QFX: blank line, {master:0}, then the prompt)
//	linux     "netops@host:~$ " (shell)       -                        -             sh: 1: X: not found (stderr, exit 127)
//
// ios, iosxr, nxos, eos: show version, show ip interface brief, show
// interfaces (nxos: show interface), show running-config, show inventory,
// show logging, show tech-support (streams the other outputs over
// Options.StreamDuration, default 30 s; this and show running-config are
// enable mode only on ios and eos, and eos answers "% Invalid input
// (privileged mode required)" to them in user mode), terminal length
// N, terminal width N, exit, logout; ios also show clock. junos: show
// version, show interfaces [terse], show configuration, show chassis
// hardware, show log messages, request support information (the streaming
// one), set cli screen-length N, exit. linux (exec with exit status, or a
// shell): uname [-a|-r|-n|-s], uptime, hostname, whoami, id, echo, cat
// [FILE...] (no file: standard input), sleep N, exit N, true, false,
// flood N (N MiB of show-interfaces-like lines in 32 KiB writes), yes
// [WORD] (until interrupted); anything else is "sh: 1: X: not found", exit
// 127, on standard error.
//
// # Devices beside the fleet
//
// Unless Options.NoFaults, these follow the fleet. The password devices
// take Lab.Password (PasswordEnv in the inventory); so does enable on the
// ios devices.
//
//	device           site        platform  behaviour
//	lab-password     lab-auth    linux     password auth only
//	lab-kbdint       lab-auth    ios       keyboard-interactive auth only ("Password: "), enable with the password
//	fault-auth       lab-faults  linux     every login fails (public key, password, keyboard-interactive)
//	fault-handshake  lab-faults  linux     accepts TCP and sends nothing, not even the version line (inventory connect_timeout 5s)
//	fault-hang       lab-faults  linux     logs in, accepts the command, prints nothing ever (inventory idle_timeout 10s)
//	fault-drop       lab-faults  linux     prints part of an output, then closes the TCP connection (no exit status)
//	fault-drip       lab-faults  linux     a line every 500 ms for StreamDuration, then exit 0
//	fault-flood      lab-faults  linux     Options.FloodBytes (default 50 MiB) of text on any command, exit 0
//	fault-escape     lab-faults  linux     output laced with OSC 52, OSC 0/2, DCS, CSI, 8-bit C1, backspaces, CR, bad UTF-8; exit 0
//	fault-legacy     lab-faults  ios       only diffie-hellman-group14-sha1/group1-sha1, ssh-rsa host key, aes128-cbc/3des-cbc, hmac-sha1 (inventory legacy_algorithms: true)
//
// Fault devices in a shell show a linux prompt and misbehave on every
// command but exit.
//
// Close closes the listeners and every live connection and returns once
// every goroutine of the lab has ended.
package simlab
