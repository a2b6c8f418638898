package cli

// Help texts of the history commands: search, diff, export, prune.

const searchHelp = `Search the output of every stored run.

Usage:
  netauto search QUERY [flags]

QUERY is FTS5 query syntax: words (match whole words, any case), "quoted
phrases", prefix* (a word or phrase ending in *), AND, OR, NOT and
parentheses; words side by side mean AND. A line matches when it alone
satisfies the query. Put anything with punctuation in double quotes:
"10.0.0.1", "Gi0/1". Matching lines are printed under their run, grep-style
("LINE: text", context lines as "LINE- text"), newest runs first. Output
still being indexed is indexed before the search, unless the database
cannot be written here (a read-only mount): then it is read as it stands
and the runs not indexed yet are counted on stderr.

Flags:
  --device NAME        only runs on this device (glob: 'chi1-*')
  --site NAME          only runs on this site (glob)
  --since WHEN         only runs started since: an age (7d, 36h), a date
                       (2026-11-01) or an RFC 3339 time
  --limit N            at most N matching lines (default 50)
  --context N          N lines before and after each match (default 0)
  --json               one JSON object per matching line: run_id, device,
                       site, command, status, started_at, line (from 1),
                       text, before, after

` + globalFlagsHelp + `
Exit status: 0 something matched, 1 nothing did, 2 usage error or bad query.

Examples:
  netauto search CRC --since 7d
  netauto search '"input errors" NOT "0 input errors"' --site chi1
  netauto search 'BGP AND (down OR idle)' --context 2
  netauto search 'Gig*' --device 'nyc2-*' --json | jq -r .device | sort -u
`

const diffHelp = `Compare the outputs of two stored runs as a unified diff.

Usage:
  netauto diff RUN_A RUN_B [--ignore-volatile]
  netauto diff RUN [--ignore-volatile]

With one run, it is compared with the run before it of the same command on
the same device. Outputs are compared sanitized, line by line (Myers'
algorithm; regions with thousands of changed lines are reported as
replaced whole rather than searched for the shortest diff).

Flags:
  --ignore-volatile    ignore what changes on its own: clock times, dates,
                       uptimes, rates and counters (packets, bytes, errors),
                       "last input/output/flapped", plus per-platform lines
                       (IOS "! Last configuration change", Junos "System
                       booted", IOS XR's time stamp line, …)

` + globalFlagsHelp + `
Exit status: 0 the outputs are the same, 1 they differ, 2 trouble (unknown
run, no earlier run to compare with).

Examples:
  netauto diff 41 42
  netauto diff 42 --ignore-volatile
  netauto history --device chi1-core-1 --command 'show run*' --limit 2
`

const exportHelp = `Write stored runs' output to files, one per run, with an index.

Usage:
  netauto export --dir DIR [filters]

Each run's sanitized output goes to DIR/DEVICE/TIME-COMMAND.txt (TIME is
the start in UTC, 20261127T100405Z; characters unsafe in file names become
_), and DIR/index.json lists the runs exported (run_id, device, site,
command, status, exit_code, bytes, lines, started_at, finished_at, file).

Flags:
  --dir DIR            where to write (created if missing; required)
  --run ID             these runs only (repeatable, or comma-separated)
  --device NAME        only runs on this device (glob)
  --site NAME          only runs on this site (glob)
  --command CMD        only runs of this command (glob)
  --status S           only runs with status pending, running, ok or error
  --batch ID           only the runs of one launch
  --since WHEN         only runs started since (7d, 36h, 2026-11-01)
  --limit N            at most N runs, newest first (default 0: all)

` + globalFlagsHelp + `
Examples:
  netauto export --dir ./snapshots --command 'show running-config' --since 1d
  netauto export --dir /tmp/case-1234 --run 41,42
`

const pruneHelp = `Remove old runs from the history and compact the database.

Usage:
  netauto prune [--older-than AGE] [--max-size SIZE] [--dry-run]

Runs are removed whole (the run, its output, its search index), oldest
first; running and pending runs are never removed. The database is then
compacted (VACUUM), which takes a while on a large history and holds the
database meanwhile.

Flags:
  --older-than AGE     remove runs that ended longer ago than AGE: days
                       (30d, 1.5d), weeks (2w) or a Go duration (36h, 90m)
  --max-size SIZE      then remove the oldest runs until the history fits in
                       SIZE: 2GB, 500MB (powers of 1000) or 2GiB (of 1024)
  --dry-run            only say how many runs would go (with --max-size, an
                       estimate)

` + globalFlagsHelp + `
The config file can ask for a prune at every start (see netauto help config).

Examples:
  netauto prune --older-than 30d
  netauto prune --max-size 2GB --dry-run
`
