// Package regularfile reads the small files the library is pointed at
// (shared config and credentials files, token files, the SSO cache)
// without ever blocking on one that is not a regular file: a FIFO named
// as a token file would otherwise block the open, or the read, until some
// writer came, past any context.
//
// On unix the file is opened with O_NONBLOCK, so that opening a FIFO
// returns at once, and checked with fstat on the open descriptor before
// anything is read; elsewhere it is checked with stat before it is opened
// and with fstat after. Either way a FIFO, a device, a socket or a
// directory is refused with an *fs.PathError whose Err wraps
// ErrNotRegular.
package regularfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is the cause of the error for a path that names something
// other than a regular file.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is the error for a file larger than the limit.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: file is larger than %s", e.Path, size(e.Limit))
}

func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func notRegular(path string, fi fs.FileInfo) error {
	return &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(fi.Mode()))}
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDir != 0:
		return "a directory"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	}
	return "mode " + m.Type().String()
}

// Read returns the content of the regular file at path, at most limit
// bytes: a larger file is a *TooLargeError. Errors of open, stat and read
// are *fs.PathError values naming the path.
func Read(path string, limit int64) ([]byte, error) {
	if openFlags == 0 {
		// No O_NONBLOCK: look before opening, so a FIFO is not opened.
		fi, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if !fi.Mode().IsRegular() {
			return nil, notRegular(path, fi)
		}
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(path, fi)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Path: path, Limit: limit}
	}
	return b, nil
}
