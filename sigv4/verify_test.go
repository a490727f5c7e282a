package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
)

var testCreds = credentials.New("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session/token+with=odd&bytes")

// stsScope is the scope of the test requests.
var stsScope = Scope{Service: "sts", Region: "us-east-1"}

// signerAt returns s, or a new Signer if s is nil, signing at t.
func signerAt(s *Signer, t time.Time) *Signer {
	if s == nil {
		s = new(Signer)
	}
	s.Now = func() time.Time { return t }
	return s
}

// withLookup returns v, or a Verifier of stsScope if v is nil, with lookup.
func withLookup(v *Verifier, lookup SecretLookup) *Verifier {
	if v == nil {
		v = &Verifier{Scope: stsScope}
	}
	v.Lookup = lookup
	return v
}

var testTime = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

const testBody = "Action=GetCallerIdentity&Version=2011-06-15"

// newTestRequest is a request with a path, a query, a body and headers,
// unsigned.
func newTestRequest(t testing.TB) *http.Request {
	req, err := http.NewRequest("POST", "https://sts.us-east-1.amazonaws.com/a/b%20c/?x=1&y=two&x=0", strings.NewReader(testBody))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Add("X-Custom", "one")
	req.Header.Add("X-Custom", "two")
	req.Header.Set("User-Agent", "test/1.0")
	return req
}

func signedTestRequest(t testing.TB, s *Signer) *http.Request {
	req := newTestRequest(t)
	if err := signerAt(s, testTime).Sign(req, testCreds, Scope{Service: "sts", Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	return req
}

func presignedTestRequest(t testing.TB, s *Signer, expires time.Duration) *http.Request {
	req := newTestRequest(t)
	u, hdr, err := signerAt(s, testTime).Presign(req, testCreds, Scope{Service: "sts", Region: "us-east-1"}, expires)
	if err != nil {
		t.Fatal(err)
	}
	preq, err := http.NewRequest(req.Method, u, strings.NewReader(testBody))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range hdr {
		preq.Header[k] = vs
	}
	preq.Header.Set("User-Agent", "another/2.0") // not signed: may change
	return preq
}

func atTestTime() *Verifier {
	return &Verifier{Lookup: StaticLookup(testCreds), Scope: stsScope, Now: func() time.Time { return testTime }}
}

func TestVerifyAccepts(t *testing.T) {
	lookup := StaticLookup(testCreds)
	for _, tc := range []struct {
		name      string
		req       func(t *testing.T) *http.Request
		opts      *Verifier
		presigned bool
		signed    string
		tokSigned bool
	}{
		{"header", func(t *testing.T) *http.Request { return signedTestRequest(t, nil) }, atTestTime(), false,
			"content-type;host;x-amz-date;x-amz-security-token;x-custom", true},
		{"header S3", func(t *testing.T) *http.Request {
			return signedTestRequest(t, &Signer{S3Paths: true, AddContentSHA256Header: true})
		}, &Verifier{Scope: stsScope, Now: func() time.Time { return testTime }, S3Paths: true}, false,
			"content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-custom", true},
		{"header unsigned payload", func(t *testing.T) *http.Request {
			return signedTestRequest(t, &Signer{UnsignedPayload: true, AddContentSHA256Header: true})
		}, &Verifier{Scope: stsScope, Now: func() time.Time { return testTime }, AllowUnsignedPayload: true}, false,
			"content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-custom", true},
		{"header unsigned token", func(t *testing.T) *http.Request {
			return signedTestRequest(t, &Signer{UnsignedSessionToken: true})
		}, &Verifier{Scope: stsScope, Now: func() time.Time { return testTime }, AllowUnsignedSessionToken: true}, false,
			"content-type;host;x-amz-date;x-custom", false},
		{"header 4 min late", func(t *testing.T) *http.Request { return signedTestRequest(t, nil) },
			&Verifier{Scope: stsScope, Now: func() time.Time { return testTime.Add(4 * time.Minute) }}, false,
			"content-type;host;x-amz-date;x-amz-security-token;x-custom", true},
		{"header 14 min early, 15 min skew", func(t *testing.T) *http.Request { return signedTestRequest(t, nil) },
			&Verifier{Scope: stsScope, Now: func() time.Time { return testTime.Add(-14 * time.Minute) }, MaxSkew: 15 * time.Minute}, false,
			"content-type;host;x-amz-date;x-amz-security-token;x-custom", true},
		{"header expected scope", func(t *testing.T) *http.Request { return signedTestRequest(t, nil) },
			&Verifier{Scope: stsScope, Now: func() time.Time { return testTime }}, false,
			"content-type;host;x-amz-date;x-amz-security-token;x-custom", true},
		{"presigned", func(t *testing.T) *http.Request { return presignedTestRequest(t, nil, time.Minute) },
			&Verifier{Scope: stsScope, Now: func() time.Time { return testTime.Add(time.Minute) }}, true,
			"content-type;host;x-custom", true},
		{"presigned unsigned payload", func(t *testing.T) *http.Request {
			return presignedTestRequest(t, &Signer{UnsignedPayload: true}, time.Minute)
		}, &Verifier{Scope: stsScope, Now: func() time.Time { return testTime }, AllowUnsignedPayload: true}, true,
			"content-type;host;x-custom", true},
		{"presigned unsigned token", func(t *testing.T) *http.Request {
			return presignedTestRequest(t, &Signer{UnsignedSessionToken: true}, time.Minute)
		}, &Verifier{Scope: stsScope, Now: func() time.Time { return testTime }, AllowUnsignedSessionToken: true}, true,
			"content-type;host;x-custom", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := tc.req(t)
			v, err := withLookup(tc.opts, lookup).Verify(req)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if v.Credentials.AccessKeyID != testCreds.AccessKeyID || v.Scope != stsScope ||
				!v.Time.Equal(testTime) || v.Presigned != tc.presigned ||
				strings.Join(v.SignedHeaders, ";") != tc.signed ||
				!v.Credentials.Equal(testCreds) || v.SessionTokenSigned != tc.tokSigned {
				t.Errorf("Verify = %+v (token %q)", v, v.Credentials.SessionToken())
			}
			if tc.presigned && v.Expires != time.Minute {
				t.Errorf("Expires = %v", v.Expires)
			}
			if got := readBody(t, req); string(got) != testBody {
				t.Errorf("body after Verify = %q", got)
			}
		})
	}
}

// replaceAuth edits the Authorization header.
func replaceAuth(old, new string) func(*http.Request) {
	return func(r *http.Request) {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
	}
}

// replaceQuery edits the raw query.
func replaceQuery(old, new string) func(*http.Request) {
	return func(r *http.Request) { r.URL.RawQuery = strings.Replace(r.URL.RawQuery, old, new, 1) }
}

func setBody(body string) func(*http.Request) {
	return func(r *http.Request) {
		r.Body = io.NopCloser(strings.NewReader(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
		r.ContentLength = int64(len(body))
	}
}

func TestVerifyRejects(t *testing.T) {
	otherErr := errors.New("backend down")
	type tc struct {
		name    string
		signer  *Signer
		presign bool
		mutate  func(*http.Request)
		opts    func(*Verifier)
		lookup  SecretLookup
		want    error
		check   string
	}
	at := func(d time.Duration) func(*Verifier) {
		return func(v *Verifier) { v.Now = func() time.Time { return testTime.Add(d) } }
	}
	anyRegion := func(v *Verifier) { v.Scope.Region, v.AnyRegion = "", true }
	cases := []tc{
		// Header form.
		{name: "changed body", mutate: setBody("Action=GetCallerIdentity&Version=2011-06-16"), want: ErrSignatureMismatch, check: CheckSignature},
		{name: "changed body, content sha256 sent", signer: &Signer{AddContentSHA256Header: true},
			mutate: setBody("Action=GetCallerIdentity&Version=2011-06-16"), want: ErrPayloadHashMismatch, check: CheckPayload},
		{name: "changed header", mutate: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "changed header value order", mutate: func(r *http.Request) { r.Header["X-Custom"] = []string{"two", "one"} }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "removed signed header", mutate: func(r *http.Request) { r.Header.Del("X-Custom") }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "unsigned x-amz header", mutate: func(r *http.Request) { r.Header.Set("X-Amz-Meta-Extra", "1") }, want: ErrHeaderNotSigned, check: CheckSignedHeaders},
		{name: "changed query value", mutate: replaceQuery("y=two", "y=three"), want: ErrSignatureMismatch, check: CheckSignature},
		{name: "added query parameter", mutate: replaceQuery("y=two", "y=two&z=1"), want: ErrSignatureMismatch, check: CheckSignature},
		{name: "changed method", mutate: func(r *http.Request) { r.Method = "PUT" }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "changed path", mutate: func(r *http.Request) { r.URL.Path = "/a/b c/d" }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "changed host", mutate: func(r *http.Request) { r.Host = "sts.amazonaws.com" }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "changed region", mutate: replaceAuth("/us-east-1/", "/us-west-2/"), want: ErrScopeMismatch, check: CheckScope},
		{name: "changed region, any region", mutate: replaceAuth("/us-east-1/", "/us-west-2/"),
			opts: anyRegion, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "changed region, that one expected", mutate: replaceAuth("/us-east-1/", "/us-west-2/"),
			opts: func(v *Verifier) { v.Scope.Region = "us-west-2" }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "changed service", mutate: replaceAuth("/sts/", "/iam/"), want: ErrScopeMismatch, check: CheckScope},
		{name: "changed service, any region", mutate: replaceAuth("/sts/", "/iam/"), opts: anyRegion, want: ErrScopeMismatch, check: CheckScope},
		{name: "changed service, that one expected", mutate: replaceAuth("/sts/", "/iam/"),
			opts: func(v *Verifier) { v.Scope.Service = "iam" }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "other region expected", opts: func(v *Verifier) { v.Scope.Region = "eu-west-1" }, want: ErrScopeMismatch, check: CheckScope},
		{name: "other service expected", opts: func(v *Verifier) { v.Scope.Service = "iam" }, want: ErrScopeMismatch, check: CheckScope},
		{name: "other service expected, any region", opts: func(v *Verifier) { v.Scope, v.AnyRegion = Scope{Service: "iam"}, true },
			want: ErrScopeMismatch, check: CheckScope},
		{name: "credential date not X-Amz-Date's", mutate: replaceAuth("/20150830/", "/20150831/"), want: ErrScopeMismatch, check: CheckScope},
		{name: "changed X-Amz-Date", mutate: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20150830T123601Z") }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "changed signature", mutate: replaceAuth("Signature=", "Signature=0"), want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "wrong signature", mutate: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			last := a[len(a)-1]
			flip := byte('0')
			if last == '0' {
				flip = '1'
			}
			r.Header.Set("Authorization", a[:len(a)-1]+string(flip))
		}, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "too late", opts: at(5*time.Minute + time.Second), want: ErrRequestTimeTooSkewed, check: CheckDate},
		{name: "too early", opts: at(-5*time.Minute - time.Second), want: ErrRequestTimeTooSkewed, check: CheckDate},
		{name: "unknown key", lookup: StaticLookup(credentials.New("AKIDOTHER", "x", "")), want: ErrUnknownKey, check: CheckKey},
		{name: "lookup fails", lookup: func(context.Context, string) (credentials.Credentials, error) {
			return credentials.Credentials{}, otherErr
		}, want: otherErr, check: CheckKey},
		{name: "lookup gives no secret", lookup: func(context.Context, string) (credentials.Credentials, error) {
			return credentials.New("AKIDEXAMPLE", "", ""), nil
		}, want: ErrUnknownKey, check: CheckKey},
		{name: "lookup gives another key", lookup: func(context.Context, string) (credentials.Credentials, error) {
			return credentials.New("AKIDOTHER", testCreds.SecretAccessKey(), testCreds.SessionToken()), nil
		}, want: ErrUnknownKey, check: CheckKey},
		{name: "wrong secret", lookup: StaticLookup(credentials.New("AKIDEXAMPLE", "other", "")), want: ErrSignatureMismatch, check: CheckSignature},
		{name: "other session token", lookup: StaticLookup(credentials.New("AKIDEXAMPLE", testCreds.SecretAccessKey(), "other")),
			want: ErrInvalidSessionToken, check: CheckSessionToken},
		{name: "no session token", mutate: func(r *http.Request) { r.Header.Del("X-Amz-Security-Token") }, want: ErrInvalidSessionToken, check: CheckSessionToken},
		{name: "changed session token", mutate: func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "forged") }, want: ErrInvalidSessionToken, check: CheckSessionToken},
		{name: "changed session token, lookup without token",
			lookup: StaticLookup(credentials.New("AKIDEXAMPLE", testCreds.SecretAccessKey(), "")),
			mutate: func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "forged") }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "unsigned session token", signer: &Signer{UnsignedSessionToken: true}, want: ErrHeaderNotSigned, check: CheckSignedHeaders},
		{name: "unsigned host", mutate: replaceAuth("SignedHeaders=content-type;host;", "SignedHeaders=content-type;"), want: ErrHostNotSigned, check: CheckSignedHeaders},
		{name: "unsorted signed headers", mutate: replaceAuth("SignedHeaders=content-type;host;", "SignedHeaders=host;content-type;"), want: ErrMalformedAuthorization, check: CheckSignedHeaders},
		{name: "upper-case signed header", mutate: replaceAuth("SignedHeaders=content-type;", "SignedHeaders=Content-Type;"), want: ErrMalformedAuthorization, check: CheckSignedHeaders},
		{name: "unsigned payload not allowed", signer: &Signer{UnsignedPayload: true, AddContentSHA256Header: true}, want: ErrPayloadHashMismatch, check: CheckPayload},
		{name: "streaming payload", signer: &Signer{AddContentSHA256Header: true}, mutate: func(r *http.Request) { r.Header.Set(HeaderContentSHA256, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD") }, want: ErrPayloadHashMismatch, check: CheckPayload},
		{name: "no signature", mutate: func(r *http.Request) { r.Header.Del("Authorization") }, want: ErrMissingAuthorization, check: CheckAuthorization},
		{name: "other algorithm", mutate: replaceAuth("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"), want: ErrUnsupportedAlgorithm, check: CheckAlgorithm},
		{name: "bearer token", mutate: func(r *http.Request) { r.Header.Set("Authorization", "Bearer abc") }, want: ErrUnsupportedAlgorithm, check: CheckAlgorithm},
		{name: "two Authorization headers", mutate: func(r *http.Request) { r.Header.Add("Authorization", "x") }, want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "no SignedHeaders", mutate: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			i, j := strings.Index(a, " SignedHeaders="), strings.Index(a, " Signature=")
			r.Header.Set("Authorization", a[:i]+a[j:])
		}, want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "repeated field", mutate: func(r *http.Request) { r.Header.Set("Authorization", r.Header.Get("Authorization")+", Signature=x") }, want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "unknown field", mutate: replaceAuth(", Signature=", ", Foo=bar, Signature="), want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "short credential", mutate: replaceAuth("AKIDEXAMPLE/20150830/", "20150830/"), want: ErrMalformedAuthorization, check: CheckCredential},
		{name: "bad terminator", mutate: replaceAuth("/aws4_request", "/aws5_request"), want: ErrMalformedAuthorization, check: CheckCredential},
		{name: "bad credential date", mutate: replaceAuth("/20150830/", "/2015083x/"), want: ErrMalformedAuthorization, check: CheckCredential},
		{name: "huge access key id", mutate: replaceAuth("Credential=AKIDEXAMPLE/", "Credential="+strings.Repeat("A", 500_000)+"/"), want: ErrMalformedAuthorization, check: CheckCredential},
		{name: "access key id one byte too long", mutate: replaceAuth("Credential=AKIDEXAMPLE/", "Credential="+strings.Repeat("A", 129)+"/"), want: ErrMalformedAuthorization, check: CheckCredential},
		{name: "no X-Amz-Date", mutate: func(r *http.Request) { r.Header.Del("X-Amz-Date") }, want: ErrMalformedAuthorization, check: CheckDate},
		{name: "bad X-Amz-Date", mutate: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20150830T126000Z") }, want: ErrMalformedAuthorization, check: CheckDate},
		{name: "both forms", mutate: replaceQuery("x=1", "x=1&X-Amz-Algorithm=AWS4-HMAC-SHA256"), want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "header-signed, another key's X-Amz-Credential in the query", lookup: StaticLookup(testCreds, credentials.New("AKIDOTHER", "x", "")),
			mutate: replaceQuery("x=1", "x=1&X-Amz-Credential=AKIDOTHER%2F20150830%2Fus-east-1%2Fsts%2Faws4_request"),
			want:   ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "header-signed, X-Amz-Signature in the query", mutate: replaceQuery("x=1", "x=1&X-Amz-Signature=00"), want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "header-signed, X-Amz-Security-Token in the query", mutate: replaceQuery("x=1", "x=1&X-Amz-Security-Token=t"), want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "header-signed, an escaped X-Amz-Credential in the query", mutate: replaceQuery("x=1", "x=1&X-Amz-%43redential=AKIDOTHER"), want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "bad query escape", mutate: replaceQuery("x=1", "x=%zz"), want: ErrMalformedRequest, check: CheckRequest},

		// Presigned.
		{name: "presign expired", presign: true, opts: at(61 * time.Second), want: ErrPresignExpired, check: CheckExpires},
		{name: "presign from the future", presign: true, opts: at(-5*time.Minute - time.Second), want: ErrRequestTimeTooSkewed, check: CheckDate},
		{name: "presign changed query value", presign: true, mutate: replaceQuery("y=two", "y=2"), want: ErrSignatureMismatch, check: CheckSignature},
		{name: "presign changed expiry", presign: true, mutate: replaceQuery("X-Amz-Expires=60", "X-Amz-Expires=3600"), want: ErrSignatureMismatch, check: CheckSignature},
		{name: "presign bad expiry", presign: true, mutate: replaceQuery("X-Amz-Expires=60", "X-Amz-Expires=604801"), want: ErrMalformedAuthorization, check: CheckExpires},
		{name: "presign changed region", presign: true, mutate: replaceQuery("%2Fus-east-1%2F", "%2Fus-west-2%2F"), want: ErrScopeMismatch, check: CheckScope},
		{name: "presign changed region, any region", presign: true, mutate: replaceQuery("%2Fus-east-1%2F", "%2Fus-west-2%2F"),
			opts: anyRegion, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "presign changed service", presign: true, mutate: replaceQuery("%2Fsts%2F", "%2Fs3%2F"), want: ErrScopeMismatch, check: CheckScope},
		{name: "presign changed service, that one expected", presign: true, mutate: replaceQuery("%2Fsts%2F", "%2Fs3%2F"),
			opts: func(v *Verifier) { v.Scope.Service = "s3" }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "presign other service expected, any region", presign: true,
			opts: func(v *Verifier) { v.Scope, v.AnyRegion = Scope{Service: "s3"}, true }, want: ErrScopeMismatch, check: CheckScope},
		// Both forms (CVE-2022-2385's kind): whose key would be authenticated?
		{name: "presigned, and an Authorization header", presign: true, mutate: func(r *http.Request) {
			r.Header.Set("Authorization", signedTestRequest(t, nil).Header.Get("Authorization"))
		}, want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "presign changed header", presign: true, mutate: func(r *http.Request) { r.Header.Set("X-Custom", "three") }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "presign changed method", presign: true, mutate: func(r *http.Request) { r.Method = "GET" }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "presign changed path", presign: true, mutate: func(r *http.Request) { r.URL.Path = "/" }, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "presign changed body", presign: true, mutate: setBody("x"), want: ErrSignatureMismatch, check: CheckSignature},
		{name: "presign unknown key", presign: true, lookup: StaticLookup(), want: ErrUnknownKey, check: CheckKey},
		{name: "presign unsigned host", presign: true, mutate: replaceQuery("X-Amz-SignedHeaders=content-type%3Bhost%3Bx-custom", "X-Amz-SignedHeaders=content-type%3Bx-custom"),
			want: ErrHostNotSigned, check: CheckSignedHeaders},
		{name: "presign repeated signature", presign: true, mutate: func(r *http.Request) { r.URL.RawQuery += "&X-Amz-Signature=00" }, want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "presign no credential", presign: true, mutate: func(r *http.Request) {
			q := r.URL.Query()
			q.Del("X-Amz-Credential")
			r.URL.RawQuery = q.Encode()
		}, want: ErrMalformedAuthorization, check: CheckAuthorization},
		{name: "presign other algorithm", presign: true, mutate: replaceQuery("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1"), want: ErrUnsupportedAlgorithm, check: CheckAlgorithm},
		{name: "presign changed token", presign: true, mutate: replaceQuery("X-Amz-Security-Token=", "X-Amz-Security-Token=x"), want: ErrInvalidSessionToken, check: CheckSessionToken},
		{name: "presign unsigned token not allowed", presign: true, signer: &Signer{UnsignedSessionToken: true}, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "presign unsigned payload not allowed", presign: true, signer: &Signer{UnsignedPayload: true}, want: ErrSignatureMismatch, check: CheckSignature},
		{name: "presign signed payload, unsigned allowed, body changed", presign: true, mutate: setBody("x"),
			opts: func(v *Verifier) { v.AllowUnsignedPayload = true }, want: ErrSignatureMismatch, check: CheckSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var req *http.Request
			if c.presign {
				req = presignedTestRequest(t, c.signer, time.Minute)
			} else {
				req = signedTestRequest(t, c.signer)
			}
			if c.mutate != nil {
				c.mutate(req)
			}
			opts := atTestTime()
			if c.opts != nil {
				c.opts(opts)
			}
			lookup := c.lookup
			if lookup == nil {
				lookup = StaticLookup(testCreds)
			}
			v, err := withLookup(opts, lookup).Verify(req)
			if err == nil {
				t.Fatalf("Verify accepted the request: %+v", v)
			}
			if v != nil {
				t.Errorf("Verify returned %+v with an error", v)
			}
			if !errors.Is(err, c.want) {
				t.Errorf("Verify error %v, want errors.Is %v", err, c.want)
			}
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a *VerifyError", err)
			}
			if ve.Check != c.check {
				t.Errorf("Check = %q, want %q (%v)", ve.Check, c.check, err)
			}
			// Each sentinel stands alone: a mismatch is not also an
			// unknown key, and so on.
			for _, other := range allSentinels {
				if other != c.want && errors.Is(err, other) {
					t.Errorf("error %v is also %v", err, other)
				}
			}
			assertNoSecrets(t, err)
			// What the request says is bounded in the error.
			if n := len(err.Error()); n > 512 {
				t.Errorf("the error is %d bytes: %.200s...", n, err)
			}
		})
	}
}

var allSentinels = []error{
	ErrMissingAuthorization, ErrUnsupportedAlgorithm, ErrMalformedAuthorization, ErrMalformedRequest,
	ErrScopeMismatch, ErrRequestTimeTooSkewed, ErrPresignExpired, ErrHostNotSigned, ErrHeaderNotSigned,
	ErrUnknownKey, ErrInvalidSessionToken, ErrPayloadHashMismatch, ErrBodyTooLarge, ErrSignatureMismatch,
}

// TestVerifySkewMessage checks the wording the fake STS passes on.
func TestVerifySkewMessage(t *testing.T) {
	req := signedTestRequest(t, nil)
	_, err := withLookup(&Verifier{Scope: stsScope, Now: func() time.Time { return testTime.Add(time.Hour) }}, StaticLookup(testCreds)).Verify(req)
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v", err)
	}
	const want = "Signature expired: 20150830T123600Z is now earlier than 20150830T133100Z (20150830T133600Z - 5 min.)"
	if ve.Reason != want {
		t.Errorf("Reason = %q, want %q", ve.Reason, want)
	}
	if got := err.Error(); got != "sigv4: date: "+want {
		t.Errorf("Error() = %q", got)
	}
}

func TestVerifyNil(t *testing.T) {
	if _, err := withLookup(nil, StaticLookup()).Verify(nil); !errors.Is(err, ErrMalformedRequest) {
		t.Errorf("Verify(nil) = %v", err)
	}
	if _, err := withLookup(nil, StaticLookup()).Verify(&http.Request{}); !errors.Is(err, ErrMalformedRequest) {
		t.Errorf("Verify(no URL) = %v", err)
	}
	var nilVerifier *Verifier
	if v, err := nilVerifier.Verify(signedTestRequest(t, nil)); err == nil || v != nil {
		t.Errorf("Verify of a nil *Verifier = %v, %v", v, err)
	}
}

// TestVerifierNeedsScope: a Verifier that does not say what it expects
// refuses every request, even one signed right, with an error that is the
// server's (not a *VerifyError) and names what is missing.
func TestVerifierNeedsScope(t *testing.T) {
	for _, tc := range []struct {
		name      string
		scope     Scope
		anyRegion bool
		msg       string
	}{
		{"no lookup", stsScope, false, "no Lookup"},
		{"no scope", Scope{}, false, "no Scope.Service"},
		{"no service", Scope{Region: "us-east-1"}, false, "no Scope.Service"},
		{"no service, any region", Scope{}, true, "no Scope.Service"},
		{"no region", Scope{Service: "sts"}, false, "no Scope.Region: name the region the requests must be signed for, or set AnyRegion"},
		{"region and any region", stsScope, true, `both Scope.Region "us-east-1" and AnyRegion`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, req := range []*http.Request{signedTestRequest(t, nil), presignedTestRequest(t, nil, time.Minute)} {
				v := &Verifier{Scope: tc.scope, AnyRegion: tc.anyRegion, Now: func() time.Time { return testTime }}
				if tc.name != "no lookup" {
					v.Lookup = StaticLookup(testCreds)
				}
				got, err := v.Verify(req)
				if err == nil || got != nil {
					t.Fatalf("Verify = %v, %v; want an error", got, err)
				}
				if !strings.Contains(err.Error(), tc.msg) {
					t.Errorf("error %q does not say %q", err, tc.msg)
				}
				var ve *VerifyError
				if errors.As(err, &ve) {
					t.Errorf("error %v is a *VerifyError: the request is not at fault", err)
				}
			}
		})
	}

	// AnyRegion: any region, but still the service.
	for _, region := range []string{"us-east-1", "eu-west-3", "cn-north-1"} {
		req := newTestRequest(t)
		if err := signerAt(nil, testTime).Sign(req, testCreds, Scope{Service: "sts", Region: region}); err != nil {
			t.Fatal(err)
		}
		v := &Verifier{Lookup: StaticLookup(testCreds), Scope: Scope{Service: "sts"}, AnyRegion: true, Now: func() time.Time { return testTime }}
		got, err := v.Verify(req)
		if err != nil {
			t.Fatalf("AnyRegion, signed for %s: %v", region, err)
		}
		if want := (Scope{Service: "sts", Region: region}); got.Scope != want {
			t.Errorf("Scope = %+v, want %+v", got.Scope, want)
		}
		v.Scope.Service = "iam"
		if _, err := v.Verify(req); !errors.Is(err, ErrScopeMismatch) {
			t.Errorf("AnyRegion, another service: %v", err)
		}
	}
}

// TestVerifiedCredentials: Verified.Credentials are the lookup's, with the
// signature's access key id and the token sent.
func TestVerifiedCredentials(t *testing.T) {
	expires := testTime.Add(time.Hour)
	withMeta := func(c credentials.Credentials) credentials.Credentials {
		c.Expires, c.Source, c.AccountID = expires, "a database", "123456789012"
		return c
	}
	for _, tc := range []struct {
		name   string
		lookup credentials.Credentials
		want   credentials.Credentials
	}{
		{"with token", withMeta(testCreds), withMeta(testCreds)},
		{"token not checked", withMeta(credentials.New("AKIDEXAMPLE", testCreds.SecretAccessKey(), "")), withMeta(testCreds)},
		{"no access key id", withMeta(credentials.New("", testCreds.SecretAccessKey(), "")), withMeta(testCreds)},
	} {
		for _, presign := range []bool{false, true} {
			req := signedTestRequest(t, nil)
			if presign {
				req = presignedTestRequest(t, nil, time.Minute)
			}
			v := atTestTime()
			v.Lookup = func(_ context.Context, id string) (credentials.Credentials, error) {
				if id != "AKIDEXAMPLE" {
					return credentials.Credentials{}, ErrUnknownKey
				}
				return tc.lookup, nil
			}
			got, err := v.Verify(req)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if d := cmp.Diff(tc.want, got.Credentials); d != "" || !got.Credentials.Equal(tc.want) {
				t.Errorf("%s (presigned %v): Credentials %v, want %v", tc.name, presign, got.Credentials, tc.want)
			}
		}
	}
}

// wireRoundTrip writes req as a client would and reads it back as a
// server does: Body without GetBody, Host from the header, URL from the
// request line.
func wireRoundTrip(t testing.TB, req *http.Request) (*http.Request, error) {
	var buf bytes.Buffer
	if err := req.Write(&buf); err != nil {
		return nil, err
	}
	return http.ReadRequest(bufio.NewReader(&buf))
}

func TestVerifyServerRequestBody(t *testing.T) {
	sreq, err := wireRoundTrip(t, signedTestRequest(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if sreq.GetBody != nil {
		t.Fatal("server request has GetBody")
	}
	if _, err := withLookup(atTestTime(), StaticLookup(testCreds)).Verify(sreq); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if got := readBody(t, sreq); string(got) != testBody {
		t.Errorf("body after Verify = %q", got)
	}

	// Too large: an error, and the body is still whole for the handler.
	sreq, err = wireRoundTrip(t, signedTestRequest(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	opts := atTestTime()
	opts.MaxBodyBytes = 10
	if _, err := withLookup(opts, StaticLookup(testCreds)).Verify(sreq); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("Verify with a 10-byte limit: %v", err)
	}
	if got := readBody(t, sreq); string(got) != testBody {
		t.Errorf("body after Verify = %q", got)
	}

	// No limit.
	sreq, err = wireRoundTrip(t, signedTestRequest(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	opts.MaxBodyBytes = -1
	if _, err := withLookup(opts, StaticLookup(testCreds)).Verify(sreq); err != nil {
		t.Fatalf("Verify without a limit: %v", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, resetError{} }

// resetError is failingReader's error: errors.As finds it through Sign's
// and Verify's errors.
type resetError struct{}

func (resetError) Error() string { return "connection reset" }

func TestVerifyBodyReadError(t *testing.T) {
	sreq, err := wireRoundTrip(t, signedTestRequest(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	sreq.Body = io.NopCloser(failingReader{})
	_, err = withLookup(atTestTime(), StaticLookup(testCreds)).Verify(sreq)
	var ve *VerifyError
	if !errors.As(err, &ve) || ve.Check != CheckBody || ve.Reason != "reading the body: connection reset" ||
		err.Error() != "sigv4: body: reading the body: connection reset" {
		t.Fatalf("Verify with a failing body: %v", err)
	}
	if !errors.As(err, new(resetError)) {
		t.Errorf("Verify's error %v does not keep its cause", err)
	}

	// Through GetBody, too, and from Sign.
	req := signedTestRequest(t, nil)
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(failingReader{}), nil }
	if _, err := atTestTime().Verify(req); !errors.As(err, new(resetError)) || !errors.As(err, &ve) || ve.Check != CheckBody {
		t.Errorf("Verify with a failing GetBody body: %v", err)
	}
	if err := signerAt(nil, testTime).Sign(req, testCreds, stsScope); !errors.As(err, new(resetError)) ||
		err.Error() != "sigv4: reading body: connection reset" {
		t.Errorf("Sign with a failing body: %v", err)
	}
}

// TestVerifyOverHTTP signs requests with a real client and verifies them
// in a real server's handler, header and presigned, with the body read
// after Verify.
func TestVerifyOverHTTP(t *testing.T) {
	verifier := &Verifier{Lookup: StaticLookup(testCreds), Scope: stsScope}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := verifier.Verify(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s %s", v.Credentials.AccessKeyID, strings.Join(v.SignedHeaders, ";"), body)
	}))
	defer srv.Close()
	now := time.Now()

	do := func(req *http.Request) string {
		t.Helper()
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s", resp.Status, b)
		}
		return string(b)
	}

	req, _ := http.NewRequest("POST", srv.URL+"/p/a%20th/?a=1&b=x+y&c=%2F", strings.NewReader(testBody))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Spaces", "  a   b  ")
	req.Header.Set("Content-Length", fmt.Sprint(len(testBody))) // signed; the server keeps it
	if err := signerAt(nil, now).Sign(req, testCreds, Scope{Service: "sts", Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	if got, want := do(req), "AKIDEXAMPLE content-length;content-type;host;x-amz-date;x-amz-security-token;x-spaces "+testBody; got != want {
		t.Errorf("header-signed: %q, want %q", got, want)
	}

	req, _ = http.NewRequest("GET", srv.URL+"/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	req.Header.Set("x-k8s-aws-id", "my-cluster")
	u, hdr, err := signerAt(nil, now).Presign(req, testCreds, Scope{Service: "sts", Region: "us-east-1"}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	preq, _ := http.NewRequest("GET", u, nil)
	preq.Header = hdr
	if got, want := do(preq), "AKIDEXAMPLE host;x-k8s-aws-id "; got != want {
		t.Errorf("presigned: %q, want %q", got, want)
	}
}

// TestPresignURL checks the URL Presign returns, and that it does not
// change the request.
func TestPresignURL(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Signature=stale", nil)
	req.Header.Set("x-k8s-aws-id", "my-cluster")
	u, hdr, err := signerAt(nil, testTime).Presign(req, testCreds, Scope{Service: "sts", Region: "us-east-1"}, 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if req.URL.RawQuery != "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Signature=stale" || len(req.Header) != 1 {
		t.Errorf("Presign changed the request: %v %v", req.URL, req.Header)
	}
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := pu.Query()
	for k, want := range map[string]string{
		"Action":               "GetCallerIdentity",
		"X-Amz-Algorithm":      "AWS4-HMAC-SHA256",
		"X-Amz-Credential":     "AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request",
		"X-Amz-Date":           "20150830T123600Z",
		"X-Amz-Expires":        "60",
		"X-Amz-SignedHeaders":  "host;x-k8s-aws-id",
		"X-Amz-Security-Token": testCreds.SessionToken(),
	} {
		if got := q[k]; len(got) != 1 || got[0] != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if s := q["X-Amz-Signature"]; len(s) != 1 || !isLowerHex64(s[0]) {
		t.Errorf("X-Amz-Signature = %q", s)
	}
	if pu.Scheme != "https" || pu.Host != "sts.us-east-1.amazonaws.com" || pu.Path != "/" {
		t.Errorf("URL %s", u)
	}
	if len(hdr) != 1 || hdr.Get("X-K8s-Aws-Id") != "my-cluster" {
		t.Errorf("signed headers %v", hdr)
	}
	hdr.Set("X-K8s-Aws-Id", "changed") // a copy
	if req.Header.Get("X-K8s-Aws-Id") != "my-cluster" {
		t.Error("the returned header shares values with the request")
	}

	// Only the host signed: no header to send.
	req.Header.Del("x-k8s-aws-id")
	if _, hdr, err := signerAt(nil, testTime).Presign(req, testCreds, Scope{Service: "sts", Region: "us-east-1"}, time.Second); err != nil || hdr != nil {
		t.Errorf("Presign = %v, %v; want nil header", hdr, err)
	}
}

func TestPresignExpiryBounds(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://example.com/", nil)
	for _, tc := range []struct {
		d  time.Duration
		ok bool
	}{
		{0, false}, {-time.Second, false}, {999 * time.Millisecond, false}, {time.Second, true},
		{1500 * time.Millisecond, true}, {7 * 24 * time.Hour, true}, {7*24*time.Hour + 999*time.Millisecond, true},
		{7*24*time.Hour + time.Second, false}, {1 << 62, false},
	} {
		_, _, err := signerAt(nil, testTime).Presign(req, testCreds, Scope{Service: "s3", Region: "us-east-1"}, tc.d)
		if (err == nil) != tc.ok {
			t.Errorf("Presign(expires %v) error %v, want ok %v", tc.d, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "outside 1s to 168h0m0s") {
			t.Errorf("Presign(expires %v) error %q does not give the bounds", tc.d, err)
		}
	}
}
