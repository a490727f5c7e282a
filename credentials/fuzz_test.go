package credentials

import (
	"github.com/callerid/callerid/internal/ini"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func FuzzParseConfig(f *testing.F) {
	files, _ := filepath.Glob("../internal/ini/testdata/*.ini")
	for _, path := range files {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(testConfig))
	f.Add([]byte(testCredentials))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		file, err := ini.Parse("config", data)
		if elapsed := time.Since(start); elapsed > time.Second {
			t.Fatalf("parsing %d bytes took %v", len(data), elapsed)
		}
		if err != nil {
			return // internal/ini's FuzzParse checks the errors
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
