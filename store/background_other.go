//go:build !linux

package store

// runInBackground does nothing where a thread's priority cannot be set
// apart from its process's (see background.go).
func runInBackground() {}
