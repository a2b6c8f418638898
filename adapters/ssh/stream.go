package sshadapter

import (
	"context"
	"errors"
	"io"
	"time"

	"netauto/adapters"
)

// Chunking: device output is read into 32 KB arenas and handed on in chunks
// of up to 32 KB, or after chunkDelay, whichever comes first. A read that is
// already large goes through without a copy.
const (
	chunkSize  = 32 << 10
	chunkDelay = 10 * time.Millisecond
	minArena   = 4 << 10 // a smaller remainder starts a fresh arena
)

// readPieces reads r until it ends, sending each read on out. Each piece is
// a fresh part of an arena that is never written again, so the receiver owns
// it. It reports the end (nil for EOF) on ended.
func readPieces(r io.Reader, out chan<- []byte, ended chan<- error, quit <-chan struct{}) {
	var arena []byte
	for {
		if len(arena) < minArena {
			arena = make([]byte, chunkSize)
		}
		n, err := r.Read(arena)
		if n > 0 {
			piece := arena[:n:n]
			arena = arena[n:]
			select {
			case out <- piece:
			case <-quit:
				return
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			select {
			case ended <- err:
			case <-quit:
			}
			return
		}
	}
}

// stream multiplexes a run's readers with its timers: idle, the command
// timeout (through ctx's cause), cancellation and a dead peer.
type stream struct {
	ctx     context.Context // ends on cancel or command timeout
	pieces  chan []byte
	ended   chan error
	quit    chan struct{}
	readers int // still reading
	idle    time.Duration
	timer   *time.Timer
	dead    <-chan struct{} // closed when keepalives go unanswered
}

func newStream(ctx context.Context, idle time.Duration, dead <-chan struct{}) *stream {
	return &stream{
		ctx:    ctx,
		pieces: make(chan []byte, 2), // x/crypto buffers a 2 MiB window behind it; each piece pins a 32 KB arena
		ended:  make(chan error, 2),
		quit:   make(chan struct{}),
		idle:   idle,
		timer:  time.NewTimer(idle),
		dead:   dead,
	}
}

// add starts a reader on r.
func (s *stream) add(r io.Reader) {
	s.readers++
	go readPieces(r, s.pieces, s.ended, s.quit)
}

// stop releases the readers and the timer.
func (s *stream) stop() {
	close(s.quit)
	s.timer.Stop()
}

// errFlushDue is returned by next when the flush timer fires first.
var errFlushDue = errors.New("flush due")

// errReadersDone is returned by next once every reader has ended.
var errReadersDone = errors.New("output ended")

// next returns the next piece of output. Otherwise it returns errFlushDue
// (flush fired), errReadersDone, a reader's error, or why the run must stop:
// timeout idle, the context's end, a dead peer.
func (s *stream) next(flush <-chan time.Time) ([]byte, error) {
	for {
		if s.readers == 0 {
			// Drain what the readers sent before they ended.
			select {
			case p := <-s.pieces:
				return p, nil
			default:
				return nil, errReadersDone
			}
		}
		select {
		case p := <-s.pieces:
			s.resetIdle()
			return p, nil
		case err := <-s.ended:
			s.readers--
			if err != nil {
				return nil, adapters.Errorf(adapters.ClassClosed, err, "reading output: %v", err)
			}
		case <-flush:
			return nil, errFlushDue
		case <-s.timer.C:
			return nil, adapters.Errorf(adapters.ClassTimeout, nil, "idle")
		case <-s.ctx.Done():
			return nil, s.ctx.Err()
		case <-s.dead:
			return nil, adapters.Errorf(adapters.ClassClosed, nil, "peer stopped answering keepalives")
		}
	}
}

// resetIdle restarts the idle timer (since Go 1.23 Reset drops a stale tick).
func (s *stream) resetIdle() { s.timer.Reset(s.idle) }

// chunker merges small pieces into chunks for onChunk. The flush timer
// runs while pend is non-nil (then it is never empty).
type chunker struct {
	emit  func([]byte)
	pend  []byte
	timer *time.Timer
	bytes int64
}

func newChunker(emit func([]byte)) *chunker {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &chunker{emit: emit, timer: t}
}

// add takes ownership of p.
func (c *chunker) add(p []byte) {
	if len(p) == 0 {
		return
	}
	if len(c.pend)+len(p) > chunkSize {
		c.flush()
	}
	if len(c.pend) == 0 && len(p) >= chunkSize/2 {
		c.out(p)
		return
	}
	if c.pend == nil {
		c.pend = make([]byte, 0, chunkSize)
		c.timer.Reset(chunkDelay)
	}
	c.pend = append(c.pend, p...)
	if len(c.pend) >= chunkSize {
		c.flush()
	}
}

// due is the flush timer's channel, nil when nothing is pending.
func (c *chunker) due() <-chan time.Time {
	if c.pend == nil {
		return nil
	}
	return c.timer.C
}

// flush hands on what is pending; it is also what to do when due()
// delivered (Stop on a timer that fired is a no-op).
func (c *chunker) flush() {
	if c.pend != nil {
		c.timer.Stop()
		p := c.pend
		c.pend = nil
		c.out(p)
	}
}

func (c *chunker) out(p []byte) {
	c.bytes += int64(len(p))
	c.emit(p[:len(p):len(p)])
}
