package quota

import "context"

// Run acquires a slot on site the way Acquire does (waiting FIFO), calls fn
// with ctx, and releases the slot when fn returns, whichever way it returns:
// if fn panics, the slot is released before the panic goes on up the
// owner's stack unchanged, so a caller that recovers (as the runner does)
// finds nothing leaked. It returns Acquire's error when no slot was granted,
// else fn's error.
func (m *Manager) Run(ctx context.Context, site string, meta Meta, fn func(context.Context) error) error {
	r, err := m.Acquire(ctx, site, meta)
	if err != nil {
		return err
	}
	defer r.Release()
	return fn(ctx)
}
