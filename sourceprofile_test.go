package callerid

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A source_profile chain longer than maxSourceProfileDepth is refused
// with a clear error, quickly and in bounded memory, however long it is
// (botocore sets no limit; a hostile config file of 3,000 hops cost
// quadratic time and memory).
func TestSourceProfileChainIsCapped(t *testing.T) {
	const hops = 3000
	var b strings.Builder
	b.WriteString("[profile p0]\naws_access_key_id = AKIDBASE\naws_secret_access_key = " + testSecret + "\n")
	for i := 1; i <= hops; i++ {
		fmt.Fprintf(&b, "[profile p%d]\nrole_arn = arn:aws:iam::111122223333:role/r%d\nsource_profile = p%d\n", i, i, i-1)
	}
	h := newHarness(t, b.String(), "")
	h.env["AWS_PROFILE"] = fmt.Sprintf("p%d", hops)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	cfg, err := h.load()
	if err == nil {
		_, err = cfg.Credentials.Retrieve(context.Background())
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), fmt.Sprintf("more than %d", maxSourceProfileDepth)) {
		t.Fatalf("err = %v, want a *ConfigError saying the chain is longer than %d", err, maxSourceProfileDepth)
	}
	if elapsed > 2*time.Second {
		t.Errorf("took %v", elapsed)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("allocated %d MiB", alloc>>20)
	}
	// A chain at the cap still works.
	h2 := newHarness(t, b.String(), "")
	h2.env["AWS_PROFILE"] = fmt.Sprintf("p%d", maxSourceProfileDepth)
	if cfg, err := h2.load(); err != nil {
		t.Fatal(err)
	} else if _, err := cfg.Credentials.Retrieve(context.Background()); err != nil && strings.Contains(err.Error(), "more than") {
		t.Errorf("a chain of %d hops is refused: %v", maxSourceProfileDepth, err)
	}
}
