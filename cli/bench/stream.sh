#!/usr/bin/env bash
# Streaming benchmark (issue 3, "Speed"): one run `cat`-ing a text file
# shaped like device output (show-interfaces lines, not zeros), stored whole
# in SQLite by netauto, against `ssh host 'cat FILE' > file`, alternately.
# netauto's live output goes to /dev/null (it is still sanitized and
# written); the history database is fresh each round.
# Usage: cli/bench/stream.sh [ROUNDS] [MB]   (defaults 3, 500)
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-3}
MB=${2:-500}

build
start_sshd
write_inventory 1

# A file of realistic lines: interface counters, as `show interfaces` prints.
DATA=$WORK/show-interfaces.txt
awk -v target=$((MB * 1024 * 1024)) 'BEGIN {
	srand(7)
	while (size < target) {
		i++
		s = sprintf("GigabitEthernet%d/0/%d is up, line protocol is up (connected)\n" \
			"  Hardware is Gigabit Ethernet, address is 00%02x.%04x.%04x (bia 00%02x.%04x.%04x)\n" \
			"  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec, reliability 255/255, txload 1/255, rxload 1/255\n" \
			"  5 minute input rate %d bits/sec, %d packets/sec\n" \
			"     %d packets input, %d bytes, 0 no buffer\n" \
			"     %d input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored\n",
			i % 4, i % 48, i % 256, i % 65536, (i * 7) % 65536, i % 256, i % 65536, (i * 7) % 65536,
			int(rand() * 1e6), int(rand() * 1e3), int(rand() * 1e9), int(rand() * 1e12), int(rand() * 10))
		printf "%s", s
		size += length(s)
	}
}' >"$DATA"
BYTES=$(stat -c %s "$DATA")
echo "data: $BYTES bytes of show-interfaces text"

run_netauto() {
	rm -rf "$WORK/history.db"*
	netauto_env "$WORK/netauto" run --inventory "$INVENTORY" --known-hosts "$KNOWN_HOSTS" \
		--db "$WORK/history.db" --all --yes --command-timeout 10m -c "cat $DATA" >/dev/null 2>"$WORK/netauto.err" ||
		{ echo "netauto failed:"; tail -5 "$WORK/netauto.err"; exit 1; }
}
run_ssh() {
	env -u SSH_AUTH_SOCK ssh "${SSH_OPTS[@]}" -o UserKnownHostsFile="$KNOWN_HOSTS" -i "$KEY" -p "$PORT" \
		"$LOGIN@127.0.0.1" "cat $DATA" >"$WORK/ssh.out"
}

run_ssh; cmp -s "$DATA" "$WORK/ssh.out" || { echo "ssh copy differs"; exit 1; }
: >"$WORK/t.netauto"; : >"$WORK/t.ssh"
for r in $(seq "$ROUNDS"); do
	for tool in netauto ssh; do
		t0=$(now); "run_$tool"; elapsed "$t0" >>"$WORK/t.$tool"; echo >>"$WORK/t.$tool"
	done
	echo "round $r: netauto $(tail -1 "$WORK/t.netauto") s, ssh $(tail -1 "$WORK/t.ssh") s"
done
stored=$(python3 - "$WORK/history.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("select coalesce(sum(length(data)),0) from run_chunks").fetchone()[0])
PY
)
[ "$stored" = "$BYTES" ] || { echo "netauto stored $stored bytes, want $BYTES"; exit 1; }
echo
echo "one run streaming $BYTES bytes, $(nproc) cores (stored whole: $stored bytes):"
stats "netauto run" "$WORK/t.netauto"
stats "ssh host 'cat FILE' > f" "$WORK/t.ssh"
awk -v b="$BYTES" -v n="$(median "$WORK/t.netauto")" -v s="$(median "$WORK/t.ssh")" 'BEGIN {
	printf "median throughput: netauto %.0f MB/s, ssh %.0f MB/s, ratio %.2f (goal >= 0.5)\n", b / n / 1e6, b / s / 1e6, s / n }'
