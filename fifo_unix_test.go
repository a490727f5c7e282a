//go:build unix

package callerid

import (
	"context"
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/callerid/callerid/credentials"
)

// A FIFO named as any file LoadConfig or the chain reads (the shared
// config or credentials file, AWS_CREDENTIAL_FILE, a web identity token
// file) is refused at once with ErrNotRegularFile: opening it to read
// would wait for a writer past every deadline.
func TestFIFOsAreRefused(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		load bool // the error comes from LoadConfig, not from Retrieve
	}{
		{"AWS_CONFIG_FILE", map[string]string{"AWS_CONFIG_FILE": fifo}, true},
		{"AWS_SHARED_CREDENTIALS_FILE", map[string]string{"AWS_SHARED_CREDENTIALS_FILE": fifo}, true},
		{"AWS_CREDENTIAL_FILE", map[string]string{"AWS_CREDENTIAL_FILE": fifo}, false},
		{"AWS_WEB_IDENTITY_TOKEN_FILE", map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": fifo, "AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/r"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "[default]\nregion = eu-west-1\n", "")
			for k, v := range tc.env {
				h.env[k] = v
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			done := make(chan error, 1)
			go func() {
				cfg, err := LoadConfig(ctx, WithGetenv(envMap(h.env)), WithClock(fixedNow))
				if err == nil && !tc.load {
					_, err = cfg.Credentials.Retrieve(ctx)
				}
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, credentials.ErrNotRegularFile) {
					t.Errorf("err = %v, want ErrNotRegularFile", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("blocked on a FIFO past the context")
			}
		})
	}
}
