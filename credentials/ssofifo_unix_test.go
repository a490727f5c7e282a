//go:build unix

package credentials_test

import (
	"context"
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/callerid/callerid/credentials"
)

// A FIFO in place of the cache file is refused at once: opening it to read
// would wait for a writer for ever.
func TestSSOCacheFileFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, cacheKey(ssoSessionName)+".json"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	f := newFakeSSO(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err := ssoProvider(f, "session", dir).Retrieve(ctx)
	if time.Since(start) > 2*time.Second {
		t.Errorf("Retrieve took %v on a FIFO", time.Since(start))
	}
	if !errors.Is(err, credentials.ErrSSOTokenNotFound) || !errors.Is(err, credentials.ErrNotRegularFile) {
		t.Errorf("err = %v, want ErrSSOTokenNotFound: not a regular file", err)
	}
}
