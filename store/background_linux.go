//go:build linux

package store

import (
	"runtime"
	"syscall"
)

// runInBackground locks the calling goroutine to its OS thread and lowers
// that thread's CPU priority by backgroundNice (see background.go). The
// goroutine must keep the lock until it returns: the runtime then ends the
// thread, so the lower priority never passes to other goroutines. If the
// priority cannot be changed, the goroutine runs as it would have.
//
// The process's main thread is left alone: a goroutine locked to it does
// not end it (the runtime parks it for good), and tools such as ps and top
// show its priority as the process's. A goroutine that finds itself there
// yields a few times to move to another thread.
func runInBackground() {
	pid := syscall.Getpid()
	for range mainThreadYields {
		if syscall.Gettid() != pid {
			break
		}
		runtime.Gosched()
	}
	runtime.LockOSThread()
	tid := syscall.Gettid()
	if tid == pid {
		runtime.UnlockOSThread()
		return
	}
	// The raw getpriority system call returns 20 - nice.
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
	if err != nil {
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(20-prio+backgroundNice, maxNice))
}

// mainThreadYields bounds runInBackground's attempts to leave the main
// thread.
const mainThreadYields = 10

// maxNice is the lowest priority a thread can have.
const maxNice = 19
