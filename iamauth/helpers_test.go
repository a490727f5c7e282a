package iamauth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/sts/ststest"
)

// testTime is the clock of the tests that fix it.
var testTime = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// clock is a settable clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: testTime} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

const (
	testCluster  = "prod-eks"
	testServerID = "vault.example.com"
)

// env is a fake STS with one key, a Prover of that key and a Verifier
// that sends to the fake STS, all on one clock.
type env struct {
	srv      *ststest.Server
	key      ststest.Key
	clock    *clock
	prover   *iamauth.Prover
	verifier *iamauth.Verifier
}

// newEnv starts an env. The key is an assumed role unless key says which
// identity to make; opts adjust the Verifier's options.
func newEnv(t testing.TB, opts func(*iamauth.VerifierOptions), srvOpts ...ststest.Option) *env {
	t.Helper()
	c := newClock()
	srv := ststest.NewServer(append([]ststest.Option{ststest.WithClock(c.Now), ststest.WithSeed(7)}, srvOpts...)...)
	t.Cleanup(srv.Close)
	e := &env{srv: srv, clock: c}
	e.key = srv.AddAssumedRole("123456789012", "deploy", "ci-7")
	e.prover = &iamauth.Prover{Credentials: e.key.Provider(), Endpoint: iamauth.Endpoint{Region: "us-east-1"}, Now: c.Now}
	o := iamauth.VerifierOptions{ClusterID: testCluster, ServerID: testServerID, Endpoint: srv.URL, Now: c.Now}
	if opts != nil {
		opts(&o)
	}
	v, err := iamauth.NewVerifier(o)
	if err != nil {
		t.Fatal(err)
	}
	e.verifier = v
	return e
}

func (e *env) token(t testing.TB, bind ...iamauth.Binding) string {
	t.Helper()
	tok, err := e.prover.EKSToken(context.Background(), testCluster, bind...)
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token()
}

func (e *env) payload(t testing.TB, opts iamauth.LoginOptions) iamauth.LoginPayload {
	t.Helper()
	if opts.ServerID == "" {
		opts.ServerID = testServerID
	}
	p, err := e.prover.LoginPayload(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// calls returns how many requests the fake STS got.
func (e *env) calls() int { return len(e.srv.Requests()) }

// urlOf decodes an EKS token.
func urlOf(t testing.TB, token string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(token, iamauth.TokenPrefix))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// tokenOf encodes a URL as an EKS token.
func tokenOf(u string) string {
	return iamauth.TokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(u))
}

// decoded is a login payload decoded, to be changed and encoded again.
type decoded struct {
	method, url, body string
	header            map[string][]string
}

func decodePayload(t testing.TB, p iamauth.LoginPayload) decoded {
	t.Helper()
	f := p.Fields()
	dec := func(s string) string {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	d := decoded{method: f[iamauth.FieldMethod], url: dec(f[iamauth.FieldURL]), body: dec(f[iamauth.FieldBody])}
	if err := json.Unmarshal([]byte(dec(f[iamauth.FieldHeaders])), &d.header); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d decoded) encode(t testing.TB) iamauth.LoginPayload {
	t.Helper()
	hj, err := json.Marshal(d.header)
	if err != nil {
		t.Fatal(err)
	}
	return d.encodeRaw(string(hj))
}

func (d decoded) encodeRaw(headersJSON string) iamauth.LoginPayload {
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	return iamauth.NewLoginPayload(d.method, enc(d.url), enc(d.body), enc(headersJSON))
}

func (d decoded) clone() decoded {
	h := make(map[string][]string, len(d.header))
	for k, v := range d.header {
		h[k] = append([]string(nil), v...)
	}
	d.header = h
	return d
}
