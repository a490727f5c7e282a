//go:build !unix

package credentials

import (
	"io"
	"os/exec"
)

// killProcessGroup does nothing where there are no process groups: the
// program alone is killed.
func killProcessGroup(*exec.Cmd, io.Reader) {}
