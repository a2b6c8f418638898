package cli

// Help texts, one per command. Each says what the command does, its flags,
// and shows examples an operator can paste.

const globalFlagsHelp = `Global flags (accepted anywhere on the line):
  --inventory FILE     inventory (default $NETAUTO_INVENTORY, else inventory in
                       config.yaml, else inventory.yaml in ~/.config/netauto, or
                       $XDG_CONFIG_HOME/netauto): netauto YAML, an Ansible INI or
                       YAML inventory, a Nornir directory, or ssh-config (your
                       ssh config's Host entries); see netauto help inventory
  --inventory-format F auto (default: told from the content), netauto,
                       ansible-ini, ansible-yaml, nornir or ssh-config
  --site-var VAR       the Ansible/Nornir variable holding a host's site
                       (default site; else the host's first group)
  --config FILE        config file (default $NETAUTO_CONFIG, else config.yaml
                       in the config directory); see netauto help config
  --db FILE            history database (default history.db in
                       ~/.local/state/netauto, or $XDG_STATE_HOME/netauto)
  --known-hosts FILE   netauto's own known_hosts, read and written (default
                       known_hosts in the config directory); ~/.ssh/known_hosts
                       is always read too
`

const mainHelp = `netauto runs CLI commands on many network devices over SSH, with caps on
how many run at once, and keeps every run and its output in a local history.

Usage:
  netauto [flags]              open the console on the configured inventory
  netauto <command> [flags]

Commands:
  run        run commands on selected devices and stream their output
  history    list stored runs, newest first
  show       print a stored run's output
  search     search the output of every stored run
  diff       compare the outputs of two runs
  export     write stored runs to files, one per run
  prune      remove old runs and compact the history
  hostkeys   fetch and record the host keys of devices (hostkeys scan)
  inventory  check an inventory: values, where they came from, problems
  config     show the settings in force and where each came from
  completion print a bash, zsh or fish completion script
  lab        serve a simulated fleet of devices over SSH on 127.0.0.1
  demo       start a lab and open the console on it (headless without a terminal)
  help       help for a command: netauto help run

` + globalFlagsHelp + `
Environment:
  NETAUTO_INVENTORY                   default inventory file
  NETAUTO_CONFIG                      config file (netauto help config lists
                                      the variables for each setting)
  NETAUTO_PASSWORD                    login password for devices imported from
                                      an Ansible or Nornir inventory that held
                                      one (netauto never reads that one)
  NET_AUTO_AUTOMATION_GLOBAL_LIMIT    cap on runs at once (default 50; 0 refuses all)
  NET_AUTO_AUTOMATION_SITE_LIMITS     per-site caps: chi1=5,nyc2=10 or {"chi1":5}
  NO_COLOR                            no colors in the output

Examples:
  netauto demo
  netauto run --site chi1 -c "show version"
  netauto history --status error --limit 20
  netauto show 42
`

const runHelp = `Run commands on selected devices, streaming their output live.

Usage:
  netauto run [selectors] -c COMMAND [-c COMMAND]... [flags]

Every selected device runs each -c command in order, one run (one SSH
session) per command; devices run in parallel under the quota caps (a batch
larger than the caps waits its turn). Output lines are prefixed by the device
name and stripped of terminal control sequences; a summary table follows.
Every run and its output are stored in the history (see netauto history).

Selectors (they add up; names may be globs such as 'chi1-*'):
  --device NAME        a device (repeatable, or comma-separated)
  --group NAME         the devices of a group (repeatable)
  --site NAME          the devices of a site (repeatable)
  --all                every device in the inventory

Flags:
  -c, --command CMD    the command to run (repeatable; run in order)
  --dry-run            list the selected devices and their sites; run nothing
  -y, --yes            no confirmation (asked on a terminal above 20 devices;
                       without a terminal, more than 20 devices need --yes)
  --json               JSON lines on stdout (start, output, end objects);
                       the summary goes to stderr
  --group-output       no live output; after the batch, each distinct output
                       once, under the devices that printed it ("38 devices:
                       identical", "1 device: differs"), like dshbak -c;
                       one block per command, then the summary
  --accept-new-host-keys
                       trust unknown host keys and record them in netauto's
                       known_hosts (a changed key is still refused)
  --connect-timeout D  TCP connect + SSH handshake (5s, 1m, 1h30m);
  --command-timeout D  the whole run;
  --idle-timeout D     a silence in the output. These override the inventory.

` + globalFlagsHelp + `
Passwords come from the variable named by the device's password_env; when it
is unset, netauto asks once at a masked prompt if stdin is a terminal, and
otherwise the run ends 'auth: password required (set VAR)'. After 3
authentication failures in one batch the rest of the batch is stopped.

Exit status: 0 every run ok, 1 some run failed, 2 usage or start-up error,
130 interrupted (Ctrl-C, SIGTERM and SIGHUP cancel every run; each is
stored as error/canceled).

JSON lines (--json):
  {"type":"start","run_id":7,"batch_id":"…","device":"r1","site":"chi1","command":"show version"}
  {"type":"output","run_id":7,"device":"r1","seq":1,"data":"sanitized text"}
  {"type":"end","run_id":7,"device":"r1","status":"ok","exit_code":null,"bytes":812,"error_reason":null,"duration_ms":420}
  Every run has a start, then its output lines (seq from 1, one per stored
  chunk; data holds the lines that chunk completed), then an end. A last line
  without a newline comes in one more output object just before the end.

Examples:
  netauto run --device chi1-core-1 -c "show version"
  netauto run --site chi1 --group edge -c "show ip interface brief" -c "show logging"
  netauto run --device 'nyc2-*' --dry-run -c "show version"
  netauto run --all --yes --json -c "show version" > versions.jsonl
  netauto run --group core --connect-timeout 5s --command-timeout 2m -c "show tech-support"
`

const historyHelp = `List stored runs, newest first.

Usage:
  netauto history [flags]

Flags:
  --device NAME        only runs on this device (glob: 'chi1-*')
  --site NAME          only runs on this site (glob)
  --command CMD        only runs of this command (glob: 'show ip*')
  --status S           only runs with status pending, running, ok or error
  --batch ID           only the runs of one launch
  --limit N            at most N runs (default 50; 0 for all)
  --json               one JSON object per line with run_id, batch_id, device,
                       site, command, status, exit_code, bytes, error_reason,
                       requested_by, started_at, finished_at (RFC 3339, UTC)

` + globalFlagsHelp + `
Examples:
  netauto history
  netauto history --device chi1-core-1 --limit 5
  netauto history --status error --json | jq -r .error_reason
`

const showHelp = `Print the output of a stored run.

Usage:
  netauto show RUN_ID [--raw]

The output is sanitized as in 'netauto run' (control sequences removed,
carriage returns and backspaces applied) unless --raw is given, which writes
the bytes exactly as the device sent them. Run ids are listed by
'netauto history'.

Flags:
  --raw                the stored bytes, unchanged

` + globalFlagsHelp + `
Examples:
  netauto show 42
  netauto show 42 --raw > r1-show-tech.txt
`

const labHelp = `Serve a simulated fleet of network devices over real SSH on 127.0.0.1.

Usage:
  netauto lab --dir DIR [--devices N] [--no-faults]

The lab serves N healthy devices (ios, iosxr, nxos, eos, junos, linux) over
three sites, plus fault devices (auth failure, stalled handshake, hang, drop,
slow drip, flood, escape sequences, legacy algorithms) and devices that log in
with a password. It writes DIR/inventory.yaml and DIR/known_hosts and keeps
its host keys in DIR between starts. It serves until interrupted (Ctrl-C).

Flags:
  --dir DIR            where the lab keeps its inventory, keys and known_hosts
                       (required)
  --devices N          number of healthy devices (default 24)
  --no-faults          leave out the fault and password devices

Examples:
  netauto lab --dir /tmp/lab
  # in another terminal, with the variable the lab prints:
  export NETAUTO_LAB_PASSWORD=…
  netauto run --inventory /tmp/lab/inventory.yaml --known-hosts /tmp/lab/known_hosts \
      --all -c "show version"
`

const demoHelp = `Try netauto without any devices: start a simulated lab in a temporary
directory, open the console on it (or, without a terminal, run 'show version'
on its healthy devices), then clean up.

Usage:
  netauto demo

The demo sets the lab's password and host keys itself and keeps its history
in a temporary database, so it touches none of your files. On a terminal it
opens the console on the lab; otherwise it runs headless, prints
the output and a summary, and exits 0 when every run was ok.

Examples:
  netauto demo
  go run . demo
`

const hostkeysHelp = `Fetch the host keys of devices and print their fingerprints; with --accept,
record them in netauto's known_hosts so later runs trust them.

Usage:
  netauto hostkeys scan [selectors] [--accept]

Each key is shown with its state: known (already trusted), new (in no
known_hosts file) or CHANGED (differs from a trusted key; never recorded —
remove the old line by hand if the change is expected). Check the
fingerprints against the devices' own before accepting.

Selectors (they add up; names may be globs):
  --device NAME, --group NAME, --site NAME, --all

Flags:
  --accept             record the new keys in netauto's known_hosts
  --connect-timeout D  per device (default 15s)

` + globalFlagsHelp + `
Examples:
  netauto hostkeys scan --site chi1
  netauto hostkeys scan --device 'nyc2-*' --accept
`
