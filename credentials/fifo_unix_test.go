//go:build unix

package credentials

import (
	"errors"
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// mkfifo makes a named pipe with no writer: opening or reading it would
// block for ever.
func mkfifo(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return p
}

// within fails t if f does not return within a few seconds.
func within(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("%s blocked on a FIFO", what)
		return nil
	}
}

// Every file the package reads by a name it is given is refused at once
// when it names a FIFO: a web identity token file, the container
// authorization token file.
func TestFIFOsAreRefused(t *testing.T) {
	fifo := mkfifo(t)
	for _, tc := range []struct {
		name string
		f    func() error
	}{
		{"ReadTokenFile", func() error { _, err := ReadTokenFile(fifo); return err }},
		{"container token file", func() error {
			_, err := containerToken(func(k string) string {
				if k == "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" {
					return fifo
				}
				return ""
			})
			return err
		}},
	} {
		err := within(t, tc.name, tc.f)
		var pe *fs.PathError
		if !errors.Is(err, ErrNotRegularFile) || !errors.As(err, &pe) || pe.Path != fifo {
			t.Errorf("%s: err = %v, want an *fs.PathError naming the FIFO, wrapping ErrNotRegularFile", tc.name, err)
		}
	}
}
