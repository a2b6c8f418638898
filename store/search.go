package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DefaultSearchLimit is how many lines Search returns when the query sets
// no limit.
const DefaultSearchLimit = 100

// SearchQuery is a full-text search over stored output.
type SearchQuery struct {
	// Query is in FTS5 query syntax: words, "quoted phrases", prefix*,
	// AND, OR, NOT, parentheses, NEAR(...). Words match whole words, case
	// insensitively; every term of an AND must be on the same line.
	Query string
	// Device and Site keep only runs on that device or site: exact, or a
	// GLOB pattern when they contain *, ? or [.
	Device, Site string
	// Since keeps only runs started (or created) at or after it; zero for all.
	Since time.Time
	// Limit caps the lines returned; 0 means DefaultSearchLimit.
	Limit int
	// Context is how many lines before and after each match to return
	// (within the block of output the match was indexed in, up to 8 KB).
	Context int
}

// SearchHit is one matching line.
type SearchHit struct {
	// RunID, Device, Site, Command and Status describe the run.
	RunID                 int64
	Device, Site, Command string
	Status                Status
	// At is when the run started (or was created, if it never started).
	At time.Time
	// Line is the line's number, from 0, in the run's sanitized output.
	Line int64
	// Text is the sanitized line.
	Text string
	// Before and After are up to Context lines around it, nearest last
	// and first respectively.
	Before, After []string
}

// Search finds lines of stored output matching q, the newest runs first
// (lines of one run in order). A query that is not valid gives an error
// matching ErrBadQuery. Output not yet indexed (see CatchUpIndex) is not
// searched.
func (s *Store) Search(ctx context.Context, q SearchQuery) ([]SearchHit, error) {
	pq, err := parseQuery(q.Query)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	var c sqlConds
	c.add("search_fts MATCH ?", pq.ftsQuery())
	c.match("r.device", q.Device)
	c.match("r.site", q.Site)
	c.since("r.", q.Since)
	rows, err := s.rdb.QueryContext(ctx, `SELECT d.run_id, d.first_line, d.text, r.device, COALESCE(r.site, ''),
		r.command, r.status, COALESCE(r.started_at, r.created_at)
		FROM search_fts f JOIN search_docs d ON d.id = f.rowid JOIN runs r ON r.id = d.run_id
		WHERE `+strings.Join(c.conds, " AND ")+` ORDER BY f.rowid DESC`, c.args...)
	if err != nil {
		return nil, searchError(err)
	}
	defer rows.Close()
	var (
		hits  []SearchHit
		words []string
	)
	for len(hits) < limit && rows.Next() {
		var (
			h     SearchHit
			first int64
			text  string
			at    int64
		)
		if err := rows.Scan(&h.RunID, &first, &text, &h.Device, &h.Site, &h.Command, &h.Status, &at); err != nil {
			return nil, searchError(err)
		}
		h.At = time.Unix(0, at)
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			words = tokenize(l, words[:0])
			if !pq.match(words) {
				continue
			}
			hit := h
			hit.Line, hit.Text = first+int64(i), l
			if q.Context > 0 {
				hit.Before = slices.Clone(lines[max(i-q.Context, 0):i])
				hit.After = slices.Clone(lines[i+1 : min(i+1+q.Context, len(lines))])
			}
			hits = append(hits, hit)
			if len(hits) == limit {
				break
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, searchError(err)
	}
	slices.SortStableFunc(hits, func(a, b SearchHit) int {
		if c := cmp.Compare(b.RunID, a.RunID); c != 0 {
			return c
		}
		return cmp.Compare(a.Line, b.Line)
	})
	return hits, nil
}

// searchError wraps a search failure; FTS5's own syntax complaints (which
// parseQuery should have caught) match ErrBadQuery.
func searchError(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "fts5") || strings.Contains(msg, "syntax error") || strings.Contains(msg, "unterminated") {
		return fmt.Errorf("%w: %s", ErrBadQuery, msg)
	}
	return fmt.Errorf("search: %w", err)
}
