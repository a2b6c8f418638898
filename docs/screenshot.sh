#!/bin/sh
# Regenerates the README's picture of the console at work: docs/console.png
# (and docs/console-screenshot.txt, the same screen as text). It drives the
# real `netauto demo` in tmux: selects the first site, runs `show version`
# on it, then starts `show tech-support` there and captures the screen while
# it streams.
#
# Needs: tmux, rsvg-convert (Debian package librsvg2-bin) and the DejaVu Sans
# Mono font (fonts-dejavu-core); freeze is run from the Go module proxy.
# Usage, from the repository root: sh docs/screenshot.sh
set -eu
root=$(pwd)
work=$(mktemp -d)
sock="netauto-shot-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/netauto" .
mkdir -p "$work/home"
tmux -L "$sock" new-session -d -s shot -x 140 -y 40 \
	"env HOME=$work/home XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config TERM=xterm-256color COLORTERM=truecolor $work/netauto demo; sleep 60"
i=0
until tmux -L "$sock" capture-pane -p -t shot | grep -q 'Inventory'; do
	i=$((i + 1)); [ $i -lt 200 ] || { echo "the console did not start" >&2; exit 1; }
	sleep 0.1
done
keys() { tmux -L "$sock" send-keys -t shot "$@"; }
keys Space
keys ':'; keys -l 'show version'; keys Enter
sleep 3
keys ':'; keys -l 'show tech-support'; keys Enter
sleep 3
tmux -L "$sock" capture-pane -p -t shot >"$root/docs/console-screenshot.txt"
tmux -L "$sock" capture-pane -e -p -t shot >"$work/screen.ansi"
go run github.com/charmbracelet/freeze@v0.2.2 "$work/screen.ansi" -o "$work/screen.svg" \
	--font.family "DejaVu Sans Mono" --window --padding 20 --margin 0 >/dev/null
rsvg-convert -w 1600 "$work/screen.svg" -o "$root/docs/console.png"
echo "wrote docs/console.png and docs/console-screenshot.txt"
