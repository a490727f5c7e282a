package credentials_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/ssotest"
)

// sleepLog records the waits of a retrying provider instead of waiting.
type sleepLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (l *sleepLog) sleep(_ context.Context, d time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waits = append(l.waits, d)
	return nil
}

func (l *sleepLog) got() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]time.Duration(nil), l.waits...)
}

// halfJitter makes every wait half its ceiling: 500 ms, 1 s, 2 s, ...
func halfJitter() float64 { return 0.5 }

// backoffs returns the waits before the first n retries in mode with
// halfJitter and the default delays: capped at DefaultSSOMaxBackoff in
// standard and adaptive modes, uncapped in legacy mode.
func backoffs(mode credentials.SSORetryMode, n int) []time.Duration {
	var w []time.Duration
	for i := 0; i < n; i++ {
		d := credentials.DefaultSSOBaseDelay << i
		if mode != credentials.SSORetryLegacy {
			d = min(d, credentials.DefaultSSOMaxBackoff)
		}
		w = append(w, d/2)
	}
	return w
}

func throttled() ssotest.Failure {
	return ssotest.Failure{Status: 429, Code: "TooManyRequestsException", Message: "Too many requests"}
}

func failures(n int, f ssotest.Failure) []ssotest.Failure {
	fs := make([]ssotest.Failure, n)
	for i := range fs {
		fs[i] = f
	}
	return fs
}

// TestSSORetries: GetRoleCredentials and CreateToken are retried on what
// botocore retries in each retry mode, with the backoff and the number of
// attempts it uses, and on nothing else.
func TestSSORetries(t *testing.T) {
	reset := ssotest.Failure{Reset: true}
	cut := ssotest.Failure{Cut: true}
	const (
		legacy   = credentials.SSORetryLegacy
		standard = credentials.SSORetryStandard
		adaptive = credentials.SSORetryAdaptive
	)
	tests := []struct {
		name          string
		mode          credentials.SSORetryMode
		maxAttempts   int
		refresh       bool // the cached token has expired: CreateToken first
		portal, oidc  []ssotest.Failure
		wantPortal    int // requests
		wantOIDC      int
		wantErr       bool
		wantAttempts  int // of the *SSOAttemptsError; 0: none
		wantSvc       *credentials.SSOServiceError
		wantKind      error // an *SSOTokenError of this kind
		wantInMessage string
	}{
		{name: "429 twice", portal: failures(2, throttled()), wantPortal: 3},
		{name: "500", portal: failures(1, ssotest.Failure{Status: 500, Code: "InternalServerException"}), wantPortal: 2},
		{name: "502", portal: failures(1, ssotest.Failure{Status: 502}), wantPortal: 2},
		{name: "503 three times", portal: failures(3, ssotest.Failure{Status: 503}), wantPortal: 4},
		{name: "504", portal: failures(1, ssotest.Failure{Status: 504}), wantPortal: 2},
		{name: "400 ThrottlingException", portal: failures(1, ssotest.Failure{Status: 400, Code: "ThrottlingException"}), wantPortal: 2},
		{name: "connection reset", portal: []ssotest.Failure{reset, reset}, wantPortal: 3},
		{name: "429 four times, fifth attempt passes", portal: failures(4, throttled()), wantPortal: 5},
		{name: "429 five times: gives up after the default 5", portal: failures(5, throttled()), wantPortal: 5,
			wantErr: true, wantAttempts: 5,
			wantSvc:       &credentials.SSOServiceError{StatusCode: 429, Code: "TooManyRequestsException", Message: "Too many requests", RequestID: "req-1"},
			wantInMessage: `SSO GetRoleCredentials "URL/federation/credentials": HTTP 429 TooManyRequestsException: "Too many requests" (request id "req-1") (after 5 attempts)`},
		{name: "resets to the end", portal: failures(5, reset), wantPortal: 5, wantErr: true, wantAttempts: 5,
			wantInMessage: "(after 5 attempts)"},
		{name: "max_attempts 2", maxAttempts: 2, portal: failures(3, ssotest.Failure{Status: 503}), wantPortal: 2,
			wantErr: true, wantAttempts: 2, wantSvc: &credentials.SSOServiceError{StatusCode: 503, RequestID: "req-1"}, wantInMessage: "HTTP 503 (request id \"req-1\") (after 2 attempts)"},
		{name: "max_attempts 1: no retry", maxAttempts: 1, portal: failures(1, throttled()), wantPortal: 1,
			wantErr: true, wantSvc: &credentials.SSOServiceError{StatusCode: 429, Code: "TooManyRequestsException", Message: "Too many requests", RequestID: "req-1"}},
		{name: "max_attempts 8: waits uncapped", maxAttempts: 8, portal: failures(7, throttled()), wantPortal: 8},
		{name: "509", portal: failures(1, ssotest.Failure{Status: 509}), wantPortal: 2},
		{name: "509 BandwidthLimitExceeded", portal: failures(1, ssotest.Failure{Status: 509, Code: "BandwidthLimitExceeded"}), wantPortal: 2},
		{name: "answer cut short", portal: []ssotest.Failure{cut, cut}, wantPortal: 3},
		{name: "answer cut short to the end", portal: failures(5, cut), wantPortal: 5, wantErr: true, wantAttempts: 5,
			wantInMessage: `SSO GetRoleCredentials "URL/federation/credentials": reading the answer (HTTP 200): unexpected EOF (after 5 attempts)`},
		{name: "throttling code with 403: legacy's codes need 400", portal: failures(1, ssotest.Failure{Status: 403, Code: "ThrottlingException"}),
			wantPortal: 1, wantErr: true, wantSvc: &credentials.SSOServiceError{StatusCode: 403, Code: "ThrottlingException", RequestID: "req-1"}},
		{name: "400 RequestLimitExceeded: not legacy's", portal: failures(1, ssotest.Failure{Status: 400, Code: "RequestLimitExceeded"}),
			wantPortal: 1, wantErr: true, wantSvc: &credentials.SSOServiceError{StatusCode: 400, Code: "RequestLimitExceeded", RequestID: "req-1"}},
		{name: "400 RequestTimeout: not legacy's", portal: failures(1, ssotest.Failure{Status: 400, Code: "RequestTimeout"}),
			wantPortal: 1, wantErr: true, wantSvc: &credentials.SSOServiceError{StatusCode: 400, Code: "RequestTimeout", RequestID: "req-1"}},

		// Standard and adaptive modes.
		{name: "standard: 429 twice", mode: standard, portal: failures(2, throttled()), wantPortal: 3},
		{name: "standard: 429 to the end: gives up after the default 3", mode: standard, portal: failures(3, throttled()), wantPortal: 3,
			wantErr: true, wantAttempts: 3,
			wantSvc:       &credentials.SSOServiceError{StatusCode: 429, Code: "TooManyRequestsException", Message: "Too many requests", RequestID: "req-1"},
			wantInMessage: "(after 3 attempts)"},
		{name: "adaptive: 503 to the end: 3", mode: adaptive, portal: failures(3, ssotest.Failure{Status: 503}), wantPortal: 3,
			wantErr: true, wantAttempts: 3, wantSvc: &credentials.SSOServiceError{StatusCode: 503, RequestID: "req-1"}},
		{name: "standard: max_attempts 8: waits capped", mode: standard, maxAttempts: 8, portal: failures(7, throttled()), wantPortal: 8},
		{name: "standard: throttling code with 403", mode: standard, portal: failures(1, ssotest.Failure{Status: 403, Code: "ThrottlingException"}), wantPortal: 2},
		{name: "standard: 400 RequestLimitExceeded", mode: standard, portal: failures(1, ssotest.Failure{Status: 400, Code: "RequestLimitExceeded"}), wantPortal: 2},
		{name: "adaptive: 400 SlowDown", mode: adaptive, portal: failures(1, ssotest.Failure{Status: 400, Code: "SlowDown"}), wantPortal: 2},
		{name: "standard: 400 RequestTimeout", mode: standard, portal: failures(1, ssotest.Failure{Status: 400, Code: "RequestTimeout"}), wantPortal: 2},
		{name: "standard: 509 BandwidthLimitExceeded", mode: standard, portal: failures(1, ssotest.Failure{Status: 509, Code: "BandwidthLimitExceeded"}), wantPortal: 2},
		{name: "standard: connection reset", mode: standard, portal: []ssotest.Failure{reset}, wantPortal: 2},
		{name: "standard: answer cut short", mode: standard, portal: []ssotest.Failure{cut}, wantPortal: 2},
		{name: "standard: 509 without a throttling code", mode: standard, portal: failures(1, ssotest.Failure{Status: 509}),
			wantPortal: 1, wantErr: true, wantSvc: &credentials.SSOServiceError{StatusCode: 509, RequestID: "req-1"}},
		{name: "standard: 401 UnauthorizedException", mode: standard, portal: failures(1, ssotest.Failure{Status: 401, Code: "UnauthorizedException"}),
			wantPortal: 1, wantErr: true, wantKind: credentials.ErrSSOSessionExpired,
			wantSvc: &credentials.SSOServiceError{StatusCode: 401, Code: "UnauthorizedException", RequestID: "req-1"}},
		{name: "standard: CreateToken 429 to the end", mode: standard, refresh: true, oidc: failures(3, throttled()),
			wantOIDC: 3, wantErr: true, wantAttempts: 3, wantKind: credentials.ErrSSOTokenExpired,
			wantSvc: &credentials.SSOServiceError{StatusCode: 429, Code: "TooManyRequestsException", Message: "Too many requests", RequestID: "req-1"}},
		{name: "standard: CreateToken 400 SlowDownException (SSO OIDC's, not a throttling code)", mode: standard, refresh: true,
			oidc: failures(1, ssotest.Failure{Status: 400, Code: "SlowDownException"}), wantOIDC: 1, wantErr: true, wantKind: credentials.ErrSSOTokenExpired,
			wantSvc: &credentials.SSOServiceError{StatusCode: 400, Code: "SlowDownException", RequestID: "req-1"}},

		// Never retried, even though the next answer would succeed.
		{name: "401 UnauthorizedException", portal: failures(1, ssotest.Failure{Status: 401, Code: "UnauthorizedException", Message: "Session token not found or invalid"}),
			wantPortal: 1, wantErr: true, wantKind: credentials.ErrSSOSessionExpired,
			wantSvc: &credentials.SSOServiceError{StatusCode: 401, Code: "UnauthorizedException", Message: "Session token not found or invalid", RequestID: "req-1"}},
		{name: "403 ForbiddenException", portal: failures(1, ssotest.Failure{Status: 403, Code: "ForbiddenException", Message: "No access"}),
			wantPortal: 1, wantErr: true, wantSvc: &credentials.SSOServiceError{StatusCode: 403, Code: "ForbiddenException", Message: "No access", RequestID: "req-1"}},
		{name: "400 InvalidRequestException", portal: failures(1, ssotest.Failure{Status: 400, Code: "InvalidRequestException"}),
			wantPortal: 1, wantErr: true, wantSvc: &credentials.SSOServiceError{StatusCode: 400, Code: "InvalidRequestException", RequestID: "req-1"}},
		{name: "404 ResourceNotFoundException", portal: failures(1, ssotest.Failure{Status: 404, Code: "ResourceNotFoundException"}),
			wantPortal: 1, wantErr: true, wantSvc: &credentials.SSOServiceError{StatusCode: 404, Code: "ResourceNotFoundException", RequestID: "req-1"}},
		{name: "501", portal: failures(1, ssotest.Failure{Status: 501}),
			wantPortal: 1, wantErr: true, wantSvc: &credentials.SSOServiceError{StatusCode: 501, RequestID: "req-1"}},

		// SSO OIDC CreateToken, refreshing an expired sso_session token.
		{name: "CreateToken 429, 503", refresh: true, oidc: []ssotest.Failure{throttled(), {Status: 503}}, wantOIDC: 3, wantPortal: 1},
		{name: "CreateToken reset", refresh: true, oidc: []ssotest.Failure{reset}, wantOIDC: 2, wantPortal: 1},
		{name: "CreateToken 500 to the end", refresh: true, oidc: failures(5, ssotest.Failure{Status: 500, Code: "InternalServerException"}),
			wantOIDC: 5, wantErr: true, wantAttempts: 5, wantKind: credentials.ErrSSOTokenExpired,
			wantSvc:       &credentials.SSOServiceError{StatusCode: 500, Code: "InternalServerException", RequestID: "req-1"},
			wantInMessage: `SSO OIDC CreateToken "URL/token": HTTP 500 InternalServerException (request id "req-1") (after 5 attempts)`},
		{name: "CreateToken 400 InvalidGrantException", refresh: true, oidc: failures(1, ssotest.Failure{Status: 400, Code: "InvalidGrantException"}),
			wantOIDC: 1, wantErr: true, wantKind: credentials.ErrSSOTokenExpired,
			wantSvc: &credentials.SSOServiceError{StatusCode: 400, Code: "InvalidGrantException", RequestID: "req-1"}},
		{name: "CreateToken 401 InvalidClientException", refresh: true, oidc: failures(1, ssotest.Failure{Status: 401, Code: "InvalidClientException"}),
			wantOIDC: 1, wantErr: true, wantKind: credentials.ErrSSOTokenExpired,
			wantSvc: &credentials.SSOServiceError{StatusCode: 401, Code: "InvalidClientException", RequestID: "req-1"}},
		{name: "CreateToken max_attempts 1", refresh: true, maxAttempts: 1, oidc: failures(1, throttled()),
			wantOIDC: 1, wantErr: true, wantKind: credentials.ErrSSOTokenExpired,
			wantSvc: &credentials.SSOServiceError{StatusCode: 429, Code: "TooManyRequestsException", Message: "Too many requests", RequestID: "req-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSSO(t)
			f.PortalFailures, f.OIDCFailures = tt.portal, tt.oidc
			dir := t.TempDir()
			expires := testNow.Add(time.Hour)
			if tt.refresh {
				expires = testNow.Add(-time.Minute)
			}
			writeCache(t, dir, ssoSessionName, cacheToken(expires))
			var log sleepLog
			p := ssoProvider(f, "session", dir)
			p.Retry = credentials.SSORetryOptions{Mode: tt.mode, MaxAttempts: tt.maxAttempts, Jitter: halfJitter, Sleep: log.sleep}
			got, err := p.Retrieve(context.Background())

			if n := len(f.PortalRequests()); n != tt.wantPortal {
				t.Errorf("%d portal requests, want %d", n, tt.wantPortal)
			}
			if n := len(f.OIDCRequests()); n != tt.wantOIDC {
				t.Errorf("%d OIDC requests, want %d", n, tt.wantOIDC)
			}
			// One wait before each retry, growing as botocore's do.
			retries := tt.wantPortal + tt.wantOIDC - 1
			if tt.refresh && !tt.wantErr {
				retries-- // the portal's request is a call of its own
			}
			if diff := cmp.Diff(backoffs(tt.mode, retries), log.got()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if !tt.wantErr {
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(wantSSOCreds(), got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				return
			}
			if err == nil {
				t.Fatal("Retrieve succeeded")
			}
			msg := strings.ReplaceAll(err.Error(), f.URL(), "URL")
			checkNoSecrets(t, "the error", fmt.Sprintf("%v %+v %#v", err, err, err))
			var ae *credentials.SSOAttemptsError
			if errors.As(err, &ae) != (tt.wantAttempts > 0) {
				t.Errorf("err = %s: *SSOAttemptsError %v, want attempts %d", msg, ae, tt.wantAttempts)
			} else if ae != nil && (ae.Attempts != tt.wantAttempts || ae.Stopped != nil) {
				t.Errorf("Attempts = %d, Stopped = %v; want %d, nil", ae.Attempts, ae.Stopped, tt.wantAttempts)
			}
			if tt.wantAttempts == 0 && strings.Contains(msg, "attempt") {
				t.Errorf("err = %s: a call made once does not count its attempts", msg)
			}
			var ue *url.Error
			if !errors.As(err, &ue) {
				t.Errorf("err = %s, want a *url.Error inside", msg)
			}
			if tt.wantSvc != nil {
				var se *credentials.SSOServiceError
				if !errors.As(err, &se) {
					t.Fatalf("err = %s, want an *SSOServiceError inside", msg)
				}
				if diff := cmp.Diff(tt.wantSvc, se); diff != "" {
					t.Errorf("SSOServiceError (-want +got):\n%s", diff)
				}
			}
			var te *credentials.SSOTokenError
			if got := errors.As(err, &te); got != (tt.wantKind != nil) || (got && !errors.Is(err, tt.wantKind)) {
				t.Errorf("err = %s: SSOTokenError %v, want kind %v", msg, te, tt.wantKind)
			}
			if !strings.Contains(msg, tt.wantInMessage) {
				t.Errorf("err = %s\nwant it to contain %s", msg, tt.wantInMessage)
			}
		})
	}
}

// A context that ends during the wait before a retry ends it at once; the
// error keeps the last answer and the context's error.
func TestSSORetryWaitCutShortByContext(t *testing.T) {
	for _, call := range []string{"GetRoleCredentials", "CreateToken"} {
		t.Run(call, func(t *testing.T) {
			f := newFakeSSO(t)
			expires := testNow.Add(time.Hour)
			if call == "CreateToken" {
				f.OIDCFailures = failures(1, throttled())
				expires = testNow.Add(-time.Minute)
			} else {
				f.PortalFailures = failures(1, throttled())
			}
			dir := t.TempDir()
			writeCache(t, dir, ssoSessionName, cacheToken(expires))
			p := ssoProvider(f, "session", dir)
			// The real timer, with a wait of about an hour.
			p.Retry = credentials.SSORetryOptions{BaseDelay: time.Hour, Jitter: func() float64 { return 0.99 }}
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := p.Retrieve(ctx)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("Retrieve took %v with a 200ms deadline", took)
			}
			if err == nil {
				t.Fatal("Retrieve succeeded")
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want errors.Is context.DeadlineExceeded", err)
			}
			var ae *credentials.SSOAttemptsError
			if !errors.As(err, &ae) || ae.Attempts != 1 || !errors.Is(ae.Stopped, context.DeadlineExceeded) {
				t.Errorf("err = %v, want an *SSOAttemptsError after 1 attempt, stopped by the deadline", err)
			}
			var se *credentials.SSOServiceError
			if !errors.As(err, &se) || se.StatusCode != 429 {
				t.Errorf("err = %v, want the 429 answer inside", err)
			}
			if want := "(after 1 attempt; stopped waiting to retry: context deadline exceeded)"; !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v\nwant it to contain %s", err, want)
			}
			if n := len(f.PortalRequests()) + len(f.OIDCRequests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

// An injected Sleep that reports the context done stops the retries.
func TestSSORetrySleepCanceled(t *testing.T) {
	f := newFakeSSO(t)
	f.PortalFailures = failures(3, ssotest.Failure{Status: 503})
	dir := t.TempDir()
	writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(time.Hour)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sleeps := 0
	p := ssoProvider(f, "session", dir)
	p.Retry.Sleep = func(ctx context.Context, d time.Duration) error {
		if sleeps++; sleeps == 2 {
			cancel()
			return ctx.Err()
		}
		return nil
	}
	_, err := p.Retrieve(ctx)
	var ae *credentials.SSOAttemptsError
	if !errors.As(err, &ae) || ae.Attempts != 2 || !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want an *SSOAttemptsError after 2 attempts, canceled", err)
	}
	if n := len(f.PortalRequests()); n != 2 {
		t.Errorf("%d portal requests, want 2", n)
	}
}

// Retry options it cannot use are an error before anything is sent, of
// GetRoleCredentials and of the token's refresh alike.
func TestSSORetryBadOptions(t *testing.T) {
	tests := []struct {
		name  string
		retry credentials.SSORetryOptions
		want  string
	}{
		{"negative MaxAttempts", credentials.SSORetryOptions{MaxAttempts: -1}, "Retry.MaxAttempts is -1; want at least 1, or 0 for 5"},
		{"negative MaxAttempts, standard", credentials.SSORetryOptions{Mode: credentials.SSORetryStandard, MaxAttempts: -1}, "Retry.MaxAttempts is -1; want at least 1, or 0 for 3"},
		{"unknown Mode", credentials.SSORetryOptions{Mode: 3}, "Retry.Mode is SSORetryMode(3); want SSORetryLegacy, SSORetryStandard or SSORetryAdaptive"},
		{"negative Mode", credentials.SSORetryOptions{Mode: -1}, "Retry.Mode is SSORetryMode(-1); want"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSSO(t)
			dir := t.TempDir()
			writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(time.Hour)))
			p := ssoProvider(f, "session", dir)
			p.Retry = tt.retry
			if _, err := p.Retrieve(context.Background()); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Retrieve: err = %v, want one with %q", err, tt.want)
			}
			if _, err := p.TokenProvider().Token(context.Background()); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Token: err = %v, want one with %q", err, tt.want)
			}
			if n := len(f.PortalRequests()) + len(f.OIDCRequests()); n != 0 {
				t.Errorf("%d requests, want none", n)
			}
		})
	}
}

// TestSSORetryModeString: the modes are named as retry_mode names them.
func TestSSORetryModeString(t *testing.T) {
	var got []string
	for _, m := range []credentials.SSORetryMode{credentials.SSORetryLegacy, credentials.SSORetryStandard, credentials.SSORetryAdaptive, 7} {
		got = append(got, m.String())
	}
	if diff := cmp.Diff([]string{"legacy", "standard", "adaptive", "SSORetryMode(7)"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A redirect is refused once and never retried.
func TestSSORedirectNotRetried(t *testing.T) {
	f := newFakeSSO(t)
	f.Portal = func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:1/elsewhere", http.StatusTemporaryRedirect)
	}
	dir := t.TempDir()
	writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(time.Hour)))
	_, err := ssoProvider(f, "session", dir).Retrieve(context.Background())
	var re *credentials.RedirectError
	if !errors.As(err, &re) {
		t.Errorf("err = %v, want a *RedirectError", err)
	}
	if n := len(f.PortalRequests()); n != 1 {
		t.Errorf("%d portal requests, want 1", n)
	}
}

// An attempt that the HTTP client's Timeout ends is retried, as botocore
// retries its read and connect time-outs; the caller's context is not
// done.
func TestSSOClientTimeoutRetried(t *testing.T) {
	f := newFakeSSO(t)
	dir := t.TempDir()
	writeCache(t, dir, ssoSessionName, cacheToken(testNow.Add(time.Hour)))
	var mu sync.Mutex
	sent := 0
	p := ssoProvider(f, "session", dir)
	p.Client = &http.Client{Timeout: 100 * time.Millisecond, Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		sent++
		first := sent == 1
		mu.Unlock()
		if first { // no answer: the client's Timeout ends it
			<-r.Context().Done()
			return nil, r.Context().Err()
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantSSOCreds(), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if sent != 2 || len(f.PortalRequests()) != 1 {
		t.Errorf("%d requests sent, %d reached the portal; want 2 and 1", sent, len(f.PortalRequests()))
	}
}
