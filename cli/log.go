package cli

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"netauto/runner"
)

// SetupLog sends the default slog logger to netauto.log in netauto's state
// directory (XDG_STATE_HOME), never to the terminal: when the file cannot
// be opened, log records are discarded. The returned Closer closes the file.
func SetupLog(e Env) io.Closer {
	e = e.withDefaults()
	home := e.Getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	dir := runner.StateDir(e.Getenv, home)
	var f *os.File
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		f, err = os.OpenFile(filepath.Join(dir, "netauto.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	}
	if err != nil {
		slog.SetDefault(slog.New(slog.DiscardHandler))
		return io.NopCloser(nil)
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})))
	return f
}
