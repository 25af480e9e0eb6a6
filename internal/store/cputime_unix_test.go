//go:build unix

package store

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process used so far, user and system, on
// all threads: on a shared machine it varies less than wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
