#!/usr/bin/env bash
# Fan-out benchmark (issue 3, "Speed"): 100 devices on one local OpenSSH
# sshd, `echo hi`, 50 at a time, timed alternately for several rounds:
#   netauto run --all --yes -c "echo hi"      (global cap 50, history in SQLite)
#   parallel-ssh -p 50 (Debian pssh, curve25519 key exchange)
#   a bare golang.org/x/crypto/ssh fan-out    (cli/bench/fanout)
# Usage: cli/bench/fanout.sh [ROUNDS] [DEVICES]   (defaults 5, 100)
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-5}
N=${2:-100}
command -v parallel-ssh >/dev/null || { echo "bench: parallel-ssh missing (apt-get install pssh)" >&2; exit 1; }

build
start_sshd
write_inventory "$N"
for i in $(seq "$N"); do echo "127.0.0.1:$PORT"; done >"$WORK/hosts"

run_netauto() {
	netauto_env "$WORK/netauto" run --inventory "$INVENTORY" --known-hosts "$KNOWN_HOSTS" \
		--db "$WORK/history.db" --all --yes -c "echo hi" >"$WORK/netauto.out" 2>"$WORK/netauto.err" ||
		{ echo "netauto failed:"; tail -5 "$WORK/netauto.out" "$WORK/netauto.err"; exit 1; }
}
run_pssh() {
	env -u SSH_AUTH_SOCK parallel-ssh -p 50 -h "$WORK/hosts" -l "$LOGIN" -t 60 \
		-x "${SSH_OPTS[*]} -o UserKnownHostsFile=$KNOWN_HOSTS -i $KEY" "echo hi" >"$WORK/pssh.out" ||
		{ echo "pssh failed:"; grep -v SUCCESS "$WORK/pssh.out" | head -5; exit 1; }
}
run_bare() {
	"$WORK/fanout" -addr "127.0.0.1:$PORT" -n "$N" -p 50 -user "$LOGIN" -key "$KEY" \
		-known-hosts "$KNOWN_HOSTS" -c "echo hi" >"$WORK/bare.out"
}

# One untimed warm-up of each (page cache, sshd forks, SQLite file).
run_netauto; run_pssh; run_bare
: >"$WORK/t.netauto"; : >"$WORK/t.pssh"; : >"$WORK/t.bare"
for r in $(seq "$ROUNDS"); do
	for tool in netauto pssh bare; do
		t0=$(now); "run_$tool"; elapsed "$t0" >>"$WORK/t.$tool"; echo >>"$WORK/t.$tool"
	done
	echo "round $r: netauto $(tail -1 "$WORK/t.netauto") s, pssh $(tail -1 "$WORK/t.pssh") s, bare $(tail -1 "$WORK/t.bare") s"
done
grep -q "$N runs: $N ok, 0 failed" "$WORK/netauto.out" || { echo "netauto: not every run ok"; tail -3 "$WORK/netauto.out"; exit 1; }
echo
echo "$N devices on one sshd, 'echo hi', 50 at a time, $(nproc) cores:"
stats "netauto run" "$WORK/t.netauto"
stats "parallel-ssh -p 50" "$WORK/t.pssh"
stats "bare x/crypto fan-out" "$WORK/t.bare"
awk -v n="$(median "$WORK/t.netauto")" -v p="$(median "$WORK/t.pssh")" -v b="$(median "$WORK/t.bare")" 'BEGIN {
	printf "median ratios: netauto/pssh %.2f (goal <= 0.8), netauto/bare %.2f (goal <= 1.3)\n", n / p, n / b }'
