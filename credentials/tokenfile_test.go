package credentials

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadTokenFile(t *testing.T) {
	dir := t.TempDir()
	const jwt = "eyJhbGciOiJSUzI1NiJ9.SECRETPAYLOAD.sig"
	tests := []struct {
		name    string
		path    string
		want    string
		wantErr string
		notExt  bool
	}{
		{name: "trimmed", path: writeFile(t, dir, "token", "\n "+jwt+"\n"), want: jwt},
		{name: "empty", path: writeFile(t, dir, "empty", " \n\t"), wantErr: "is empty"},
		{name: "too large", path: writeFile(t, dir, "big", strings.Repeat("x", maxTokenFileSize+1)), wantErr: "larger than 1 MiB"},
		{name: "missing", path: filepath.Join(dir, "nope"), wantErr: "open " + filepath.Join(dir, "nope") + ": no such file", notExt: true},
		{name: "directory", path: dir, wantErr: "not a regular file (a directory)"},
		{name: "no path", wantErr: "no token file path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadTokenFile(tt.path)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ReadTokenFile = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || got != "" {
				t.Fatalf("ReadTokenFile = %q, %v; want an error saying %q", got, err, tt.wantErr)
			}
			var pe *fs.PathError
			if tt.notExt && (!errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe)) {
				t.Errorf("err = %v, want an *fs.PathError that is fs.ErrNotExist", err)
			}
			if strings.Contains(err.Error(), "SECRETPAYLOAD") {
				t.Errorf("error shows the token: %v", err)
			}
		})
	}
}
