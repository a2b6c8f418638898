# Shared setup of the netauto run benchmarks (sourced by fanout.sh and
# stream.sh): a private OpenSSH sshd on 127.0.0.1, keys, known_hosts, and
# builds of netauto and the bare x/crypto fan-out into a temp dir.
# Everything lives in $WORK and is removed on exit.

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d /tmp/netauto-bench.XXXXXX)
SSHD_PID=
CREATED_USER=
cleanup() {
	if [ -n "$SSHD_PID" ]; then kill "$SSHD_PID" 2>/dev/null || true; fi
	if [ -n "$CREATED_USER" ]; then userdel "$CREATED_USER" 2>/dev/null || true; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

[ -x /usr/sbin/sshd ] || { echo "bench: /usr/sbin/sshd missing (apt-get install openssh-server)" >&2; exit 1; }

# now prints the time in seconds with nanoseconds.
now() { date +%s.%N; }

# elapsed START prints the seconds since START with millisecond precision.
elapsed() { echo "$(now) $1" | awk '{printf "%.3f", $1 - $2}'; }

# free_port prints a TCP port the kernel gives out.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# bench_user sets LOGIN, the account the benchmark logs in as. As root it is
# a throwaway account netauto-bench with /bin/sh and a home in $WORK, so that
# no shell start-up file (root's .bashrc may run pyenv and the like on every
# login) is part of what is timed; it is deleted on exit. Otherwise it is
# the current user, whose start-up files then count in every tool's time.
bench_user() {
	LOGIN=$(id -un)
	[ "$(id -u)" = 0 ] || return 0
	LOGIN=netauto-bench
	mkdir -p "$WORK/home"
	if ! id "$LOGIN" >/dev/null 2>&1; then
		useradd -M -d "$WORK/home" -s /bin/sh "$LOGIN"
		CREATED_USER=$LOGIN
	else
		usermod -d "$WORK/home" -s /bin/sh "$LOGIN"
	fi
	usermod -p '*' "$LOGIN" # not locked: sshd without PAM refuses locked accounts
	chown "$LOGIN" "$WORK/home"
	chmod 755 "$WORK"
}

# start_sshd: host key, client key, sshd_config, sshd in the background,
# known_hosts for [127.0.0.1]:PORT. Sets PORT, KEY, KNOWN_HOSTS, LOGIN.
start_sshd() {
	mkdir -p /run/sshd 2>/dev/null || true
	bench_user
	KEY=$WORK/id_ed25519
	ssh-keygen -q -t ed25519 -N '' -f "$WORK/host_ed25519"
	ssh-keygen -q -t ed25519 -N '' -f "$KEY"
	cp "$KEY.pub" "$WORK/authorized_keys"
	chmod 644 "$WORK/authorized_keys"
	PORT=$(free_port)
	cat >"$WORK/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $WORK/host_ed25519
AuthorizedKeysFile $WORK/authorized_keys
PidFile $WORK/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin yes
UseDNS no
MaxStartups 500:30:1000
MaxSessions 100
LogLevel ERROR
CONF
	/usr/sbin/sshd -D -e -f "$WORK/sshd_config" 2>"$WORK/sshd.log" &
	SSHD_PID=$!
	for _ in $(seq 50); do
		if (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null; then break; fi
		sleep 0.1
	done
	KNOWN_HOSTS=$WORK/known_hosts
	echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$WORK/host_ed25519.pub")" >"$KNOWN_HOSTS"
}

# build: netauto and the bare fan-out into $WORK (never into the tree).
build() {
	(cd "$ROOT" && go build -o "$WORK/netauto" . && go build -o "$WORK/fanout" ./cli/bench/fanout)
}

# write_inventory N: N linux devices, all on the local sshd.
write_inventory() {
	INVENTORY=$WORK/inventory.yaml
	{
		echo "defaults: {platform: linux, username: $LOGIN, key_file: $KEY}"
		echo "devices:"
		for i in $(seq -w 0 $(($1 - 1))); do
			echo "  d$i: {host: 127.0.0.1, port: $PORT, site: bench}"
		done
	} >"$INVENTORY"
}

# netauto_env runs a command with netauto's files pinned inside $WORK.
netauto_env() {
	env -u SSH_AUTH_SOCK HOME="$WORK/nhome" XDG_STATE_HOME="$WORK/state" XDG_CONFIG_HOME="$WORK/config" \
		NET_AUTO_AUTOMATION_GLOBAL_LIMIT=50 NET_AUTO_AUTOMATION_SITE_LIMITS= "$@"
}

# OpenSSH client options shared by pssh and ssh: the same key exchange as
# the Go clients (curve25519), our key, our known_hosts, no agent.
SSH_OPTS=(-o KexAlgorithms=curve25519-sha256 -o BatchMode=yes -o IdentitiesOnly=yes
	-o StrictHostKeyChecking=yes -o LogLevel=ERROR)

# stats NAME FILE prints min / median / max of the times in FILE.
stats() {
	sort -n "$2" | awk -v name="$1" '{a[NR]=$1} END {
		med = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
		printf "%-22s min %.3f s   median %.3f s   max %.3f s   (%d rounds)\n", name, a[1], med, a[NR], NR }'
}

# median FILE prints the median of the numbers in FILE, one a line.
median() { sort -n "$1" | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
