//go:build linux || darwin

package main

import (
	"os"
	"syscall"
	"unsafe"
)

// terminalWidth is the width of the terminal f is, as the AWS CLI reads
// it for its tables (TIOCGWINSZ), or 80 when f is not a terminal.
func terminalWidth(f *os.File) int {
	var ws struct{ rows, cols, x, y uint16 }
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), uintptr(syscall.TIOCGWINSZ), uintptr(unsafe.Pointer(&ws))); errno != 0 {
		return 80
	}
	return int(ws.cols)
}
