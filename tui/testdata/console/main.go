// Command console opens the netauto console the way main.go will (see
// /work/CONTRACTS.md, "tui entry point"): it is what the tmux end-to-end
// test and the screenshot script drive until main.go wires `netauto` to
// tui.Run. Flags name the inventory, database and known_hosts files.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"netauto/runner"
	"netauto/tui"
)

func main() {
	var s runner.Settings
	flag.StringVar(&s.InventoryPath, "inventory", "", "inventory file")
	flag.StringVar(&s.DBPath, "db", "", "history database")
	flag.StringVar(&s.KnownHostsPath, "known-hosts", "", "netauto known_hosts file")
	title := flag.String("title", "", "top bar title")
	logPath := flag.String("log", os.DevNull, "log file (never the terminal the console owns)")
	flag.Parse()
	logFile, err := os.OpenFile(*logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "console:", err)
		os.Exit(1)
	}
	defer logFile.Close()
	s.Logger = slog.New(slog.NewTextHandler(logFile, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	prompts := tui.NewPrompts()
	stack, err := runner.OpenStack(ctx, s, prompts.Callbacks())
	if err != nil {
		fmt.Fprintln(os.Stderr, "console:", err)
		os.Exit(1)
	}
	err = tui.Run(ctx, tui.Options{Stack: stack, Prompts: prompts, Title: *title})
	stack.Close(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "console:", err)
		os.Exit(1)
	}
}
