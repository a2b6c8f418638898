#!/bin/sh
# Where the console's UI goroutines waited, from a Go runtime trace of the
# console (NETAUTO_PERF_RUNTIME_TRACE, see docs/BENCHMARKS.md):
#  - Bubble Tea's renderer: the intervals between its ticker's wake-ups (a
#    wake-up counts when it had blocked in its select on the ticker, not
#    on a lock inside a flush), and for the late ones (over 12 ms apart)
#    what had run last on the P that fired the timer, and for how long;
#  - the goroutines a key passes (the tty reader, the key decoder that
#    reads from it, the update loop, the goroutine that takes each
#    Update's command) and the renderer: how long each waited for a P once
#    runnable.
# A goroutine is told apart by the functions on its own stacks: its
# transitions', or an event's when it emitted the event itself.
# Usage: sh docs/tracewaits.sh TRACE
set -eu
[ $# -eq 1 ] || { echo "usage: sh docs/tracewaits.sh TRACE" >&2; exit 2; }
go tool trace -d=parsed "$1" | awk '
function kind(s) {
	if (s ~ /startRenderer\.func/) return "renderer"
	if (s ~ /streamData/) return "tty reader"
	if (s ~ /StreamEvents/) return "key decoder"
	if (s ~ /eventLoop/) return "update loop"
	if (s ~ /handleCommands/) return "command runner"
	if (s ~ /netauto\/store/) return "store"
	if (s ~ /x\/crypto\/ssh/) return "x/crypto/ssh"
	return ""
}
function flush(   k, c) {
	if (g == "") return
	if (!(g in kindof) && stack != "") { k = kind(stack); if (k != "") kindof[g] = k }
	if (to == "Running") { ranSince[p] = t }
	else if (from == "Running") { lastG[p] = g; lastLen[p] = t - ranSince[p] }
	if (g in kindof) {
		k = kindof[g]
		if (to == "Waiting") blocked[g] = reason
		if (to == "Runnable") {
			runnable[g] = t
			if (k == "renderer" && from == "Waiting" && blocked[g] == "\"select\"") {
				if (last != "") {
					iv[++niv] = t - last
					if (t - last > 12e6) {
						c = (lastG[p] in kindof) ? kindof[lastG[p]] : "other"
						late[c]++; ll[c, late[c]] = lastLen[p]
					}
				}
				last = t
			}
		} else if (to == "Running" && from == "Runnable" && (g in runnable)) {
			n[k]++; w[k, n[k]] = t - runnable[g]; delete runnable[g]
		}
	}
	g = ""; stack = ""; own = 0
}
/StateTransition/ && / GoID=/ {
	flush()
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^Time=/) t = substr($i, 6) + 0
		if ($i ~ /^GoID=/) g = substr($i, 6)
		if ($i ~ /^G=/) emitter = substr($i, 3)
		if ($i ~ /^P=/) p = substr($i, 3)
		if ($i ~ /->/) { split($i, ft, "->"); from = ft[1]; to = ft[2] }
		if ($i ~ /^Reason=/) reason = substr($i, 8)
	}
	next
}
/^TransitionStack=/ { own = 1; next }
/^Stack=/ { own = (emitter == g); next }
/^[^ \t]/ { flush() }
/^\t/ && own { stack = stack " " $1 }
END {
	flush()
	pr("renderer wake-up intervals", iv, niv)
	for (k in n) {
		if (k == "store" || k == "x/crypto/ssh") continue
		delete a; for (i = 1; i <= n[k]; i++) a[i] = w[k, i]; pr(k " waited for a P", a, n[k])
	}
	for (c in late) { delete a; for (i = 1; i <= late[c]; i++) a[i] = ll[c, i]; pr("late tick after " c " ran (its run)", a, late[c]) }
}
function pr(name, v, cnt,   i, j, x) {
	for (i = 2; i <= cnt; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j+1] = v[j]; v[j+1] = x }
	printf "%-44s n=%d p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms\n", name, cnt,
		v[int((cnt-1)*.5)+1]/1e6, v[int((cnt-1)*.9)+1]/1e6, v[int((cnt-1)*.99)+1]/1e6, v[cnt]/1e6
}'
