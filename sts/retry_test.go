package sts

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sts/ststest"
)

// sleeps records the waits of a client instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) get() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// fakeClient returns a client of srv signing with key, that records its
// waits in sl (if not nil) and never really waits.
func fakeClient(t *testing.T, srv *ststest.Server, key ststest.Key, sl *sleeps, opts Options) *Client {
	t.Helper()
	opts.EndpointURL = srv.URL
	if opts.Credentials == nil {
		opts.Credentials = key.Provider()
	}
	if opts.Retry.Jitter == nil {
		opts.Retry.Jitter = func() float64 { return 0.5 }
	}
	if sl != nil {
		opts.Retry.Sleep = sl.sleep
	} else if opts.Retry.Sleep == nil {
		opts.Retry.Sleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func TestRetries(t *testing.T) {
	const sec = time.Second
	tests := []struct {
		name     string
		faults   []ststest.Fault
		mode     RetryMode
		attempts int    // MaxAttempts; 0 for the default
		want     int    // requests made
		ok       bool   // whether the call succeeds in the end
		code     string // the APIError code, on failure
		status   int    // the HTTP status, on failure
		waits    []time.Duration
		reached  bool // OperationError.MaxAttemptsReached, on failure
	}{
		{name: "throttled twice", faults: []ststest.Fault{ststest.Throttling(), ststest.Throttling()}, want: 3, ok: true, waits: []time.Duration{sec / 2, sec}},
		{name: "throttled three times", faults: []ststest.Fault{ststest.Throttling(), ststest.Throttling(), ststest.Throttling()}, want: 3,
			code: "Throttling", status: 400, waits: []time.Duration{sec / 2, sec}, reached: true},
		{name: "throttled, five attempts", faults: []ststest.Fault{ststest.Throttling(), ststest.Throttling(), ststest.Throttling(), ststest.Throttling()},
			attempts: 5, want: 5, ok: true, waits: []time.Duration{sec / 2, sec, 2 * sec, 4 * sec}},
		{name: "one attempt", faults: []ststest.Fault{ststest.Throttling()}, attempts: 1, want: 1, code: "Throttling", status: 400, reached: true},
		{name: "internal failure", faults: []ststest.Fault{ststest.InternalFailure()}, want: 2, ok: true, waits: []time.Duration{sec / 2}},
		{name: "html 503", faults: []ststest.Fault{ststest.ServiceUnavailableHTML(), ststest.ServiceUnavailableHTML()}, want: 3, ok: true, waits: []time.Duration{sec / 2, sec}},
		{name: "502 html", faults: []ststest.Fault{ststest.Raw(502, "text/html", "<html>bad gateway</html>")}, want: 2, ok: true, waits: []time.Duration{sec / 2}},
		{name: "504 empty", faults: []ststest.Fault{ststest.Raw(504, "", "")}, want: 2, ok: true, waits: []time.Duration{sec / 2}},
		{name: "other throttling codes", faults: []ststest.Fault{ststest.Error(400, "RequestLimitExceeded", ""), ststest.Error(429, "TooManyRequestsException", "")},
			want: 3, ok: true, waits: []time.Duration{sec / 2, sec}},
		{name: "transient codes", faults: []ststest.Fault{ststest.Error(400, "RequestTimeout", ""), ststest.Error(400, "IDPCommunicationError", "")},
			want: 3, ok: true, waits: []time.Duration{sec / 2, sec}},
		{name: "access denied", faults: []ststest.Fault{ststest.Error(403, "AccessDenied", "no")}, want: 1, code: "AccessDenied", status: 403},
		{name: "validation error", faults: []ststest.Fault{ststest.Error(400, "ValidationError", "no")}, want: 1, code: "ValidationError", status: 400},
		{name: "expired token", faults: []ststest.Fault{ststest.Error(400, "ExpiredToken", "expired")}, want: 1, code: "ExpiredToken", status: 400},
		{name: "invalid client token", faults: []ststest.Fault{ststest.Error(403, "InvalidClientTokenId", "no")}, want: 1, code: "InvalidClientTokenId", status: 403},
		{name: "501 not retried", faults: []ststest.Fault{ststest.Error(501, "NotImplemented", "no")}, want: 1, code: "NotImplemented", status: 501},
		{name: "429 without a throttling code", faults: []ststest.Fault{ststest.Raw(429, "text/plain", "slow down")}, want: 1, status: 429},
		{name: "adaptive: as standard", mode: RetryAdaptive, faults: []ststest.Fault{ststest.Throttling(), ststest.Throttling(), ststest.Throttling()}, want: 3,
			code: "Throttling", status: 400, waits: []time.Duration{sec / 2, sec}, reached: true},

		// Legacy mode: 5 attempts, its own codes and statuses, waits
		// without a cap.
		{name: "legacy: throttled to the end", mode: RetryLegacy, faults: repeat(5, ststest.Throttling()), want: 5,
			code: "Throttling", status: 400, waits: []time.Duration{sec / 2, sec, 2 * sec, 4 * sec}, reached: true},
		{name: "legacy: max_attempts 7, waits uncapped", mode: RetryLegacy, attempts: 7, faults: repeat(7, ststest.InternalFailure()), want: 7,
			code: "InternalFailure", status: 500, waits: []time.Duration{sec / 2, sec, 2 * sec, 4 * sec, 8 * sec, 16 * sec}, reached: true},
		{name: "legacy: 429 whatever the code", mode: RetryLegacy, faults: []ststest.Fault{ststest.Error(429, "Foo", ""), ststest.Raw(429, "text/plain", "slow down")},
			want: 3, ok: true, waits: []time.Duration{sec / 2, sec}},
		{name: "legacy: 509", mode: RetryLegacy, faults: []ststest.Fault{ststest.Raw(509, "text/plain", "bandwidth")}, want: 2, ok: true, waits: []time.Duration{sec / 2}},
		{name: "legacy: 400 IDPCommunicationError, ProvisionedThroughputExceededException", mode: RetryLegacy,
			faults: []ststest.Fault{ststest.Error(400, "IDPCommunicationError", ""), ststest.Error(400, "ProvisionedThroughputExceededException", "")},
			want:   3, ok: true, waits: []time.Duration{sec / 2, sec}},
		{name: "legacy: Throttling with 403 not retried", mode: RetryLegacy, faults: []ststest.Fault{ststest.Error(403, "Throttling", "")}, want: 1, code: "Throttling", status: 403},
		{name: "legacy: TooManyRequestsException with 400 not retried", mode: RetryLegacy, faults: []ststest.Fault{ststest.Error(400, "TooManyRequestsException", "")},
			want: 1, code: "TooManyRequestsException", status: 400},
		{name: "legacy: RequestTimeout not retried", mode: RetryLegacy, faults: []ststest.Fault{ststest.Error(400, "RequestTimeout", "")}, want: 1, code: "RequestTimeout", status: 400},
		{name: "legacy: RequestLimitExceeded not retried", mode: RetryLegacy, faults: []ststest.Fault{ststest.Error(400, "RequestLimitExceeded", "")},
			want: 1, code: "RequestLimitExceeded", status: 400},
		{name: "legacy: 501 not retried", mode: RetryLegacy, faults: []ststest.Fault{ststest.Error(501, "NotImplemented", "no")}, want: 1, code: "NotImplemented", status: 501},
		// The attempt limit is reached as botocore says it: in standard
		// mode whenever the last allowed attempt fails, in legacy mode
		// only when it would otherwise retry (TestRetriesReachedAgainstTheCLI
		// in the root package).
		{name: "standard: 503 then 403 at the limit", attempts: 2, faults: []ststest.Fault{ststest.Error(503, "ServiceUnavailable", ""), ststest.Error(403, "AccessDenied", "no")},
			want: 2, code: "AccessDenied", status: 403, waits: []time.Duration{sec / 2}, reached: true},
		{name: "standard: 503 then 403 under the limit", faults: []ststest.Fault{ststest.Error(503, "ServiceUnavailable", ""), ststest.Error(403, "AccessDenied", "no")},
			want: 2, code: "AccessDenied", status: 403, waits: []time.Duration{sec / 2}},
		{name: "standard: one attempt, access denied", attempts: 1, faults: []ststest.Fault{ststest.Error(403, "AccessDenied", "no")}, want: 1, code: "AccessDenied", status: 403, reached: true},
		{name: "legacy: 503 then 403 at the limit", mode: RetryLegacy, attempts: 2, faults: []ststest.Fault{ststest.Error(503, "ServiceUnavailable", ""), ststest.Error(403, "AccessDenied", "no")},
			want: 2, code: "AccessDenied", status: 403, waits: []time.Duration{sec / 2}},
		{name: "legacy: one attempt, access denied", mode: RetryLegacy, attempts: 1, faults: []ststest.Fault{ststest.Error(403, "AccessDenied", "no")}, want: 1, code: "AccessDenied", status: 403},
		{name: "legacy: one attempt", mode: RetryLegacy, attempts: 1, faults: []ststest.Fault{ststest.Throttling()}, want: 1, code: "Throttling", status: 400, reached: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ststest.NewServer()
			defer srv.Close()
			key := srv.AddUser("123456789012", "/", "alice")
			for _, f := range tt.faults {
				srv.FailNext(1, f)
			}
			var sl sleeps
			c := fakeClient(t, srv, key, &sl, Options{Retry: RetryOptions{Mode: tt.mode, MaxAttempts: tt.attempts}})
			id, err := c.GetCallerIdentity(context.Background())
			if got := len(srv.Requests()); got != tt.want {
				t.Errorf("server got %d requests, want %d", got, tt.want)
			}
			if w := sl.get(); !equalDurations(w, tt.waits) {
				t.Errorf("waits %v, want %v", w, tt.waits)
			}
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				if id.Attempts != tt.want || id.ARN != key.Identity.ARN {
					t.Errorf("Attempts = %d, ARN = %s; want %d, %s", id.Attempts, id.ARN, tt.want, key.Identity.ARN)
				}
				return
			}
			var opErr *OperationError
			if !errors.As(err, &opErr) || opErr.Attempts != tt.want || opErr.MaxAttemptsReached != tt.reached {
				t.Fatalf("err = %v (MaxAttemptsReached %v), want an *OperationError with %d attempts, MaxAttemptsReached %v", err, opErr != nil && opErr.MaxAttemptsReached, tt.want, tt.reached)
			}
			if tt.code != "" {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.Code != tt.code || apiErr.StatusCode != tt.status {
					t.Errorf("err = %v, want APIError %s %d", err, tt.code, tt.status)
				}
			} else {
				var respErr *ResponseError
				if !errors.As(err, &respErr) || respErr.StatusCode != tt.status {
					t.Errorf("err = %v, want ResponseError %d", err, tt.status)
				}
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestBackoff(t *testing.T) {
	const sec = time.Second
	tests := []struct {
		o      RetryOptions
		jitter float64
		want   []time.Duration // for retries 1, 2, ...
	}{
		{RetryOptions{}, 0.999999, []time.Duration{sec, 2 * sec, 4 * sec, 8 * sec, 16 * sec, 20 * sec, 20 * sec}},
		{RetryOptions{}, 0.5, []time.Duration{sec / 2, sec, 2 * sec, 4 * sec, 8 * sec, 10 * sec}},
		{RetryOptions{}, 0, []time.Duration{0, 0, 0}},
		{RetryOptions{BaseDelay: 100 * time.Millisecond, MaxBackoff: time.Second}, 0.5, []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 500 * time.Millisecond}},
		{RetryOptions{}, 1.5, []time.Duration{0}}, // a jitter out of range counts as 0
	}
	for _, tt := range tests {
		j := tt.jitter
		tt.o.Jitter = func() float64 { return j }
		for i, want := range tt.want {
			got := tt.o.backoff(i + 1)
			// 0.999999 × 2^n seconds is a hair below 2^n seconds.
			if d := got - want; d > 0 || d < -50*time.Microsecond {
				t.Errorf("%+v jitter %v: backoff(%d) = %v, want %v", tt.o, j, i+1, got, want)
			}
		}
	}
	// The default jitter stays below the ceiling.
	var o RetryOptions
	for i := 0; i < 100; i++ {
		if d := o.backoff(2); d < 0 || d >= 2*time.Second {
			t.Fatalf("backoff(2) = %v, want within [0, 2s)", d)
		}
	}
}

func TestRetrySignsAfresh(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddAssumedRole("123456789012", "deploy", "ci")
	srv.FailNext(2, ststest.Throttling())
	var retrieved atomic.Int32
	provider := credentials.ProviderFunc(func(ctx context.Context) (credentials.Credentials, error) {
		retrieved.Add(1)
		return key.Credentials, nil
	})
	var tick atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(tick.Add(1)) * time.Second) }
	c := fakeClient(t, srv, key, nil, Options{Credentials: provider, Now: now})
	if _, err := c.GetCallerIdentity(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := retrieved.Load(); n != 3 {
		t.Errorf("credentials retrieved %d times, want 3", n)
	}
	seen := map[string]bool{}
	for _, r := range srv.Requests() {
		d := r.Header.Get("X-Amz-Date")
		if seen[d] {
			t.Errorf("X-Amz-Date %s used twice", d)
		}
		seen[d] = true
	}
}

func TestRetryWaitsRespectContext(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	srv.FailNext(3, ststest.Throttling())
	// The real timer, with a wait far longer than the context allows.
	c := fakeClient(t, srv, key, nil, Options{Retry: RetryOptions{
		Jitter: func() float64 { return 0.9 }, BaseDelay: time.Hour,
		Sleep: nil,
	}})
	c.retry.Sleep = nil
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetCallerIdentity(ctx)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v", took)
	}
	var apiErr *APIError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &apiErr) || apiErr.Code != "Throttling" {
		t.Fatalf("err = %v, want context.DeadlineExceeded and the Throttling error", err)
	}
	if !strings.Contains(err.Error(), "while waiting to retry") {
		t.Errorf("err = %v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestRetryConnectionErrors(t *testing.T) {
	// A port nothing listens on: connection refused, retried.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var sl sleeps
	c, err := New(Options{EndpointURL: "http://" + addr, Credentials: credentials.NewStaticProvider("AKID", "secret", ""),
		Retry: RetryOptions{Jitter: noJitter, Sleep: sl.sleep}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetCallerIdentity(context.Background())
	var opErr *OperationError
	if !errors.As(err, &opErr) || opErr.Attempts != 3 || len(sl.get()) != 2 {
		t.Errorf("connection refused: err = %v, waits %v; want 3 attempts", err, sl.get())
	}

	// A server that closes the connection without answering: retried.
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(`<GetCallerIdentityResponse><GetCallerIdentityResult><UserId>AIDA</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/a</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>`))
	}))
	defer srv.Close()
	c2 := newTestClient(t, srv.URL, "")
	id, err := c2.GetCallerIdentity(context.Background())
	if err != nil || id.Attempts != 3 {
		t.Errorf("closed connections: %+v, %v; want success after 3 attempts", id, err)
	}

	// A TLS certificate that does not verify: not retried.
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	c3 := newTestClient(t, tlsSrv.URL, "")
	c3.http = &http.Client{Transport: &http.Transport{}} // does not trust the test CA
	_, err = c3.GetCallerIdentity(context.Background())
	if !errors.As(err, &opErr) || opErr.Attempts != 1 {
		t.Errorf("bad certificate: err = %v, want no retry", err)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err  error
		want retryKind
	}{
		{&APIError{StatusCode: 400, Code: "Throttling"}, retryThrottled},
		{&APIError{StatusCode: 400, Code: "SlowDown"}, retryThrottled},
		{&APIError{StatusCode: 400, Code: "EC2ThrottledException"}, retryThrottled},
		{&APIError{StatusCode: 400, Code: "PriorRequestNotComplete"}, retryThrottled},
		{&APIError{StatusCode: 400, Code: "RequestTimeoutException"}, retryTransient},
		{&APIError{StatusCode: 503, Code: "ServiceUnavailable"}, retryTransient},
		{&APIError{StatusCode: 500, Code: "InternalFailure"}, retryTransient},
		{&APIError{StatusCode: 400, Code: "MalformedPolicyDocument"}, noRetry},
		{&APIError{StatusCode: 403, Code: "SignatureDoesNotMatch"}, noRetry},
		{&ResponseError{StatusCode: 502}, retryTransient},
		{&ResponseError{StatusCode: 200, Reason: "malformed"}, noRetry},
		{&ResponseError{StatusCode: 200, Reason: reasonReadingBody, Err: errors.New("unexpected EOF")}, noRetry},
		{&ResponseError{StatusCode: 200, Reason: reasonReadingBody, Err: &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}}, retryTransient},
		{context.Canceled, noRetry},
		{&net.DNSError{Err: "no such host", Name: "sts.example", IsNotFound: true}, noRetry},
		{&net.DNSError{Err: "server misbehaving", Name: "sts.example", IsTemporary: true}, retryTransient},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, retryTransient},
		{timeoutErr{}, retryTimeout},
		{errors.New("something else"), noRetry},
	}
	for _, tt := range tests {
		if got := RetryStandard.classify(tt.err); got != tt.want {
			t.Errorf("classify(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
	if r, th := RetryableError(&OperationError{Err: &APIError{Code: "Throttling"}}); !r || !th {
		t.Error("RetryableError(Throttling) = false")
	}
}

// repeat returns n times f.
func repeat(n int, f ststest.Fault) []ststest.Fault {
	fs := make([]ststest.Fault, n)
	for i := range fs {
		fs[i] = f
	}
	return fs
}

// TestClassifyLegacy: legacy mode's rules for STS, from botocore's
// _retry.json, against standard mode's for the same errors.
func TestClassifyLegacy(t *testing.T) {
	reset := &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}
	tests := []struct {
		err              error
		legacy, standard retryKind
	}{
		{&APIError{StatusCode: 400, Code: "Throttling"}, retryThrottled, retryThrottled},
		{&APIError{StatusCode: 400, Code: "ThrottlingException"}, retryThrottled, retryThrottled},
		{&APIError{StatusCode: 400, Code: "ThrottledException"}, retryThrottled, retryThrottled},
		{&APIError{StatusCode: 400, Code: "RequestThrottledException"}, retryThrottled, retryThrottled},
		{&APIError{StatusCode: 400, Code: "ProvisionedThroughputExceededException"}, retryThrottled, retryThrottled},
		{&APIError{StatusCode: 403, Code: "Throttling"}, noRetry, retryThrottled},
		{&APIError{StatusCode: 400, Code: "TooManyRequestsException"}, noRetry, retryThrottled},
		{&APIError{StatusCode: 400, Code: "RequestLimitExceeded"}, noRetry, retryThrottled},
		{&APIError{StatusCode: 400, Code: "SlowDown"}, noRetry, retryThrottled},
		{&APIError{StatusCode: 429, Code: "Foo"}, retryThrottled, noRetry},
		{&APIError{StatusCode: 400, Code: "IDPCommunicationError"}, retryTransient, retryTransient},
		{&APIError{StatusCode: 403, Code: "IDPCommunicationError"}, noRetry, retryTransient},
		{&APIError{StatusCode: 400, Code: "RequestTimeout"}, noRetry, retryTransient},
		{&APIError{StatusCode: 400, Code: "PriorRequestNotComplete"}, noRetry, retryThrottled},
		{&APIError{StatusCode: 500, Code: "InternalFailure"}, retryTransient, retryTransient},
		{&APIError{StatusCode: 509, Code: "BandwidthLimitExceeded"}, retryTransient, retryThrottled},
		{&APIError{StatusCode: 509, Code: "Foo"}, retryTransient, noRetry},
		{&APIError{StatusCode: 501, Code: "NotImplemented"}, noRetry, noRetry},
		{&APIError{StatusCode: 403, Code: "AccessDenied"}, noRetry, noRetry},
		{&ResponseError{StatusCode: 429}, retryThrottled, noRetry},
		{&ResponseError{StatusCode: 503}, retryTransient, retryTransient},
		{&ResponseError{StatusCode: 509}, retryTransient, noRetry},
		{&ResponseError{StatusCode: 200, Reason: "malformed"}, noRetry, noRetry},
		{&ResponseError{StatusCode: 200, Reason: reasonReadingBody, Err: reset}, retryTransient, retryTransient},
		{reset, retryTransient, retryTransient},
		{timeoutErr{}, retryTimeout, retryTimeout},
		{context.Canceled, noRetry, noRetry},
	}
	for _, tt := range tests {
		if got := RetryLegacy.classify(tt.err); got != tt.legacy {
			t.Errorf("RetryLegacy.classify(%v) = %d, want %d", tt.err, got, tt.legacy)
		}
		for _, m := range []RetryMode{RetryStandard, RetryAdaptive} {
			if got := m.classify(tt.err); got != tt.standard {
				t.Errorf("%v.classify(%v) = %d, want %d", m, tt.err, got, tt.standard)
			}
		}
	}
	if r, th := RetryLegacy.Retryable(&OperationError{Err: &APIError{StatusCode: 429, Code: "Foo"}}); !r || !th {
		t.Error("RetryLegacy.Retryable(429) = false")
	}
}

// TestRetryModeDefaults: each mode's default number of attempts and
// ceiling of the waits; a mode New does not know is an error.
func TestRetryModeDefaults(t *testing.T) {
	for _, tt := range []struct {
		mode     RetryMode
		name     string
		attempts int
		wait10   time.Duration // the ceiling of the wait before retry 10
	}{
		{RetryStandard, "standard", 3, 20 * time.Second},
		{RetryLegacy, "legacy", 5, 512 * time.Second},
		{RetryAdaptive, "adaptive", 3, 20 * time.Second},
	} {
		c, err := New(Options{Retry: RetryOptions{Mode: tt.mode}})
		if err != nil {
			t.Fatal(err)
		}
		if c.MaxAttempts() != tt.attempts || c.RetryMode() != tt.mode || tt.mode.String() != tt.name {
			t.Errorf("%v: MaxAttempts %d, RetryMode %v; want %d, %v", tt.mode, c.MaxAttempts(), c.RetryMode(), tt.attempts, tt.name)
		}
		if m, ok := ParseRetryMode(tt.name); !ok || m != tt.mode {
			t.Errorf("ParseRetryMode(%q) = %v, %v", tt.name, m, ok)
		}
		o := RetryOptions{Mode: tt.mode, Jitter: func() float64 { return 0.999999999 }}
		if got := o.backoff(10); got < tt.wait10*999/1000 || got > tt.wait10 {
			t.Errorf("%v: wait before retry 10 = %v, want nearly %v", tt.mode, got, tt.wait10)
		}
	}
	for _, s := range []string{"", "Standard", " legacy", "fast"} {
		if m, ok := ParseRetryMode(s); ok {
			t.Errorf("ParseRetryMode(%q) = %v, true", s, m)
		}
	}
	// Legacy waits have no cap but do not overflow.
	o := RetryOptions{Mode: RetryLegacy, Jitter: func() float64 { return 0.5 }}
	if got := o.backoff(200); got <= 0 {
		t.Errorf("legacy wait before retry 200 = %v, want a positive duration", got)
	}
	if _, err := New(Options{Retry: RetryOptions{Mode: RetryMode(7)}}); err == nil || !strings.Contains(err.Error(), "Retry.Mode is RetryMode(7)") {
		t.Errorf("New with RetryMode(7): err = %v", err)
	}
	if _, err := New(Options{Retry: RetryOptions{Mode: RetryLegacy, MaxAttempts: -1}}); err == nil || !strings.Contains(err.Error(), "or 0 for 5") {
		t.Errorf("New with legacy and MaxAttempts -1: err = %v", err)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestRetryQuota(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	c := fakeClient(t, srv, key, nil, Options{Retry: RetryOptions{MaxAttempts: 2}})
	c.quota.available = 12 // room for two retries
	srv.FailNext(5, ststest.Throttling())
	for i, want := range []int{2, 2, 1} {
		_, err := c.GetCallerIdentity(context.Background())
		var opErr *OperationError
		if !errors.As(err, &opErr) || opErr.Attempts != want {
			t.Fatalf("call %d: err = %v, want %d attempts", i, err, want)
		}
		if want == 1 && !strings.Contains(err.Error(), "not retried") {
			t.Errorf("call %d: err = %v, want it to say it was not retried", i, err)
		}
	}
	// A success without a retry gives one unit back; one after a retry,
	// the retry's cost.
	if _, err := c.GetCallerIdentity(context.Background()); err != nil || c.quota.Available() != 2+noRetryIncrement {
		t.Errorf("err = %v, quota = %d; want success and %d", err, c.quota.Available(), 2+noRetryIncrement)
	}
	c.quota.available = 10
	srv.FailNext(1, ststest.Throttling())
	if id, err := c.GetCallerIdentity(context.Background()); err != nil || id.Attempts != 2 || c.quota.Available() != 10 {
		t.Errorf("err = %v, quota = %d; want success after a retry and 10", err, c.quota.Available())
	}
}

func TestClockSkew(t *testing.T) {
	for _, tt := range []struct {
		skew, window time.Duration
	}{{10 * time.Minute, 5 * time.Minute}, {-10 * time.Minute, 5 * time.Minute}, {20 * time.Minute, 0}, {-3 * time.Hour, 0}} {
		skew := tt.skew
		t.Run(skew.String(), func(t *testing.T) {
			srv := ststest.NewServer(ststest.WithMaxSkew(tt.window))
			defer srv.Close()
			key := srv.AddUser("123456789012", "/", "alice")
			srv.SetClockSkew(skew)
			var sl sleeps
			c := fakeClient(t, srv, key, &sl, Options{Retry: RetryOptions{MaxAttempts: 1}})
			id, err := c.GetCallerIdentity(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if id.Attempts != 2 || len(sl.get()) != 0 {
				t.Errorf("Attempts = %d, waits %v; want 2 and none", id.Attempts, sl.get())
			}
			if off := c.ClockOffset(); off < skew-5*time.Second || off > skew+5*time.Second {
				t.Errorf("ClockOffset() = %v, want about %v", off, skew)
			}
			reqs := srv.Requests()
			if len(reqs) != 2 || reqs[0].Code != "SignatureDoesNotMatch" || reqs[1].Status != 200 {
				t.Errorf("requests %+v", reqs)
			}
			// The next call needs no correction.
			id, err = c.GetCallerIdentity(context.Background())
			if err != nil || id.Attempts != 1 {
				t.Errorf("second call: %+v, %v; want one attempt", id, err)
			}
		})
	}
}

func TestClockSkewNotCorrected(t *testing.T) {
	// A real signature mismatch, with the server's clock right: no retry.
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	bad := key
	bad.Credentials = credentials.New(key.AccessKeyID, "wrong", "")
	c := fakeClient(t, srv, bad, nil, Options{})
	_, err := c.GetCallerIdentity(context.Background())
	var opErr *OperationError
	if !errors.As(err, &opErr) || opErr.Attempts != 1 || c.ClockOffset() != 0 {
		t.Errorf("err = %v, offset %v; want one attempt and no offset", err, c.ClockOffset())
	}

	// Skew is corrected once per call: a server whose clock keeps running
	// away is not chased.
	srv.SetClockSkew(time.Hour)
	var n atomic.Int64
	good := fakeClient(t, srv, key, nil, Options{Now: func() time.Time { return time.Now().Add(-time.Duration(n.Add(1)) * time.Hour) }})
	_, err = good.GetCallerIdentity(context.Background())
	if !errors.As(err, &opErr) || opErr.Attempts != 2 {
		t.Errorf("err = %v, want 2 attempts", err)
	}
}

func TestSkewUnitCorrection(t *testing.T) {
	base := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	c := &Client{now: func() time.Time { return base }, skew: new(atomic.Int64)}
	skewErr := &APIError{StatusCode: 403, Code: "SignatureDoesNotMatch"}
	tests := []struct {
		name     string
		err      error
		date     time.Time
		signedAt time.Duration // after base
		want     bool
		offset   time.Duration
	}{
		{"3 minutes is fine", skewErr, base.Add(3 * time.Minute), 0, false, 0},
		{"no date", skewErr, time.Time{}, 0, false, 0},
		{"other code", &APIError{StatusCode: 403, Code: "AccessDenied"}, base.Add(time.Hour), 0, false, 0},
		{"RequestTimeTooSkewed", &APIError{StatusCode: 403, Code: "RequestTimeTooSkewed"}, base.Add(5 * time.Minute), 0, true, 5 * time.Minute},
		{"signed with the corrected clock", skewErr, base.Add(5*time.Minute + time.Second), 5 * time.Minute, false, 5 * time.Minute},
		// Signed before another call corrected the clock, refused after:
		// corrected (again) and retried, not failed.
		{"signed before the correction", skewErr, base.Add(5*time.Minute + time.Second), 0, true, 5*time.Minute + time.Second},
		{"behind", &APIError{StatusCode: 400, Code: "RequestExpired"}, base.Add(-time.Hour), 5 * time.Minute, true, -time.Hour},
		{"InvalidSignatureException", &APIError{StatusCode: 400, Code: "InvalidSignatureException"}, base.Add(10 * time.Minute), -time.Hour, true, 10 * time.Minute},
	}
	for _, tt := range tests {
		if got := c.correctSkew(tt.err, tt.date, base.Add(tt.signedAt)); got != tt.want || c.ClockOffset() != tt.offset {
			t.Errorf("%s: correctSkew = %v, offset %v; want %v, %v", tt.name, got, c.ClockOffset(), tt.want, tt.offset)
		}
	}
	if c.correctSkew(skewErr, base.Add(time.Hour), time.Time{}) {
		t.Error("an unsigned request corrected the clock")
	}
	if got := c.signingTime(); !got.Equal(base.Add(10 * time.Minute)) {
		t.Errorf("signingTime() = %v", got)
	}
}

// With the server's clock 30 minutes ahead, many concurrent calls on one
// client all succeed: those signed with the old offset before the first
// refusal came back are each corrected and retried once.
func TestClockSkewUnderLoad(t *testing.T) {
	const calls, inFlight = 1000, 64
	srv := ststest.NewServer(ststest.WithClock(func() time.Time { return time.Now().Add(30 * time.Minute) }))
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	tr := &http.Transport{MaxIdleConnsPerHost: inFlight, MaxConnsPerHost: inFlight}
	defer tr.CloseIdleConnections()
	c, err := New(Options{EndpointURL: srv.URL, Credentials: key.Provider(), HTTPClient: &http.Client{Transport: tr, Timeout: time.Minute},
		Retry: RetryOptions{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	start := make(chan struct{})
	sem := make(chan struct{}, inFlight)
	var wg sync.WaitGroup
	var failed, retried atomic.Int64
	var firstErr atomic.Value
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			sem <- struct{}{}
			defer func() { <-sem }()
			id, err := c.GetCallerIdentity(context.Background())
			if err != nil {
				failed.Add(1)
				firstErr.CompareAndSwap(nil, err.Error())
				return
			}
			if id.Attempts > 2 {
				t.Errorf("a call made %d attempts; want at most 2", id.Attempts)
			}
			if id.Attempts == 2 {
				retried.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := failed.Load(); n != 0 {
		t.Errorf("%d of %d calls failed, the first with: %v", n, calls, firstErr.Load())
	}
	if retried.Load() == 0 || retried.Load() > inFlight*2 {
		t.Errorf("%d calls were retried; want at least 1, and no more than those in flight before the correction", retried.Load())
	}
	if off := c.ClockOffset(); off < 29*time.Minute || off > 31*time.Minute {
		t.Errorf("ClockOffset() = %v, want about 30m", off)
	}
}

func TestHangingServer(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := ststest.NewServer()
	key := srv.AddUser("123456789012", "/", "alice")
	srv.FailNext(1, ststest.Hang())
	c := fakeClient(t, srv, key, nil, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	start := time.Now()
	_, err := c.GetCallerIdentity(ctx)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v to give up", took)
	}
	var opErr *OperationError
	if !errors.As(err, &opErr) || opErr.Attempts != 1 {
		t.Errorf("err = %v, want one attempt", err)
	}
	c.CloseIdleConnections()
	srv.Close()
	// Nothing is left running: the goroutine count settles back.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

func TestOversizedAnswer(t *testing.T) {
	// With a Content-Length: refused without reading.
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	srv.FailNext(1, ststest.Oversized(5<<20))
	c := fakeClient(t, srv, key, nil, Options{})
	_, err := c.GetCallerIdentity(context.Background())
	var respErr *ResponseError
	if !errors.As(err, &respErr) || !strings.Contains(err.Error(), "larger than 1 MiB (Content-Length 5242880)") {
		t.Fatalf("err = %v, want a ResponseError about the size", err)
	}
	var opErr *OperationError
	if !errors.As(err, &opErr) || opErr.Attempts != 1 {
		t.Errorf("err = %v, want no retry", err)
	}
	// The client still works.
	if _, err := c.GetCallerIdentity(context.Background()); err != nil {
		t.Errorf("next call: %v", err)
	}

	// Without one (chunked): read up to the limit and no further.
	chunked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte("<GetCallerIdentityResponse>"))
		chunk := []byte(strings.Repeat(" ", 64<<10))
		for i := 0; i < 80; i++ { // 5 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer chunked.Close()
	c2 := newTestClient(t, chunked.URL, "")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = c2.GetCallerIdentity(context.Background())
	runtime.ReadMemStats(&after)
	if !errors.As(err, &respErr) || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Fatalf("err = %v, want a ResponseError about the size", err)
	}
	// The whole process, server included, allocated less than the body.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 5<<20 {
		t.Errorf("allocated %d bytes for the call", alloc)
	}
	c2.CloseIdleConnections()
}

func TestConnectionsReused(t *testing.T) {
	var conns atomic.Int32
	srv := ststest.NewUnstartedServer()
	srv.Start()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conns.Add(1)
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	c := fakeClient(t, srv, key, nil, Options{HTTPClient: &http.Client{Transport: tr}})
	srv.FailNext(1, ststest.Throttling())
	srv.FailNext(1, ststest.Error(403, "AccessDenied", "no"))
	for i := 0; i < 4; i++ {
		c.GetCallerIdentity(context.Background())
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 5 requests, want 1", n)
	}
	c.CloseIdleConnections()
	c.GetCallerIdentity(context.Background())
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections after CloseIdleConnections, want 2", n)
	}
}

// Legacy mode has no retry quota: a client whose quota is spent still
// retries, where a standard one does not.
func TestLegacyModeHasNoQuota(t *testing.T) {
	for _, tt := range []struct {
		mode RetryMode
		want int
	}{{RetryLegacy, 2}, {RetryStandard, 1}} {
		srv := ststest.NewServer()
		key := srv.AddUser("123456789012", "/", "alice")
		c := fakeClient(t, srv, key, nil, Options{Retry: RetryOptions{Mode: tt.mode}})
		for c.quota.acquire(retryTransient) != 0 {
		}
		srv.FailNext(1, ststest.InternalFailure())
		c.GetCallerIdentity(context.Background())
		if got := len(srv.Requests()); got != tt.want {
			t.Errorf("%v with its quota spent: %d requests, want %d", tt.mode, got, tt.want)
		}
		srv.Close()
	}
}
