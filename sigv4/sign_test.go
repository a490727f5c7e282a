package sigv4

import (
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callerid/callerid/credentials"
)

// TestSignSuiteVanillaPost checks one case of the AWS SigV4 test suite
// (post-sts-header-before, header form) end to end: the Authorization
// header must carry the suite's signature.
func TestSignSuiteVanillaPost(t *testing.T) {
	req, err := http.NewRequest("POST", "https://example.amazonaws.com/", nil)
	if err != nil {
		t.Fatal(err)
	}
	creds := credentials.New("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		"AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==")
	s := Signer{Now: func() time.Time { return time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC) }}
	if err := s.Sign(req, creds, Scope{Service: "service", Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	got := req.Header.Get("Authorization")
	const want = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"
	if got != want {
		t.Fatalf("Authorization = %q, want %q", got, want)
	}
}

// TestSignHashSuite signs every case of the test suite with SignHash and
// the SHA-256 of its body, which must give what Sign gives, without
// reading the body.
func TestSignHashSuite(t *testing.T) {
	for _, c := range loadSuite(t) {
		c := c
		t.Run(c.name, func(t *testing.T) {
			for _, addHeader := range []bool{false, true} {
				s := c.signer(nil)
				s.AddContentSHA256Header = addHeader
				want := c.req.httpRequest(t)
				if err := signerAt(s, c.ctx.Timestamp).Sign(want, c.ctx.creds(), Scope{Service: c.ctx.Service, Region: c.ctx.Region}); err != nil {
					t.Fatal(err)
				}
				req := c.req.httpRequest(t)
				req.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("GetBody called") }
				if req.Body != nil {
					req.Body = io.NopCloser(errReader{})
				}
				if err := signerAt(s, c.ctx.Timestamp).SignHash(req, sha256Hex(string(c.req.body)), c.ctx.creds(), Scope{Service: c.ctx.Service, Region: c.ctx.Region}); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(req.Header, want.Header) {
					t.Errorf("AddContentSHA256Header %v: SignHash headers\n%v\nwant (Sign)\n%v", addHeader, req.Header, want.Header)
				}
			}
		})
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("body read") }

func TestSignHash(t *testing.T) {
	bodyHash := sha256Hex(gciBody)
	req := newGetCallerIdentity(t)
	if err := signerAt(nil, testTime).SignHash(req, bodyHash, testCreds, stsScope); err != nil {
		t.Fatal(err)
	}
	if _, ok := req.Header[HeaderContentSHA256]; ok {
		t.Error("SignHash added X-Amz-Content-Sha256")
	}
	if _, err := withLookup(&Verifier{Scope: stsScope, Now: func() time.Time { return testTime }}, StaticLookup(testCreds)).Verify(req); err != nil {
		t.Fatalf("Verify: %v", err)
	}

	// A wrong hash signs, and Verify refuses it.
	wrong := newGetCallerIdentity(t)
	if err := signerAt(nil, testTime).SignHash(wrong, EmptyPayloadHash, testCreds, stsScope); err != nil {
		t.Fatal(err)
	}
	if _, err := withLookup(&Verifier{Scope: stsScope, Now: func() time.Time { return testTime }}, StaticLookup(testCreds)).Verify(wrong); err == nil {
		t.Error("Verify accepted a request signed with the hash of another body")
	}

	// UNSIGNED-PAYLOAD, into the header when asked.
	s := &Signer{AddContentSHA256Header: true}
	if err := signerAt(s, testTime).SignHash(req, UnsignedPayload, testCreds, stsScope); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get(HeaderContentSHA256); got != UnsignedPayload {
		t.Errorf("X-Amz-Content-Sha256 = %q", got)
	}
	// Replaced by a new hash when asked...
	if err := signerAt(s, testTime).SignHash(req, bodyHash, testCreds, stsScope); err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get(HeaderContentSHA256); got != bodyHash {
		t.Errorf("X-Amz-Content-Sha256 = %q", got)
	}
	if _, err := withLookup(&Verifier{Scope: stsScope, Now: func() time.Time { return testTime }}, StaticLookup(testCreds)).Verify(req); err != nil {
		t.Fatalf("Verify: %v", err)
	}

	// ... else it must agree. Failures leave no Authorization.
	for _, tc := range []struct{ name, hash, header string }{
		{"header differs", EmptyPayloadHash, bodyHash},
		{"uppercase", strings.ToUpper(bodyHash), ""},
		{"short", bodyHash[:63], ""},
		{"empty", "", ""},
		{"newline", bodyHash[:63] + "\n", ""},
		{"other literal", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", ""},
	} {
		req := newGetCallerIdentity(t)
		if err := signerAt(nil, testTime).Sign(req, testCreds, stsScope); err != nil {
			t.Fatal(err)
		}
		if tc.header != "" {
			req.Header.Set(HeaderContentSHA256, tc.header)
		}
		if err := signerAt(nil, testTime).SignHash(req, tc.hash, testCreds, stsScope); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
		if _, ok := req.Header[HeaderAuthorization]; ok {
			t.Errorf("%s: the earlier Authorization is still there", tc.name)
		}
	}
}

// TestSignFailureDropsAuthorization: whatever fails, an earlier signature
// is not left on the request.
func TestSignFailureDropsAuthorization(t *testing.T) {
	for _, tc := range []struct {
		name   string
		region string
		at     time.Time
		body   bool
	}{
		{"bad region", "bad/region", testTime, false},
		{"bad time", "us-east-1", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"body not re-readable", "us-east-1", testTime, true},
	} {
		req := newGetCallerIdentity(t)
		if err := signerAt(nil, testTime).Sign(req, testCreds, stsScope); err != nil {
			t.Fatal(err)
		}
		if tc.body {
			req.GetBody = nil
			req.Body = io.NopCloser(strings.NewReader(gciBody))
		}
		if err := signerAt(nil, tc.at).Sign(req, testCreds, Scope{Service: "sts", Region: tc.region}); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
		if _, ok := req.Header[HeaderAuthorization]; ok {
			t.Errorf("%s: the earlier Authorization is still there", tc.name)
		}
	}
}

// TestSignerState: each Signer has its own cache, made on first use; a
// zero Signer shared by goroutines makes one; a nil *Signer signs as the
// zero Signer; the clock is the Signer's.
func TestSignerState(t *testing.T) {
	var a, b Signer
	if a.cache.Load() != nil {
		t.Fatal("a zero Signer has a cache")
	}
	var wg sync.WaitGroup
	caches := make([]*keyCache, 8)
	for i := range caches {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := a.Sign(newGetCallerIdentity(t), testCreds, stsScope); err != nil {
				t.Error(err)
			}
			caches[i] = a.cache.Load()
		}(i)
	}
	wg.Wait()
	for _, c := range caches {
		if c == nil || c != caches[0] {
			t.Fatalf("goroutines saw caches %p", caches)
		}
	}
	if err := b.Sign(newGetCallerIdentity(t), testCreds, stsScope); err != nil {
		t.Fatal(err)
	}
	if b.cache.Load() == a.cache.Load() {
		t.Error("two Signers share a cache")
	}

	// The clock: Now, else time.Now; nil signs as the zero Signer.
	var nilSigner *Signer
	before := time.Now().Add(-time.Second).UTC().Format(amzDateFormat)
	for _, s := range []*Signer{nilSigner, new(Signer)} {
		req := newGetCallerIdentity(t)
		if err := s.Sign(req, testCreds, stsScope); err != nil {
			t.Fatal(err)
		}
		if d := req.Header.Get(HeaderDate); d < before {
			t.Errorf("signed at %s, before %s", d, before)
		}
		if _, _, err := s.Presign(newEKSToken(t), testCreds, stsScope, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	req := newGetCallerIdentity(t)
	if err := signerAt(nil, testTime).Sign(req, testCreds, stsScope); err != nil {
		t.Fatal(err)
	}
	if d := req.Header.Get(HeaderDate); d != "20150830T123600Z" {
		t.Errorf("signed at %s, want Now's 20150830T123600Z", d)
	}
}
