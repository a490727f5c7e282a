package credentials

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func FuzzParseConfig(f *testing.F) {
	files, _ := filepath.Glob("testdata/ini/*.ini")
	for _, path := range files {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(testConfig))
	f.Add([]byte(testCredentials))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		file, err := parseINI("config", data)
		if elapsed := time.Since(start); elapsed > time.Second {
			t.Fatalf("parsing %d bytes took %v", len(data), elapsed)
		}
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Path != "config" {
				t.Fatalf("err = %v, want a *ConfigError naming the file", err)
			}
			if ce.Line < 0 || ce.Line > strings.Count(string(data), "\n")+strings.Count(string(data), "\r")+1 {
				t.Fatalf("line %d is not in the file", ce.Line)
			}
			return
		}
		seen := map[string]bool{}
		for _, s := range file.sections {
			if seen[s.name] || s.name == "" || s.name == "DEFAULT" {
				t.Fatalf("section %q repeated, empty or DEFAULT", s.name)
			}
			seen[s.name] = true
			if len(s.keys) != len(s.values) {
				t.Fatalf("section %q: %d keys, %d values", s.name, len(s.keys), len(s.values))
			}
			for _, k := range s.keys {
				v := s.values[k]
				if k == "" || k != strings.ToLower(k) || v.line < 1 || len(v.parts) != len(v.lines) {
					t.Fatalf("section %q key %q: bad value %+v", s.name, k, v)
				}
			}
		}
		// The shared config built from it, as either file, must answer
		// without panicking.
		cfg := newSharedConfig(file, file)
		for _, name := range cfg.ProfileNames() {
			prof, err := cfg.Profile(name)
			if err != nil {
				t.Fatal(err)
			}
			_ = prof.String()
			for _, k := range prof.Keys() {
				prof.Get(k)
				prof.Nested(k)
				if path, line := prof.Location(k); path != "config" || line < 1 {
					t.Fatalf("Location(%q) = %s:%d", k, path, line)
				}
			}
		}
	})
}

func FuzzProcessOutput(f *testing.F) {
	f.Add([]byte(`{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY", "SessionToken": "tok", "Expiration": "2030-01-02T03:04:05Z", "AccountId": "123456789012"}`))
	f.Add([]byte(`{"Version": 2}`))
	f.Add([]byte(`{"Version": "1", "AccessKeyId": 5}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseProcessOutput(data)
		if err == nil {
			if !c.HasKeys() {
				t.Fatalf("no error but no keys: %v", c)
			}
			return
		}
		// No error quotes the input: check with the secret, when it is
		// long enough not to appear in a message by chance.
		if i := strings.Index(string(data), `"SecretAccessKey"`); i >= 0 {
			rest := string(data[i+len(`"SecretAccessKey"`):])
			if j := strings.IndexByte(rest, '"'); j >= 0 {
				if k := strings.IndexByte(rest[j+1:], '"'); k >= 24 {
					if secret := rest[j+1 : j+1+k]; strings.Contains(err.Error(), secret) {
						t.Fatalf("error %q shows the secret %q", err, secret)
					}
				}
			}
		}
	})
}

func FuzzSplitCommand(f *testing.F) {
	for _, s := range []string{
		`/opt/bin/creds --user helen`, `"/opt/my tools/creds" --name "a b"`, `a\ b c\"d`,
		`a '' "" b`, `creds "dq \"esc\" \\ \n"`, `unclosed "quote`, `trailing\`, "tab\tsep\nnl",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args, err := splitCommand(s)
		if err != nil {
			return
		}
		// Quoting each argument POSIX-style and splitting again gives the
		// same arguments back.
		quoted := make([]string, len(args))
		for i, a := range args {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		again, err := splitCommand(strings.Join(quoted, " "))
		if err != nil {
			t.Fatalf("splitting the re-quoted %q: %v", args, err)
		}
		if len(again) != len(args) {
			t.Fatalf("%q re-split as %q", args, again)
		}
		for i := range args {
			if again[i] != args[i] {
				t.Fatalf("%q re-split as %q", args, again)
			}
		}
	})
}
