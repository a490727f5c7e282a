package iamauth_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/sts"
	"github.com/callerid/callerid/sts/ststest"
)

// wantIdentity is the Identity a proof of key signed at e's time verifies
// as, through host.
func wantIdentity(t *testing.T, key ststest.Key, host string, signedAt time.Time) iamauth.Identity {
	t.Helper()
	p, err := arn.ParsePrincipal(key.Identity.ARN)
	if err != nil {
		t.Fatal(err)
	}
	return iamauth.Identity{
		ARN:          key.Identity.ARN,
		CanonicalARN: p.Canonical().String(),
		Principal:    p,
		Account:      key.Identity.Account,
		UserID:       key.Identity.UserID,
		SessionName:  p.SessionName,
		AccessKeyID:  key.AccessKeyID,
		Host:         host,
		SignedAt:     signedAt,
		Expires:      signedAt.Add(iamauth.MaxAge),
	}
}

var ignoreRequestID = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".RequestID" }, cmp.Ignore())

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	keys := map[string]ststest.Key{
		"assumed role":   e.key,
		"user with path": e.srv.AddUser("123456789012", "/eng/ops/", "alice"),
		"federated user": e.srv.AddFederatedUser("210987654321", "bob"),
		"root":           e.srv.AddRoot("210987654321"),
	}
	challenge := iamauth.Binding{Header: "X-Teleport-Challenge", Value: "c2VydmVyLW5vbmNlLTQy"}
	for name, key := range keys {
		t.Run(name, func(t *testing.T) {
			p := &iamauth.Prover{Credentials: key.Provider(), Endpoint: iamauth.Endpoint{Region: "eu-west-1"}, Now: e.clock.Now}
			want := wantIdentity(t, key, "sts.eu-west-1.amazonaws.com", testTime)
			proofs := map[string]func() (iamauth.Identity, error){
				"EKS token": func() (iamauth.Identity, error) {
					tok, err := p.EKSToken(ctx, testCluster)
					if err != nil {
						t.Fatal(err)
					}
					return e.verifier.VerifyEKSToken(ctx, tok.Token())
				},
				"EKS token with a challenge": func() (iamauth.Identity, error) {
					tok, err := p.EKSToken(ctx, testCluster, challenge)
					if err != nil {
						t.Fatal(err)
					}
					return e.verifier.VerifyEKSToken(ctx, tok.Token(), challenge)
				},
				"POST payload": func() (iamauth.Identity, error) {
					lp, err := p.LoginPayload(ctx, iamauth.LoginOptions{ServerID: testServerID})
					if err != nil {
						t.Fatal(err)
					}
					return e.verifier.VerifyLogin(ctx, lp)
				},
				"POST payload with a challenge": func() (iamauth.Identity, error) {
					lp, err := p.LoginPayload(ctx, iamauth.LoginOptions{ServerID: testServerID, Bind: []iamauth.Binding{challenge}})
					if err != nil {
						t.Fatal(err)
					}
					return e.verifier.VerifyLogin(ctx, lp, challenge)
				},
				"presigned payload": func() (iamauth.Identity, error) {
					lp, err := p.LoginPayload(ctx, iamauth.LoginOptions{ServerID: testServerID, Presign: true})
					if err != nil {
						t.Fatal(err)
					}
					return e.verifier.VerifyLogin(ctx, lp)
				},
			}
			for what, verify := range proofs {
				before := e.calls()
				got, err := verify()
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if diff := cmp.Diff(want, got, ignoreRequestID); diff != "" {
					t.Errorf("%s: identity (-want +got):\n%s", what, diff)
				}
				if got.RequestID == "" {
					t.Errorf("%s: no request id", what)
				}
				if n := e.calls() - before; n != 1 {
					t.Errorf("%s: %d calls to STS, want 1", what, n)
				}
			}
		})
	}
	if e.srv.Requests()[0].Header.Get("Accept") != "application/json" {
		t.Errorf("the verifier did not ask for JSON: %v", e.srv.Requests()[0].Header)
	}
}

// TestEndpoints proves and verifies through the hosts of several
// partitions and kinds of endpoint.
func TestEndpoints(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		endpoint   iamauth.Endpoint
		host       string
		partition  string
		srvRegion  string
		partitions []string
	}{
		{iamauth.Endpoint{Region: "us-west-2"}, "sts.us-west-2.amazonaws.com", "aws", "us-west-2", nil},
		{iamauth.Endpoint{Global: true}, "sts.amazonaws.com", "aws", "us-east-1", nil},
		{iamauth.Endpoint{Region: "us-east-2", FIPS: true}, "sts-fips.us-east-2.amazonaws.com", "aws", "us-east-2", nil},
		{iamauth.Endpoint{Region: "eu-central-1", DualStack: true}, "sts.eu-central-1.api.aws", "aws", "eu-central-1", nil},
		{iamauth.Endpoint{Region: "us-east-1", FIPS: true, DualStack: true}, "sts-fips.us-east-1.api.aws", "aws", "us-east-1", nil},
		{iamauth.Endpoint{Region: "cn-north-1"}, "sts.cn-north-1.amazonaws.com.cn", "aws-cn", "cn-north-1", []string{"aws-cn"}},
		{iamauth.Endpoint{Region: "us-gov-west-1", FIPS: true}, "sts.us-gov-west-1.amazonaws.com", "aws-us-gov", "us-gov-west-1", []string{"aws", "aws-us-gov"}},
		{iamauth.Endpoint{Region: "eusc-de-east-1"}, "sts.eusc-de-east-1.amazonaws.eu", "aws-eusc", "eusc-de-east-1", []string{"aws-eusc"}},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			e := newEnv(t, func(o *iamauth.VerifierOptions) { o.Partitions = tt.partitions }, ststest.WithRegion(tt.srvRegion))
			e.prover.Endpoint = tt.endpoint
			tok, err := e.prover.EKSToken(ctx, testCluster)
			if err != nil {
				t.Fatal(err)
			}
			if tok.Host != tt.host || !strings.HasPrefix(urlOf(t, tok.Token()), "https://"+tt.host+"/?Action=GetCallerIdentity&Version=2011-06-15&") {
				t.Fatalf("token for %s: %s", tok.Host, urlOf(t, tok.Token()))
			}
			id, err := e.verifier.VerifyEKSToken(ctx, tok.Token())
			if err != nil {
				t.Fatal(err)
			}
			if id.Host != tt.host || id.Principal.ARN.Partition != tt.partition {
				t.Errorf("identity %+v", id)
			}
			// A verifier of the default partition refuses the others'.
			if tt.partition != "aws" {
				v, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: testCluster, Endpoint: e.srv.URL, Now: e.clock.Now})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := v.VerifyEKSToken(ctx, tok.Token()); !errors.Is(err, iamauth.ErrHost) {
					t.Errorf("a verifier of the aws partition: %v, want ErrHost", err)
				}
			}
		})
	}
}

func TestEKSTokenExpiry(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	tok, err := e.prover.EKSToken(ctx, testCluster)
	if err != nil {
		t.Fatal(err)
	}
	if !tok.SignedAt.Equal(testTime) || !tok.Expires.Equal(testTime.Add(14*time.Minute)) || tok.ClusterID != testCluster {
		t.Errorf("token %v: want signed at %v, expiring 14 minutes later", tok, testTime)
	}
	u := urlOf(t, tok.Token())
	for _, want := range []string{"X-Amz-Expires=60&", "X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&", "X-Amz-Date=20261123T080000Z&",
		"X-Amz-Credential=" + e.key.AccessKeyID + "%2F20261123%2Fus-east-1%2Fsts%2Faws4_request&", "&X-Amz-Security-Token="} {
		if !strings.Contains(u, want) {
			t.Errorf("token URL %s has no %s", u, want)
		}
	}
	if strings.Contains(tok.Token(), "=") {
		t.Errorf("token has padding")
	}

	// Credentials that expire sooner bound the token's expiry.
	soon := e.key
	soon.Expires = testTime.Add(5 * time.Minute)
	p := &iamauth.Prover{Credentials: soon.Provider(), Endpoint: iamauth.Endpoint{Region: "us-east-1"}, Now: e.clock.Now}
	if tok, err := p.EKSToken(ctx, testCluster); err != nil || !tok.Expires.Equal(soon.Expires) {
		t.Errorf("with credentials expiring in 5 minutes: %v, %v", tok, err)
	}
	// Expired credentials make no token.
	e.clock.Add(6 * time.Minute)
	if _, err := p.EKSToken(ctx, testCluster); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("with expired credentials: %v", err)
	}

	// The verifier accepts the token for 15 minutes after it was signed,
	// though X-Amz-Expires says 60 seconds, and no longer.
	e.clock.Add(9 * time.Minute) // 15 minutes after signing
	if _, err := e.verifier.VerifyEKSToken(ctx, tok.Token()); err != nil {
		t.Errorf("15 minutes after signing: %v", err)
	}
	e.clock.Add(time.Second)
	if _, err := e.verifier.VerifyEKSToken(ctx, tok.Token()); !errors.Is(err, iamauth.ErrExpired) {
		t.Errorf("15 minutes and a second after signing: %v, want ErrExpired", err)
	}
}

func TestProverErrors(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	failing := credentials.ProviderFunc(func(context.Context) (credentials.Credentials, error) {
		return credentials.Credentials{}, errors.New("no credentials here")
	})
	tests := []struct {
		name string
		p    *iamauth.Prover
		do   func(p *iamauth.Prover) error
		want string
	}{
		{"no credentials", &iamauth.Prover{Endpoint: iamauth.Endpoint{Region: "us-east-1"}}, eks(testCluster), "no Credentials"},
		{"no region", &iamauth.Prover{Credentials: e.key.Provider()}, eks(testCluster), "no region"},
		{"bad region", &iamauth.Prover{Credentials: e.key.Provider(), Endpoint: iamauth.Endpoint{Region: "mars-1"}}, eks(testCluster), "no known partition"},
		{"global in China", &iamauth.Prover{Credentials: e.key.Provider(), Endpoint: iamauth.Endpoint{Region: "cn-north-1", Global: true}}, eks(testCluster), "aws partition"},
		{"provider fails", &iamauth.Prover{Credentials: failing, Endpoint: iamauth.Endpoint{Region: "us-east-1"}}, eks(testCluster), "no credentials here"},
		{"empty cluster", e.prover, eks(""), "empty"},
		{"cluster with a newline", e.prover, eks("a\nb"), "printable"},
		{"bad binding", e.prover, func(p *iamauth.Prover) error {
			_, err := p.EKSToken(ctx, testCluster, iamauth.Binding{Header: "X-Amz-Date", Value: "x"})
			return err
		}, "cannot be bound"},
		{"binding twice", e.prover, func(p *iamauth.Prover) error {
			_, err := p.LoginPayload(ctx, iamauth.LoginOptions{ServerID: "a", Bind: []iamauth.Binding{{Header: "x-vault-aws-iam-server-id", Value: "b"}}})
			return err
		}, "bound twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do(tt.p)
			var pe *iamauth.ProveError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want a *ProveError about %q", err, tt.want)
			}
		})
	}
}

func eks(cluster string) func(p *iamauth.Prover) error {
	return func(p *iamauth.Prover) error {
		_, err := p.EKSToken(context.Background(), cluster)
		return err
	}
}

// TestLoginPayloadShape checks the payload's fields and encodings as Vault
// and Consul read them.
func TestLoginPayloadShape(t *testing.T) {
	e := newEnv(t, nil)
	d := decodePayload(t, e.payload(t, iamauth.LoginOptions{}))
	if d.method != "POST" || d.url != "https://sts.us-east-1.amazonaws.com/" || d.body != "Action=GetCallerIdentity&Version=2011-06-15" {
		t.Errorf("payload %s %s %q", d.method, d.url, d.body)
	}
	var names []string
	for k, v := range d.header {
		names = append(names, k)
		if len(v) != 1 {
			t.Errorf("header %s has %d values", k, len(v))
		}
	}
	want := []string{"Authorization", "Content-Type", "X-Amz-Date", "X-Amz-Security-Token", iamauth.VaultServerIDHeader}
	if diff := cmp.Diff(want, names, sortStrings); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	if got := d.header[iamauth.VaultServerIDHeader][0]; got != testServerID {
		t.Errorf("server id %q", got)
	}
	if a := d.header["Authorization"][0]; !strings.Contains(a, "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-vault-aws-iam-server-id,") {
		t.Errorf("Authorization %s", a)
	}
	if c := d.header["Content-Type"][0]; c != "application/x-www-form-urlencoded; charset=utf-8" {
		t.Errorf("Content-Type %s", c)
	}

	// Consul's header name; a presigned GET.
	d = decodePayload(t, e.payload(t, iamauth.LoginOptions{ServerIDHeader: iamauth.ConsulServerIDHeader, Presign: true}))
	if d.method != "GET" || d.body != "" || !strings.HasPrefix(d.url, "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&") ||
		!strings.Contains(d.url, "X-Amz-SignedHeaders=host%3Bx-consul-iam-serverid&") {
		t.Errorf("presigned payload %s %s %q", d.method, d.url, d.body)
	}
	if diff := cmp.Diff(map[string][]string{iamauth.ConsulServerIDHeader: {testServerID}}, d.header); diff != "" {
		t.Errorf("presigned payload's headers (-want +got):\n%s", diff)
	}

	// ParseLoginPayload reads what Fields gives, with Vault's role.
	p := e.payload(t, iamauth.LoginOptions{})
	f := p.Fields()
	body := `{"role":"dev","iam_http_request_method":"POST","iam_request_url":"` + f[iamauth.FieldURL] + `","iam_request_body":"` +
		f[iamauth.FieldBody] + `","iam_request_headers":"` + f[iamauth.FieldHeaders] + `"}`
	got, err := iamauth.ParseLoginPayload([]byte(body))
	if err != nil || !got.Equal(p) {
		t.Errorf("ParseLoginPayload: %v, %v", got, err)
	}
	for _, bad := range []string{`[]`, `{"iam_http_request_method":"POST"}`, body + `{}`,
		strings.Replace(body, `"role":"dev",`, `"iam_request_body":"x",`, 1), strings.Replace(body, `"POST"`, `1`, 1)} {
		if _, err := iamauth.ParseLoginPayload([]byte(bad)); err == nil {
			t.Errorf("ParseLoginPayload(%.60s…) accepted it", bad)
		}
	}
}

var sortStrings = cmp.Transformer("sort", func(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

// TestBindingsAreChecked shows each binding doing its work: a proof made
// for one value fails with another, locally for a payload and at STS for
// a token.
func TestBindingsAreChecked(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	c1 := iamauth.Binding{Header: "X-Challenge", Value: "nonce-1"}
	c2 := iamauth.Binding{Header: "X-Challenge", Value: "nonce-2"}

	tok := e.token(t, c1)
	_, err := e.verifier.VerifyEKSToken(ctx, tok, c2)
	var apiErr *sts.APIError
	if !errors.Is(err, iamauth.ErrRejected) || !errors.As(err, &apiErr) || apiErr.Code != "SignatureDoesNotMatch" {
		t.Errorf("token for nonce-1 verified for nonce-2: %v, want ErrRejected of SignatureDoesNotMatch", err)
	}
	if _, err := e.verifier.VerifyEKSToken(ctx, tok); !errors.Is(err, iamauth.ErrHeaderNotAllowed) {
		t.Errorf("token signing a header the verifier does not expect: %v, want ErrHeaderNotAllowed", err)
	}
	if _, err := e.verifier.VerifyEKSToken(ctx, e.token(t), c1); !errors.Is(err, iamauth.ErrHeaderNotSigned) {
		t.Errorf("token without the challenge: %v, want ErrHeaderNotSigned", err)
	}
	if _, err := e.verifier.VerifyEKSToken(ctx, tok, c1); err != nil {
		t.Errorf("token for nonce-1, verified for nonce-1: %v", err)
	}

	// Another cluster's verifier: STS refuses (the verifier sends its own
	// cluster id).
	other, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: "staging", Endpoint: e.srv.URL, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.VerifyEKSToken(ctx, e.token(t)); !errors.Is(err, iamauth.ErrRejected) {
		t.Errorf("token for %s verified by staging's verifier: %v", testCluster, err)
	}

	for _, presign := range []bool{false, true} {
		before := e.calls()
		lp := e.payload(t, iamauth.LoginOptions{Bind: []iamauth.Binding{c1}, Presign: presign})
		if _, err := e.verifier.VerifyLogin(ctx, lp, c2); !errors.Is(err, iamauth.ErrBindingMismatch) {
			t.Errorf("presign=%t: payload for nonce-1 verified for nonce-2: %v, want ErrBindingMismatch", presign, err)
		}
		if e.calls() != before {
			t.Errorf("presign=%t: a payload with the wrong binding went to STS", presign)
		}
		if _, err := e.verifier.VerifyLogin(ctx, lp, c1); err != nil {
			t.Errorf("presign=%t: %v", presign, err)
		}
		// Another server's payload.
		lp = e.payload(t, iamauth.LoginOptions{ServerID: "other.example.com", Presign: presign})
		if _, err := e.verifier.VerifyLogin(ctx, lp); !errors.Is(err, iamauth.ErrBindingMismatch) {
			t.Errorf("presign=%t: payload for another server: %v, want ErrBindingMismatch", presign, err)
		}
	}
}

// TestThrottled checks that throttling is its own retryable error, and
// not cached.
func TestThrottled(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	tok := e.token(t)
	e.srv.FailNext(1, ststest.Throttling())
	_, err := e.verifier.VerifyEKSToken(ctx, tok)
	var ve *iamauth.VerifyError
	if !errors.Is(err, iamauth.ErrThrottled) || !iamauth.Retryable(err) || !errors.As(err, &ve) || ve.Check != iamauth.CheckSTS {
		t.Fatalf("throttled: %v, want a retryable ErrThrottled", err)
	}
	var apiErr *sts.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "Throttling" || apiErr.StatusCode != http.StatusBadRequest {
		t.Errorf("cause %#v", apiErr)
	}
	e.srv.FailNext(1, ststest.InternalFailure())
	if _, err := e.verifier.VerifyEKSToken(ctx, tok); !errors.Is(err, iamauth.ErrUnavailable) || !iamauth.Retryable(err) {
		t.Errorf("internal failure: %v, want a retryable ErrUnavailable", err)
	}
	if _, err := e.verifier.VerifyEKSToken(ctx, tok); err != nil {
		t.Errorf("after throttling: %v", err)
	}
	if n := e.calls(); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
}
