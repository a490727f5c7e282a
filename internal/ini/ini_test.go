package ini

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseMatchesBotocore parses each testdata/*.ini and compares with
// the .json beside it, which testdata/gen.py wrote from what
// botocore's configloader.raw_config_parse (the AWS CLI's parser) makes of
// the same file.
func TestParseMatchesBotocore(t *testing.T) {
	files, err := filepath.Glob("testdata/*.ini")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".ini")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			golden, err := os.ReadFile(strings.TrimSuffix(path, ".ini") + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var want struct {
				Error    bool
				Sections [][2]json.RawMessage
			}
			if err := json.Unmarshal(golden, &want); err != nil {
				t.Fatal(err)
			}
			f, err := Parse(path, data)
			if want.Error {
				var ce *Error
				if !errors.As(err, &ce) || ce.Path != path || ce.Line == 0 {
					t.Fatalf("parseINI = %v, want an *Error with the path and a line, as botocore fails", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseINI: %v (botocore parses it)", err)
			}
			type section struct {
				Name   string
				Values map[string]any
			}
			var wantSecs []section
			for _, s := range want.Sections {
				var sec section
				if err := json.Unmarshal(s[0], &sec.Name); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(s[1], &sec.Values); err != nil {
					t.Fatal(err)
				}
				wantSecs = append(wantSecs, sec)
			}
			var gotSecs []section
			for _, s := range f.Sections {
				sec := section{Name: s.Name, Values: map[string]any{}}
				for _, k := range s.Keys {
					v := s.Values[k]
					if v.Nested != nil {
						m := map[string]any{}
						for nk, nv := range v.Nested {
							m[nk] = nv
						}
						sec.Values[k] = m
					} else {
						sec.Values[k] = v.Value
					}
				}
				gotSecs = append(gotSecs, sec)
			}
			if diff := cmp.Diff(wantSecs, gotSecs); diff != "" {
				t.Errorf("parseINI differs from botocore (-botocore +ours):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY"
	tests := []struct {
		name     string
		in       string
		wantLine int
		wantMsg  string
	}{
		{"no header", "aws_secret_access_key = " + secret + "\n", 1, "before the first [section]"},
		{"bad line", "[default]\nregion = x\naws_secret_access_key " + secret + "\n", 3, "neither a [section] header"},
		{"duplicate key", "[default]\naws_secret_access_key = " + secret + "\n\naws_secret_access_key = " + secret + "\n", 4, `key "aws_secret_access_key" is set twice in section [default] (first at line 2)`},
		{"duplicate section", "[a]\n[b]\n[a]\n", 3, "section [a] is defined twice (first at line 1)"},
		{"empty key", "[a]\n = " + secret + "\n", 2, "no key name"},
		{"nested without =", "[a]\ns3 =\n  ok = 1\n  " + secret + "\n", 4, "nested value has no '='"},
		{"invalid utf-8", "[a]\nk = \xff" + secret + "\n", 2, "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("/home/u/.aws/config", []byte(tt.in))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if ce.Line != tt.wantLine || ce.Path != "/home/u/.aws/config" {
				t.Errorf("error at %s:%d, want line %d", ce.Path, ce.Line, tt.wantLine)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err = %q, want it to say %q", err, tt.wantMsg)
			}
			if !strings.HasPrefix(err.Error(), "/home/u/.aws/config:") {
				t.Errorf("err = %q, want it to start with path:line", err)
			}
			if strings.Contains(err.Error(), "SECRETKEY") {
				t.Errorf("error quotes a secret: %v", err)
			}
		})
	}
}

func TestParseByteOrderMark(t *testing.T) {
	f, err := Parse("c", []byte("\ufeff[default]\nregion = x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Sections) != 1 || f.Sections[0].Name != "default" {
		t.Fatalf("sections = %+v", f.Sections)
	}
}

func TestSplitLines(t *testing.T) {
	got := SplitLines("a\nb\r\nc\rd\x1ce\u2028f\n")
	want := []string{"a", "b", "c", "d", "e", "f"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}
