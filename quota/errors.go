package quota

import "errors"

// ErrQuotaExceeded is the sentinel every refusal matches with errors.Is.
var ErrQuotaExceeded = errors.New("quota_exceeded")

// Scopes of an ExceededError: which cap was full.
const (
	ScopeGlobal = "global"
	ScopeSite   = "site"
)

// ExceededError says which cap refused an admission. Its text is exactly
// "quota_exceeded:global" or "quota_exceeded:site", the reason recorded on a
// refused run.
type ExceededError struct {
	// Scope is ScopeGlobal or ScopeSite.
	Scope string
}

// Error returns "quota_exceeded:" followed by the scope.
func (e *ExceededError) Error() string { return "quota_exceeded:" + e.Scope }

// Is reports whether target is ErrQuotaExceeded.
func (e *ExceededError) Is(target error) bool { return target == ErrQuotaExceeded }

// Refusals are shared so that a refused checkout allocates nothing.
var (
	errGlobalFull = &ExceededError{Scope: ScopeGlobal}
	errSiteFull   = &ExceededError{Scope: ScopeSite}
)
