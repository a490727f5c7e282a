//go:build unix

package credentials

import (
	"io"
	"os"
	"os/exec"
	"syscall"
)

// killProcessGroup runs cmd in a process group of its own and has its
// cancellation kill the whole group, so that what the program started
// does not outlive the timeout kill. A program whose stdin is a terminal
// stays in the caller's process group instead: in a group of its own it
// would be stopped (SIGTTIN) as soon as it read its prompt's answer.
func killProcessGroup(cmd *exec.Cmd, stdin io.Reader) {
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		// The group's id is the program's pid. Kill it all; if that
		// fails (the group is gone), kill the program as exec would.
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
}
