package quota

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
)

// BenchmarkCheckOutRelease measures one uncontended checkout and release.
// With a context that never ends no context watch is registered; with a
// cancellable one each checkout registers and detaches a context.AfterFunc.
func BenchmarkCheckOutRelease(b *testing.B) {
	cancellable, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, bc := range []struct {
		name string
		ctx  context.Context
		opts []Option
	}{
		{"background", context.Background(), nil},
		{"cancellable", cancellable, nil},
		{"background+hook", context.Background(), []Option{WithHook(func(Event) {})}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m := New(Limits{Global: 50, Sites: map[string]int{"chi1": 5}}, bc.opts...)
			b.ReportAllocs()
			for b.Loop() {
				r, err := m.CheckOut(bc.ctx, "chi1", Meta{RunID: 1})
				if err != nil {
					b.Fatal(err)
				}
				r.Release()
			}
		})
	}
}

// BenchmarkCheckOutReleaseParallel measures checkout and release from every
// P at once, on 8 sites, with caps high enough that nothing is refused.
func BenchmarkCheckOutReleaseParallel(b *testing.B) {
	sites := make([]string, 8)
	for i := range sites {
		sites[i] = "site" + strconv.Itoa(i)
	}
	m := New(Limits{Global: 1 << 20})
	var next atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		site := sites[int(next.Add(1))%len(sites)]
		for pb.Next() {
			r, err := m.CheckOut(context.Background(), site, Meta{})
			if err != nil {
				b.Error(err)
				return
			}
			r.Release()
		}
	})
}

// BenchmarkCheckOutRefused measures a refusal at a full cap.
func BenchmarkCheckOutRefused(b *testing.B) {
	m := New(Limits{Global: 0})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.CheckOut(context.Background(), "chi1", Meta{}); err == nil {
			b.Fatal("admitted")
		}
	}
}

// BenchmarkAcquireContended measures Acquire and Release from every P at
// once with a global cap of 1: most Acquires queue and are handed the slot
// by a Release, so this is the cost of a wait and a wake-up.
func BenchmarkAcquireContended(b *testing.B) {
	m := New(Limits{Global: 1})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r, err := m.Acquire(context.Background(), "chi1", Meta{})
			if err != nil {
				b.Error(err)
				return
			}
			r.Release()
		}
	})
}
