package runner

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"netauto/adapters"
	"netauto/store"
)

// reasonCanceled is the reason of a run the operator (or shutdown) ended.
const reasonCanceled = "canceled"

// outcome is how a run ended: what is stored as its final state.
type outcome struct {
	status   store.Status
	reason   string
	exitCode *int
	class    adapters.Class // the adapter error's class, if any
}

// adapterOutcome maps what the adapter returned to a final state:
//   - a classified *adapters.Error: its text ("auth: …");
//   - any other error: `closed: <text>` — the session ended in a way the
//     adapter did not classify, which to the operator is a peer gone away;
//   - no error: ok for exit 0 or no exit status, else `exit status N`.
func adapterOutcome(res adapters.Result, err error) outcome {
	if err != nil {
		var ae *adapters.Error
		if errors.As(err, &ae) {
			return outcome{status: store.StatusError, reason: ae.Error(), exitCode: res.ExitCode, class: ae.Class}
		}
		return outcome{status: store.StatusError, reason: fmt.Sprintf("%s: %v", adapters.ClassClosed, err),
			exitCode: res.ExitCode, class: adapters.ClassClosed}
	}
	if res.ExitCode == nil || *res.ExitCode == 0 {
		return outcome{status: store.StatusOK, exitCode: res.ExitCode}
	}
	return outcome{status: store.StatusError, reason: fmt.Sprintf("exit status %d", *res.ExitCode), exitCode: res.ExitCode}
}

// failed is an error outcome with reason and no exit code.
func failed(reason string) outcome {
	return outcome{status: store.StatusError, reason: reason}
}

// maxReasonBytes bounds a stored reason; a longer one is cut (ending in …).
const maxReasonBytes = 1024

// safeReason makes a reason one line of text safe for any terminal. Error
// texts quote what the peer sent (a server's algorithm names, its
// disconnect message), so a hostile device could otherwise write escape
// sequences to every screen that shows the reason: line breaks and tabs
// become spaces, other control characters (C0, DEL, C1) and non-graphic
// runes are dropped, invalid UTF-8 becomes U+FFFD.
func safeReason(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 || (r >= 0x7f && r <= 0x9f) || !unicode.IsGraphic(r) {
			clean = false
			break
		}
	}
	if clean && len(s) <= maxReasonBytes {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			r = ' '
		case r == utf8.RuneError:
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || !unicode.IsGraphic(r):
			continue
		}
		if b.Len()+utf8.RuneLen(r) > maxReasonBytes-len("…") {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}
