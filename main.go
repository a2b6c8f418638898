// Command netauto runs CLI commands on many network devices over SSH, with
// admission control and a local history. All of its behaviour lives in the
// cli package (headless commands) and, once it lands, tui (the console);
// main only wires the process to them.
package main

import (
	"os"

	"netauto/cli"
)

func main() {
	env := cli.OSEnv()
	logFile := cli.SetupLog(env)
	code := env.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	logFile.Close()
	os.Exit(code)
}
