package ini

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.ini")
	for _, path := range files {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n[DEFAULT]\nx = 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		file, err := Parse("config", data)
		if elapsed := time.Since(start); elapsed > time.Second {
			t.Fatalf("parsing %d bytes took %v", len(data), elapsed)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Path != "config" {
				t.Fatalf("err = %v, want an *Error naming the file", err)
			}
			if e.Line < 0 || e.Line > strings.Count(string(data), "\n")+strings.Count(string(data), "\r")+1 {
				t.Fatalf("line %d is not in the file", e.Line)
			}
			return
		}
		seen := map[string]bool{}
		for _, s := range file.Sections {
			if seen[s.Name] || s.Name == "" || s.Name == "DEFAULT" {
				t.Fatalf("section %q repeated, empty or DEFAULT", s.Name)
			}
			seen[s.Name] = true
			if len(s.Keys) != len(s.Values) {
				t.Fatalf("section %q: %d keys, %d values", s.Name, len(s.Keys), len(s.Values))
			}
			for _, k := range s.Keys {
				v := s.Values[k]
				if k == "" || k != strings.ToLower(k) || v.Line < 1 || len(v.parts) != len(v.lines) {
					t.Fatalf("section %q key %q: bad value %+v", s.Name, k, v)
				}
			}
		}
	})
}
