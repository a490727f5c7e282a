package ststest_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callerid/callerid/internal/httpreplay"
	"github.com/callerid/callerid/sigv4"
	"github.com/callerid/callerid/sts/ststest"
)

// presignGET presigns a GET of params to srv for host, with the extra
// headers signed, at time at, valid for expires, and returns the request
// to send (with the headers in send, which may differ from those signed).
func presignGET(t *testing.T, srv *ststest.Server, key ststest.Key, host string, params url.Values, signed, send http.Header, at time.Time, expires time.Duration) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "https://"+host+"/?"+params.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range signed {
		req.Header[k] = v
	}
	s := sigv4.Signer{Now: func() time.Time { return at }}
	u, _, err := s.Presign(req, key.Credentials, sigv4.Scope{Service: "sts", Region: "us-east-1"}, expires)
	if err != nil {
		t.Fatal(err)
	}
	// Send to the server, with the host signed as the Host header.
	out, err := http.NewRequest(http.MethodGet, srv.URL+strings.TrimPrefix(u, "https://"+host), nil)
	if err != nil {
		t.Fatal(err)
	}
	out.Host = host
	for k, v := range send {
		out.Header[k] = v
	}
	return out
}

func TestPresignedGetCallerIdentity(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	srv := ststest.NewServer(ststest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	key := srv.AddAssumedRole("123456789012", "deploy", "ci-7")
	const host = "sts.us-east-1.amazonaws.com"
	cluster := http.Header{"X-K8s-Aws-Id": {"prod"}}
	acceptJSON := http.Header{"X-K8s-Aws-Id": {"prod"}, "Accept": {"application/json"}}

	tests := []struct {
		name     string
		signedAt time.Time
		expires  time.Duration
		send     http.Header
		params   url.Values
		status   int
		code     string
		message  string
	}{
		{name: "just signed", signedAt: now, expires: time.Minute, send: acceptJSON, status: 200},
		// STS accepts a presigned GetCallerIdentity for 15 minutes,
		// whatever X-Amz-Expires says.
		{name: "X-Amz-Expires passed", signedAt: now.Add(-10 * time.Minute), expires: time.Minute, send: acceptJSON, status: 200},
		{name: "15 minutes old", signedAt: now.Add(-15 * time.Minute), expires: time.Minute, send: acceptJSON, status: 200},
		{name: "16 minutes old", signedAt: now.Add(-16 * time.Minute), expires: time.Hour, send: acceptJSON, status: 403, code: "SignatureDoesNotMatch",
			message: "Signature expired: 20261123T074400Z is now earlier than 20261123T074500Z (20261123T080000Z - 15 min.)"},
		{name: "from the future", signedAt: now.Add(16 * time.Minute), expires: time.Minute, send: acceptJSON, status: 403, code: "SignatureDoesNotMatch",
			message: "Signature not yet current: 20261123T081600Z is still later than 20261123T081500Z (20261123T080000Z + 15 min.)"},
		{name: "signed header with another value", signedAt: now, expires: time.Minute,
			send: http.Header{"X-K8s-Aws-Id": {"staging"}, "Accept": {"application/json"}}, status: 403, code: "SignatureDoesNotMatch"},
		{name: "signed header not sent", signedAt: now, expires: time.Minute,
			send: http.Header{"Accept": {"application/json"}}, status: 403, code: "SignatureDoesNotMatch"},
		// Other presigned actions expire with X-Amz-Expires.
		{name: "AssumeRole after X-Amz-Expires", signedAt: now.Add(-2 * time.Minute), expires: time.Minute, send: acceptJSON,
			params: url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {"arn:aws:iam::123456789012:role/r"}, "RoleSessionName": {"s"}},
			status: 403, code: "ExpiredToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := tt.params
			if params == nil {
				params = gci
			}
			status, hdr, body := do(t, presignGET(t, srv, key, host, params, cluster, tt.send, tt.signedAt, tt.expires))
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if tt.code == "" {
				if ct := hdr.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q, want application/json", ct)
				}
				return
			}
			e := decodeJSONError(t, body)
			if e.Error.Code != tt.code || tt.message != "" && e.Error.Message != tt.message {
				t.Errorf("error %+v, want %s %q", e.Error, tt.code, tt.message)
			}
		})
	}
	reqs := srv.Requests()
	if r := reqs[0]; r.Method != http.MethodGet || !r.Presigned || r.AccessKeyID != key.AccessKeyID || r.Action != "GetCallerIdentity" {
		t.Errorf("request log %+v", r)
	}
}

// TestGetCallerIdentityJSONShape checks the JSON answer against the
// documented one, byte for byte but for the values.
func TestGetCallerIdentityJSONShape(t *testing.T) {
	rec, err := httpreplay.Load(filepath.Join("..", "..", "testdata", "recorded", "sts-documented", "get-caller-identity-json.http"))
	if err != nil {
		t.Fatal(err)
	}
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "Alice")
	status, hdr, body := do(t, presignGET(t, srv, key, "sts.us-east-1.amazonaws.com", gci, nil,
		http.Header{"Accept": {"application/json"}}, time.Now(), time.Minute))
	if status != 200 || hdr.Get("Content-Type") != "application/json" {
		t.Fatalf("%d %s %s", status, hdr.Get("Content-Type"), body)
	}
	got := strings.NewReplacer(key.Identity.UserID, "AIDACKCEVSQ6C2EXAMPLE", hdr.Get("X-Amzn-Requestid"), rec.Header.Get("X-Amzn-Requestid")).Replace(body)
	if got != string(rec.Body) {
		t.Errorf("JSON answer\n%s\nwant the documented shape\n%s", got, rec.Body)
	}
}

type jsonError struct {
	Error struct {
		Type, Code, Message string
	}
	RequestID string `json:"RequestId"`
}

func decodeJSONError(t *testing.T, body string) jsonError {
	t.Helper()
	var e jsonError
	if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code == "" || e.RequestID == "" {
		t.Fatalf("JSON error document %q: %v", body, err)
	}
	return e
}

// zeroExpires changes the X-Amz-Expires of a presigned request to 0, and
// signs it again, with key, as aws-iam-authenticator's tokens are (it
// presigns for 60 nanoseconds).
func zeroExpires(t *testing.T, req *http.Request, key ststest.Key, region string) *http.Request {
	t.Helper()
	r := req.Clone(req.Context())
	q := r.URL.RawQuery
	i := strings.Index(q, "X-Amz-Expires=")
	j := i + strings.IndexByte(q[i:], '&')
	r.URL.RawQuery = q[:i] + "X-Amz-Expires=0" + q[j:]
	var sts string
	date := param(r.URL.RawQuery, "X-Amz-Date")
	at, _ := time.Parse("20060102T150405Z", date)
	v := &sigv4.Verifier{Lookup: sigv4.StaticLookup(key.Credentials), Scope: sigv4.Scope{Service: "sts", Region: region},
		AllowZeroExpires: true, Now: func() time.Time { return at }, Debug: func(_, s string) { sts = s }}
	if _, err := v.Verify(r); err == nil {
		t.Fatal("a request changed without signing it again verified")
	}
	k := hmacSHA256([]byte("AWS4"+key.SecretAccessKey()), date[:8])
	for _, part := range []string{region, "sts", "aws4_request"} {
		k = hmacSHA256(k, part)
	}
	sig := hex.EncodeToString(hmacSHA256(k, sts))
	q = r.URL.RawQuery
	i = strings.Index(q, "X-Amz-Signature=") + len("X-Amz-Signature=")
	r.URL.RawQuery = q[:i] + sig + q[i+64:]
	return r
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func param(q, name string) string {
	v, _ := url.ParseQuery(q)
	return v.Get(name)
}

// TestPresignedZeroExpires: STS takes a presigned GetCallerIdentity with
// X-Amz-Expires=0 for its 15 minutes, and refuses any other action so.
func TestPresignedZeroExpires(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	srv := ststest.NewServer(ststest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	const host = "sts.us-east-1.amazonaws.com"
	cluster := http.Header{"X-K8s-Aws-Id": {"prod"}}
	req := zeroExpires(t, presignGET(t, srv, key, host, gci, cluster, cluster, now.Add(-10*time.Minute), time.Second), key, "us-east-1")
	if status, _, body := do(t, req); status != 200 {
		t.Errorf("GetCallerIdentity with X-Amz-Expires=0, 10 minutes old: %d %s", status, body)
	}
	ar := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {"arn:aws:iam::123456789012:role/r"}, "RoleSessionName": {"s"}}
	req = zeroExpires(t, presignGET(t, srv, key, host, ar, cluster, cluster, now, time.Second), key, "us-east-1")
	if status, hdr, body := do(t, req); status != 400 || decodeError(t, hdr, body).Error.Code != "IncompleteSignature" {
		t.Errorf("AssumeRole with X-Amz-Expires=0: %d %s", status, body)
	}
}
