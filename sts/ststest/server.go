package ststest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/callerid/callerid/arn"
)

// MaxRequestBytes is the most of a request's body the server reads. A
// larger request is refused with HTTP 413.
const MaxRequestBytes = 1 << 20

// DefaultAccount is the account a Server's keys belong to when the caller
// does not care; any 12-digit account id may be used instead.
const DefaultAccount = "123456789012"

// An Option configures a Server.
type Option func(*config)

type config struct {
	seed    int64
	seeded  bool
	region  string
	now     func() time.Time
	maxSkew time.Duration
}

// WithSeed makes the ids, keys and request ids the server generates depend
// only on seed and the order of calls, so that tests can assert them.
// Without it they are random.
func WithSeed(seed int64) Option {
	return func(c *config) { c.seed, c.seeded = seed, true }
}

// WithRegion makes the server accept only signatures scoped to region, as
// a regional STS endpoint does, and puts the ARNs of the identities it
// makes in the region's partition ("aws-cn" for cn-north-1, ...). Without
// it any region is accepted and ARNs are in the "aws" partition.
func WithRegion(region string) Option {
	return func(c *config) { c.region = region }
}

// WithClock sets the server's clock; nil means time.Now. SetClockSkew
// shifts it.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithMaxSkew sets how far the signing time of a request may be from the
// server's clock; zero means 15 minutes, as STS allows.
func WithMaxSkew(d time.Duration) Option {
	return func(c *config) { c.maxSkew = d }
}

// Server is a fake STS listening on 127.0.0.1.
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:PORT", once it
	// is started. Use it as the client's endpoint.
	URL string

	cfg       config
	partition string
	hs        *httptest.Server
	closed    chan struct{}
	close     sync.Once

	mu        sync.Mutex
	rng       *rand.Rand
	keys      map[string]*Key // by access key id
	roleIDs   map[string]string
	webTokens map[string]bool
	faults    []Fault
	delay     time.Duration
	skew      time.Duration
	requests  []Request
}

// NewServer starts and returns a Server. Close it when done.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.Start()
	return s
}

// NewUnstartedServer returns a Server that is not started yet, to be
// configured and then started with Start.
func NewUnstartedServer(opts ...Option) *Server {
	s := &Server{
		closed:    make(chan struct{}),
		keys:      make(map[string]*Key),
		roleIDs:   make(map[string]string),
		webTokens: make(map[string]bool),
	}
	for _, o := range opts {
		o(&s.cfg)
	}
	if s.cfg.now == nil {
		s.cfg.now = time.Now
	}
	if !s.cfg.seeded {
		s.cfg.seed = time.Now().UnixNano()
	}
	if s.cfg.maxSkew <= 0 {
		s.cfg.maxSkew = 15 * time.Minute
	}
	s.rng = rand.New(rand.NewSource(s.cfg.seed))
	s.partition = "aws"
	if s.cfg.region != "" {
		s.partition = arn.PartitionForRegion(s.cfg.region).ID
	}
	s.hs = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// Start starts a server from NewUnstartedServer.
func (s *Server) Start() {
	s.hs.Start()
	s.URL = s.hs.URL
}

// Close stops the server, ending requests held by Hang, and waits for the
// requests in flight to finish.
func (s *Server) Close() {
	s.close.Do(func() { close(s.closed) })
	s.hs.Close()
}

// Client returns an *http.Client configured for the server.
func (s *Server) Client() *http.Client { return s.hs.Client() }

// Now returns the time on the server's clock, skew included.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

func (s *Server) nowLocked() time.Time { return s.cfg.now().Add(s.skew) }

// SetClockSkew runs the server's clock d ahead of its clock (behind, for a
// negative d). The Date header of the answers and the check of the
// signing time both use the skewed clock.
func (s *Server) SetClockSkew(d time.Duration) {
	s.mu.Lock()
	s.skew = d
	s.mu.Unlock()
}

// SetDelay delays every answer by d (zero: no delay). A client that gives
// up first ends the wait.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

// FailNext answers the next n requests with f instead of handling them.
// Faults queue up: FailNext(2, Throttling()) then FailNext(1, Hang())
// throttles two requests and holds the third.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		s.faults = append(s.faults, f)
	}
}

// Request is a request the server got, and how it answered.
//
// Header and Form hold what the client sent, including its session token
// and any web identity token: the server is for tests, and those are the
// fake secrets it issued.
type Request struct {
	// Method is the request's method: POST, or GET for a presigned URL.
	Method string
	// Path is the request's URL path.
	Path string
	// Header is the request's header.
	Header http.Header
	// Form holds the parameters of the URL query and of a form body.
	Form url.Values
	// Action is the Action parameter, e.g. "GetCallerIdentity".
	Action string
	// AccessKeyID is the access key whose signature the server verified:
	// the credential of the Authorization header, or of the query of a
	// presigned request. It is empty if the request was not signed, or
	// its signature was not checked (a fault answered it first) or did
	// not verify.
	AccessKeyID string
	// Presigned reports that the verified signature is in the URL query
	// rather than in the Authorization header.
	Presigned bool
	// Time is when the server got the request, on its (skewed) clock.
	Time time.Time
	// Status is the HTTP status answered; zero while the request is held.
	Status int
	// Code is the error code answered, empty on success.
	Code string
	// RequestID is the x-amzn-RequestId answered.
	RequestID string
}

// Requests returns the requests the server got so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// answer is what a handler decided to send.
type answer struct {
	status int
	code   string
	doc    any // a response document, or *errorDoc
}

// apiErr returns an error answer.
func apiErr(status int, code, message string) *answer {
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	return &answer{status: status, code: code, doc: &errorDoc{Type: typ, Code: code, Message: message}}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	now := s.nowLocked()
	reqID := s.requestIDLocked()
	s.mu.Unlock()

	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	w.Header().Set("x-amzn-RequestId", reqID)
	wantJSON := strings.Contains(r.Header.Get("Accept"), "application/json")

	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	form := r.URL.Query()
	if readErr == nil && r.Method == http.MethodPost {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
			if bf, err := url.ParseQuery(string(body)); err == nil {
				for k, v := range bf {
					form[k] = append(form[k], v...)
				}
			}
		}
	}
	rec := Request{
		Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Form: form,
		Action: form.Get("Action"), Time: now, RequestID: reqID,
	}
	s.mu.Lock()
	idx := len(s.requests)
	s.requests = append(s.requests, rec)
	var fault *Fault
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		fault = &f
	}
	delay := s.delay
	s.mu.Unlock()
	done := func(status int, code string) {
		s.mu.Lock()
		s.requests[idx].Status, s.requests[idx].Code = status, code
		s.mu.Unlock()
	}

	if delay > 0 && !s.wait(r.Context(), delay) {
		done(0, "")
		return
	}
	var a *answer
	switch {
	case fault != nil:
		if handled := s.serveFault(w, r, *fault, wantJSON, reqID, done); handled {
			return
		}
	case readErr != nil:
		var mbe *http.MaxBytesError
		if errors.As(readErr, &mbe) {
			a = apiErr(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
				"Request body is larger than "+strconv.Itoa(MaxRequestBytes)+" bytes.")
		} else {
			a = apiErr(http.StatusBadRequest, "MalformedQueryString", "The request body could not be read.")
		}
	default:
		a = s.handle(r, body, form, now, idx)
	}
	if a == nil {
		return
	}
	writeAnswer(w, a, wantJSON, reqID)
	done(a.status, a.code)
}

// serveFault answers with f. It reports whether it wrote an answer (or
// decided never to); an error fault is written by the caller.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault, wantJSON bool, reqID string, done func(int, string)) bool {
	switch f.kind {
	case faultError:
		a := apiErr(f.status, f.code, f.message)
		writeAnswer(w, a, wantJSON, reqID)
		done(a.status, a.code)
	case faultRaw:
		if f.contentType != "" {
			w.Header().Set("Content-Type", f.contentType)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(f.body)))
		w.WriteHeader(f.status)
		io.WriteString(w, f.body)
		done(f.status, "")
	case faultHang:
		s.wait(r.Context(), -1)
	case faultOversized:
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Content-Length", strconv.Itoa(f.size))
		w.WriteHeader(http.StatusOK)
		done(http.StatusOK, "")
		writeOversized(w, f.size)
	}
	return true
}

// wait waits d (forever if d < 0), or until the request is abandoned or
// the server closed. It reports whether the whole wait passed.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	var timer <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
		return true
	case <-ctx.Done():
	case <-s.closed:
	}
	return false
}

// writeOversized writes size bytes that open a GetCallerIdentityResponse
// and then pad it with spaces, a chunk at a time, stopping when the client
// hangs up.
func writeOversized(w io.Writer, size int) {
	head := []byte(`<GetCallerIdentityResponse xmlns="` + namespace + `"><GetCallerIdentityResult>`)
	if len(head) > size {
		head = head[:size]
	}
	if _, err := w.Write(head); err != nil {
		return
	}
	chunk := bytes.Repeat([]byte(" "), 32<<10)
	for left := size - len(head); left > 0; {
		n := min(left, len(chunk))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		left -= n
	}
}

// handle authenticates the request and performs its action. idx is the
// request's in s.requests.
func (s *Server) handle(r *http.Request, body []byte, form url.Values, now time.Time, idx int) *answer {
	action := form.Get("Action")
	if action == "" {
		return apiErr(http.StatusBadRequest, "MissingAction", "Missing Action")
	}
	switch action {
	case "GetCallerIdentity", "AssumeRole", "AssumeRoleWithWebIdentity":
	default:
		return apiErr(http.StatusBadRequest, "InvalidAction", "Could not find operation "+action+" for version "+form.Get("Version"))
	}
	if v := form.Get("Version"); v != apiVersion {
		if v == "" {
			return apiErr(http.StatusBadRequest, "MissingParameter", "The request must contain the parameter Version")
		}
		return apiErr(http.StatusBadRequest, "InvalidAction", "Could not find operation "+action+" for version "+v)
	}
	if action == "AssumeRoleWithWebIdentity" {
		// Not signed: the web identity token authenticates.
		return s.assumeRoleWithWebIdentity(form, now)
	}
	key, a := s.verify(r, body, form, now, idx)
	if a != nil {
		return a
	}
	switch action {
	case "GetCallerIdentity":
		return &answer{status: http.StatusOK, doc: &getCallerIdentityResponse{
			Result: getCallerIdentityResult{UserID: key.Identity.UserID, Account: key.Identity.Account, ARN: key.Identity.ARN},
		}}
	default:
		return s.assumeRole(key, form, now)
	}
}

// AllowWebIdentityToken makes the server accept token in
// AssumeRoleWithWebIdentity, for any role.
func (s *Server) AllowWebIdentityToken(token string) {
	s.mu.Lock()
	s.webTokens[token] = true
	s.mu.Unlock()
}

// Expire makes the server treat the key as expired from now on: requests
// signed with it get ExpiredToken.
func (s *Server) Expire(accessKeyID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[accessKeyID]; ok {
		k.Expires = s.nowLocked().Add(-time.Second)
	}
}

// String names the server by its URL.
func (s *Server) String() string { return fmt.Sprintf("ststest.Server(%s)", s.URL) }
