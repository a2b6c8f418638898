#!/bin/sh
# Regenerates docs/console-screenshot.txt: a text capture of the console at
# work (a site selected, `show version` run on it, output on screen), made by
# driving tui/testdata/console in tmux against `netauto lab`.
# Usage (from the repository root): sh tui/testdata/screenshot.sh
set -eu
root=$(pwd)
work=$(mktemp -d)
sock="netauto-shot-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; kill "$labpid" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/netauto" . && go build -o "$work/console" ./tui/testdata/console
HOME="$work" "$work/netauto" lab --dir "$work/lab" --devices 12 --no-faults >"$work/lab.out" 2>&1 &
labpid=$!
i=0; until grep -q "Press Ctrl-C" "$work/lab.out" 2>/dev/null; do i=$((i+1)); [ $i -lt 300 ] || exit 1; sleep 0.1; done
pw=$(sed -n 's/.*export NETAUTO_LAB_PASSWORD=//p' "$work/lab.out")
tmux -L "$sock" new-session -d -s shot -x 140 -y 40 \
  "env HOME=$work NETAUTO_LAB_PASSWORD=$pw NO_COLOR=1 $work/console --title 'demo lab' --inventory $work/lab/inventory.yaml --db $work/history.db --known-hosts $work/lab/known_hosts --log $work/log; sleep 30"
sleep 1.5
tmux -L "$sock" send-keys -t shot Space ':'
tmux -L "$sock" send-keys -t shot -l 'show version'
tmux -L "$sock" send-keys -t shot Enter
sleep 3
tmux -L "$sock" capture-pane -p -t shot >"$root/docs/console-screenshot.txt"
echo "wrote docs/console-screenshot.txt"
