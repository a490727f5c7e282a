package iamauth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/sts/ststest"
)

func TestCacheRepeats(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	tok := e.token(t)
	first, err := e.verifier.VerifyEKSToken(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(14*time.Minute + 59*time.Second)
	for i := 0; i < 5; i++ {
		again, err := e.verifier.VerifyEKSToken(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, again); diff != "" {
			t.Errorf("cached identity (-first +again):\n%s", diff)
		}
	}
	if n := e.calls(); n != 1 {
		t.Errorf("%d calls to STS for 6 presentations of one token, want 1", n)
	}
	// Not a second longer than the token's validity.
	e.clock.Add(2 * time.Second)
	if _, err := e.verifier.VerifyEKSToken(ctx, tok); !errors.Is(err, iamauth.ErrExpired) {
		t.Errorf("after the token expired: %v, want ErrExpired", err)
	}
	if n := e.calls(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}

	// Payloads too.
	p := e.payload(t, iamauth.LoginOptions{})
	for i := 0; i < 3; i++ {
		if _, err := e.verifier.VerifyLogin(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.calls(); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
}

func TestCacheKeyHasBindings(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	c1 := iamauth.Binding{Header: "X-Challenge", Value: "one"}
	c2 := iamauth.Binding{Header: "X-Challenge", Value: "two"}
	tok := e.token(t, c1)
	if _, err := e.verifier.VerifyEKSToken(ctx, tok, c1); err != nil {
		t.Fatal(err)
	}
	// The same token, verified for another challenge, is not the cached
	// proof: STS is asked, and refuses.
	if _, err := e.verifier.VerifyEKSToken(ctx, tok, c2); !errors.Is(err, iamauth.ErrRejected) {
		t.Errorf("for another challenge: %v, want ErrRejected", err)
	}
	if n := e.calls(); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
	// A verifier of another cluster has its own cache.
	other, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: "staging", Endpoint: e.srv.URL, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.VerifyEKSToken(ctx, tok, c1); !errors.Is(err, iamauth.ErrRejected) {
		t.Errorf("another cluster's verifier: %v, want ErrRejected", err)
	}
}

func TestCacheKeepsOnlySTSRefusals(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	tok := e.token(t)
	u := urlOf(t, tok)

	// A local refusal is made again each time, without STS.
	bad := tokenOf(strings.Replace(u, "https://", "http://", 1))
	for i := 0; i < 3; i++ {
		if _, err := e.verifier.VerifyEKSToken(ctx, bad); !errors.Is(err, iamauth.ErrScheme) {
			t.Fatal(err)
		}
	}
	// STS's refusal is kept, for a minute at most.
	forged := tokenOf(setParam(u, "X-Amz-Signature", strings.Repeat("0", 64)))
	for i := 0; i < 3; i++ {
		_, err := e.verifier.VerifyEKSToken(ctx, forged)
		if !errors.Is(err, iamauth.ErrRejected) {
			t.Fatal(err)
		}
		// A caller changing the error it got changes no one else's.
		err.(*iamauth.VerifyError).Reason = "changed"
	}
	if n := e.calls(); n != 1 {
		t.Errorf("%d calls for a forged token presented 3 times, want 1", n)
	}
	e.clock.Add(61 * time.Second)
	_, err := e.verifier.VerifyEKSToken(ctx, forged)
	if !errors.Is(err, iamauth.ErrRejected) || strings.Contains(err.Error(), "changed") {
		t.Fatal(err)
	}
	if n := e.calls(); n != 2 {
		t.Errorf("%d calls after the refusal's minute, want 2", n)
	}
	// Throttling is not kept.
	e.srv.FailNext(1, ststest.Throttling())
	tok2 := e.token(t)
	if _, err := e.verifier.VerifyEKSToken(ctx, tok2); !errors.Is(err, iamauth.ErrThrottled) {
		t.Fatal(err)
	}
	if _, err := e.verifier.VerifyEKSToken(ctx, tok2); err != nil {
		t.Fatal(err)
	}
}

// TestCacheSingleFlight presents a new token many times at once: STS is
// called once, and a presenter that gives up does not fail the others.
func TestCacheSingleFlight(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.SetDelay(100 * time.Millisecond)
	tok := e.token(t)
	const n = 32
	var wg sync.WaitGroup
	errs := make([]error, n)
	ids := make([]iamauth.Identity, n)
	impatient, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx := context.Background()
			if i == 0 {
				ctx = impatient
			}
			ids[i], errs[i] = e.verifier.VerifyEKSToken(ctx, tok)
		}(i)
	}
	wg.Wait()
	if !errors.Is(errs[0], context.DeadlineExceeded) {
		t.Errorf("the impatient presenter: %v, want its deadline", errs[0])
	}
	for i := 1; i < n; i++ {
		if errs[i] != nil || ids[i].ARN != e.key.Identity.ARN {
			t.Errorf("presenter %d: %v %v", i, ids[i].ARN, errs[i])
		}
	}
	if c := e.calls(); c != 1 {
		t.Errorf("%d calls to STS for %d simultaneous presentations, want 1", c, n)
	}
}

// TestCacheConcurrent verifies many tokens from many goroutines, for the
// race detector, with a cache smaller than the tokens.
func TestCacheConcurrent(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(o *iamauth.VerifierOptions) { o.CacheSize = 4 })
	var toks []string
	for i := 0; i < 10; i++ {
		toks = append(toks, e.token(t, iamauth.Binding{Header: "X-N", Value: strings.Repeat("n", i+1)}))
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				k := (g + i) % len(toks)
				id, err := e.verifier.VerifyEKSToken(ctx, toks[k], iamauth.Binding{Header: "X-N", Value: strings.Repeat("n", k+1)})
				if err != nil || id.AccessKeyID != e.key.AccessKeyID {
					t.Errorf("token %d: %v", k, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	if c := e.calls(); c < len(toks) || c >= 8*40 {
		t.Errorf("%d calls for %d tokens presented %d times", c, len(toks), 8*40)
	}
}

func TestNoCache(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(o *iamauth.VerifierOptions) { o.CacheSize = -1 })
	tok := e.token(t)
	for i := 0; i < 3; i++ {
		if _, err := e.verifier.VerifyEKSToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.calls(); n != 3 {
		t.Errorf("%d calls without a cache, want 3", n)
	}
}
