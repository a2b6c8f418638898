package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"netauto/store"
)

// storeOutput stores chunks as run r's output and ends it ok.
func storeOutput(t testing.TB, s *store.Store, r store.Run, chunks ...string) {
	t.Helper()
	for i, c := range chunks {
		if err := s.AppendChunk(r.ID, int64(i+1), []byte(c), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.FinishRun(ctx(t), r.ID, store.Finish{Status: store.StatusOK}); err != nil {
		t.Fatal(err)
	}
}

// search runs a query after indexing everything stored.
func search(t testing.TB, s *store.Store, q store.SearchQuery) []store.SearchHit {
	t.Helper()
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.CatchUpIndex(ctx(t)); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search(ctx(t), q)
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Query, err)
	}
	return hits
}

func TestSearchFindsLinesAcrossChunks(t *testing.T) {
	s, _ := newStore(t)
	r1 := mustCreate(t, s, store.NewRun{Device: "chi1-core-1", Site: "chi1", Command: "show interfaces"})
	storeOutput(t, s, r1,
		"Gi0/1 is up\r\n  0 input errors, 12 CR",
		"C, 0 frame\r\n  5 minute input rate 1000 bits/sec\r\n",
		"Gi0/2 is down\r\n  \x1b[31m3 input errors, 7 CRC\x1b[0m, 0 frame\r\nlast line without newline CRC")
	r2 := mustCreate(t, s, store.NewRun{Device: "nyc2-edge-1", Site: "nyc2", Command: "show version"})
	storeOutput(t, s, r2, "Cisco IOS Software, Version 15.2\nuptime is 3 weeks\n")

	hits := search(t, s, store.SearchQuery{Query: "crc", Context: 1})
	if len(hits) != 3 {
		t.Fatalf("want 3 hits, got %+v", hits)
	}
	want := []struct {
		line int64
		text string
	}{{1, "  0 input errors, 12 CRC, 0 frame"}, {4, "  3 input errors, 7 CRC, 0 frame"}, {5, "last line without newline CRC"}}
	for i, w := range want {
		h := hits[i]
		if h.RunID != r1.ID || h.Line != w.line || h.Text != w.text || h.Device != "chi1-core-1" {
			t.Errorf("hit %d: got %+v, want line %d %q", i, h, w.line, w.text)
		}
	}
	if len(hits[0].Before) != 1 || hits[0].Before[0] != "Gi0/1 is up" || len(hits[0].After) != 1 {
		t.Errorf("context: %+v", hits[0])
	}

	for q, n := range map[string]int{
		`"input errors" AND crc`: 2,
		`"7 CRC"`:                1,
		`vers*`:                  1,
		`crc NOT frame`:          1,
		`cisco OR uptime`:        2,
		`(up OR down) AND gi0`:   2,
		`NEAR(input errors, 5)`:  2,
		`missingword`:            0,
		`input AND uptime`:       0, // not on one line
	} {
		if got := search(t, s, store.SearchQuery{Query: q}); len(got) != n {
			t.Errorf("%s: want %d hits, got %d: %+v", q, n, len(got), got)
		}
	}
	if got := search(t, s, store.SearchQuery{Query: "crc", Device: "nyc2-*"}); len(got) != 0 {
		t.Errorf("device filter: %+v", got)
	}
	if got := search(t, s, store.SearchQuery{Query: "crc OR uptime", Site: "nyc2"}); len(got) != 1 {
		t.Errorf("site filter: %+v", got)
	}
	if got := search(t, s, store.SearchQuery{Query: "crc", Since: time.Now().Add(time.Hour)}); len(got) != 0 {
		t.Errorf("since filter: %+v", got)
	}
	if got := search(t, s, store.SearchQuery{Query: "crc", Limit: 2}); len(got) != 2 {
		t.Errorf("limit: %+v", got)
	}
}

func TestSearchBadQuery(t *testing.T) {
	s, _ := newStore(t)
	for _, q := range []string{"", `"open`, "10.0.0.1", "a AND", "(a OR b", "NOT", "col:x", `""`} {
		_, err := s.Search(ctx(t), store.SearchQuery{Query: q})
		if !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("%q: want ErrBadQuery, got %v", q, err)
		}
	}
	_, err := s.Search(ctx(t), store.SearchQuery{Query: "10.0.0.1"})
	if err == nil || !strings.Contains(err.Error(), "double quotes") {
		t.Errorf("error should say how to quote: %v", err)
	}
}

func TestSearchIndexerKeepsUp(t *testing.T) {
	s, path := newStore(t)
	r := mustCreate(t, s, store.NewRun{Device: "r1", Command: "show logging"})
	for i := 1; i <= 50; i++ {
		line := "%LINK-3-UPDOWN: Interface Gi0/1, changed state to down\n"
		if i == 50 {
			line = "needle in the haystack\n"
		}
		if err := s.AppendChunk(r.ID, int64(i), []byte(line), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
	// The background indexer gets there without CatchUpIndex.
	deadline := time.Now().Add(10 * time.Second)
	for {
		hits, err := s.Search(ctx(t), store.SearchQuery{Query: "needle"})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 1 && hits[0].Line == 49 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("indexer did not index the run in 10 s: %+v", hits)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A store closed before its run ended: the next one resumes indexing
	// from the high-water mark and indexes the last line once the run is
	// recovered as interrupted.
	if err := s.AppendChunk(r.ID, 51, []byte("tail without newline"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openStore(t, path, store.Options{NoIndex: true})
	hits := search(t, s2, store.SearchQuery{Query: "tail OR needle"})
	if len(hits) != 2 || hits[0].Line != 49 || hits[1].Line != 50 {
		t.Fatalf("after reopen: %+v", hits)
	}
	if n, err := s2.IndexBacklog(ctx(t)); n != 0 || err != nil {
		t.Errorf("backlog %d, %v", n, err)
	}
}

// TestSearchIndexFillsItsPages: the index's blocks of lines pack two to a
// page, so the index of an output takes about as many pages as its text
// needs; every line is still found at its own number, also where a block
// ends.
func TestSearchIndexFillsItsPages(t *testing.T) {
	s, path := newStore(t)
	r := mustCreate(t, s, store.NewRun{Device: "chi1-core-1", Site: "chi1", Command: "show log"})
	const lines = 40000
	var out strings.Builder
	for i := range lines {
		// Lines of 40 to 100 bytes, as a device's log has them.
		fmt.Fprintf(&out, "%%LINK-3-UPDOWN: Interface Gi0/%d, changed state to up token%06d %s\n",
			i%48, i, strings.Repeat("x", i%61))
	}
	storeOutput(t, s, r, out.String())
	if err := s.Flush(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.CatchUpIndex(ctx(t)); err != nil {
		t.Fatal(err)
	}
	var pages, payload int64
	if err := rawDB(t, path).QueryRow(
		`SELECT sum(pgsize), sum(payload) FROM dbstat WHERE name = 'search_docs'`).Scan(&pages, &payload); err != nil {
		t.Fatal(err)
	}
	fill := float64(payload) / float64(pages)
	t.Logf("%d bytes of text in %d bytes of pages: %.0f%% full", payload, pages, 100*fill)
	if fill < 0.9 {
		t.Errorf("the index's blocks fill %.0f%% of their pages (%d bytes of text in %d bytes of pages), want at least 90%%",
			100*fill, payload, pages)
	}
	for _, i := range []int{0, 1, 97, 98, 99, 100, 12345, lines - 1} {
		q := fmt.Sprintf("token%06d", i)
		hits := search(t, s, store.SearchQuery{Query: q})
		if len(hits) != 1 || hits[0].Line != int64(i) || !strings.Contains(hits[0].Text, q) {
			t.Errorf("%s: want one hit on line %d, got %+v", q, i, hits)
		}
	}
}
