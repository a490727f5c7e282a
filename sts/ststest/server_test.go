package ststest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sigv4"
	"github.com/callerid/callerid/sts/ststest"
)

// send signs a POST of params with key (unless key is nil) at time t for
// region, sends it to srv and returns the status, header and body.
func send(t *testing.T, srv *ststest.Server, key *ststest.Key, region string, at time.Time, params url.Values, hdr http.Header) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(params.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	for k, v := range hdr {
		req.Header[k] = v
	}
	if key != nil {
		s := sigv4.Signer{Now: func() time.Time { return at }}
		if err := s.Sign(req, key.Credentials, sigv4.Scope{Service: "sts", Region: region}); err != nil {
			t.Fatal(err)
		}
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, http.Header, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

var gci = url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}

type errorResponse struct {
	XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ ErrorResponse"`
	Error   struct {
		Type, Code, Message string
	}
	RequestID string `xml:"RequestId"`
}

func decodeError(t *testing.T, hdr http.Header, body string) errorResponse {
	t.Helper()
	var e errorResponse
	if err := xml.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("error document %q: %v", body, err)
	}
	if e.RequestID == "" || e.RequestID != hdr.Get("X-Amzn-Requestid") {
		t.Errorf("RequestId %q, x-amzn-RequestId %q: want the same, not empty", e.RequestID, hdr.Get("X-Amzn-Requestid"))
	}
	if ct := hdr.Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type = %q, want text/xml", ct)
	}
	return e
}

func TestAuthErrors(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	srv := ststest.NewServer(ststest.WithClock(func() time.Time { return now }), ststest.WithSeed(1))
	defer srv.Close()
	user := srv.AddUser(ststest.DefaultAccount, "/", "alice")
	role := srv.AddAssumedRole(ststest.DefaultAccount, "deploy", "ci")
	expired := srv.AddFederatedUser(ststest.DefaultAccount, "bob")
	srv.Expire(expired.AccessKeyID)

	unknown := user
	unknown.AccessKeyID = "AKIAUNKNOWNUNKNOWN00"
	wrongSecret := user
	wrongSecret.Credentials = credentials.New(user.AccessKeyID, "wrong", "")
	noToken := role
	noToken.Credentials = credentials.New(role.AccessKeyID, role.SecretAccessKey(), "")
	wrongToken := role
	wrongToken.Credentials = credentials.New(role.AccessKeyID, role.SecretAccessKey(), "IQoJwrong")
	userWithToken := user
	userWithToken.Credentials = credentials.New(user.AccessKeyID, user.SecretAccessKey(), "IQoJsomething")

	const invalid = "The security token included in the request is invalid."
	const mismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	tests := []struct {
		name    string
		key     *ststest.Key
		at      time.Time
		region  string
		status  int
		code    string
		message string
	}{
		{name: "unsigned", status: 403, code: "MissingAuthenticationToken", message: "Request is missing Authentication Token"},
		{name: "unknown key", key: &unknown, status: 403, code: "InvalidClientTokenId", message: invalid},
		{name: "wrong secret", key: &wrongSecret, status: 403, code: "SignatureDoesNotMatch", message: mismatch},
		{name: "role without token", key: &noToken, status: 403, code: "InvalidClientTokenId", message: invalid},
		{name: "role with wrong token", key: &wrongToken, status: 403, code: "InvalidClientTokenId", message: invalid},
		{name: "user with a token", key: &userWithToken, status: 403, code: "InvalidClientTokenId", message: invalid},
		{name: "expired key", key: &expired, status: 400, code: "ExpiredToken", message: "The security token included in the request is expired"},
		{name: "signed 30 min ago", key: &user, at: now.Add(-30 * time.Minute), status: 403, code: "SignatureDoesNotMatch",
			message: "Signature expired: 20261123T073000Z is now earlier than 20261123T074500Z (20261123T080000Z - 15 min.)"},
		{name: "signed 20 min ahead", key: &user, at: now.Add(20 * time.Minute), status: 403, code: "SignatureDoesNotMatch",
			message: "Signature not yet current: 20261123T082000Z is still later than 20261123T081500Z (20261123T080000Z + 15 min.)"},
		{name: "signed 14 min ago", key: &user, at: now.Add(-14 * time.Minute), status: 200},
		{name: "any region", key: &user, region: "ap-southeast-7", status: 200},
		{name: "role", key: &role, status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := tt.at
			if at.IsZero() {
				at = now
			}
			region := tt.region
			if region == "" {
				region = "us-east-1"
			}
			status, hdr, body := send(t, srv, tt.key, region, at, gci, nil)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if got := hdr.Get("Date"); got != "Mon, 23 Nov 2026 08:00:00 GMT" {
				t.Errorf("Date = %q, want the server's clock", got)
			}
			if tt.status == 200 {
				if !strings.Contains(body, "<Arn>"+tt.key.Identity.ARN+"</Arn>") {
					t.Errorf("body %s does not name %s", body, tt.key.Identity.ARN)
				}
				return
			}
			e := decodeError(t, hdr, body)
			if e.Error.Type != "Sender" || e.Error.Code != tt.code || e.Error.Message != tt.message {
				t.Errorf("error = %+v, want Sender %s %q", e.Error, tt.code, tt.message)
			}
		})
	}
	reqs := srv.Requests()
	if len(reqs) != len(tests) {
		t.Fatalf("%d requests logged, want %d", len(reqs), len(tests))
	}
	for i, r := range reqs {
		if r.Status != tests[i].status || r.Code != tests[i].code || r.Action != "GetCallerIdentity" {
			t.Errorf("request %d logged as %d %q %q, want %d %q GetCallerIdentity", i, r.Status, r.Code, r.Action, tests[i].status, tests[i].code)
		}
	}
}

func TestRegion(t *testing.T) {
	srv := ststest.NewServer(ststest.WithRegion("eu-west-1"))
	defer srv.Close()
	key := srv.AddUser(ststest.DefaultAccount, "", "alice")
	if status, _, body := send(t, srv, &key, "eu-west-1", time.Now(), gci, nil); status != 200 {
		t.Errorf("signed for eu-west-1: %d %s", status, body)
	}
	status, hdr, body := send(t, srv, &key, "us-east-1", time.Now(), gci, nil)
	if e := decodeError(t, hdr, body); status != 403 || e.Error.Code != "SignatureDoesNotMatch" || !strings.Contains(e.Error.Message, "Credential should be scoped to a valid region") {
		t.Errorf("signed for us-east-1: %d %+v", status, e.Error)
	}
}

// TestLogRecordsWhatWasVerified: the request log names the key whose
// signature was verified, never a key the request names elsewhere (a query
// X-Amz-Credential on a header-signed request, CVE-2022-2385's kind): such
// a request is refused, and a refused signature records no key.
func TestLogRecordsWhatWasVerified(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	alice := srv.AddUser(ststest.DefaultAccount, "", "alice")
	bob := srv.AddUser(ststest.DefaultAccount, "", "bob")

	sign := func(query string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(gci.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		if err := new(sigv4.Signer).Sign(req, alice.Credentials, sigv4.Scope{Service: "sts", Region: "us-east-1"}); err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = query // after signing: Sign refuses such a query
		return req
	}
	for _, tc := range []struct {
		name, query, code, logged string
	}{
		{"header-signed", "", "", alice.AccessKeyID},
		{"another key's X-Amz-Credential in the query", "X-Amz-Credential=" + bob.AccessKeyID + "%2F20150830%2Fus-east-1%2Fsts%2Faws4_request", "IncompleteSignature", ""},
		{"another key's presigned query", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + bob.AccessKeyID + "%2F20150830%2Fus-east-1%2Fsts%2Faws4_request", "IncompleteSignature", ""},
		{"a query the signature does not cover", "x=1", "SignatureDoesNotMatch", ""},
	} {
		before := len(srv.Requests())
		status, hdr, body := do(t, sign(tc.query))
		code := ""
		if status != 200 {
			code = decodeError(t, hdr, body).Error.Code
		}
		if code != tc.code {
			t.Errorf("%s: status %d, code %q, want %q: %s", tc.name, status, code, tc.code, body)
		}
		reqs := srv.Requests()[before:]
		if len(reqs) != 1 || reqs[0].AccessKeyID != tc.logged || reqs[0].Presigned {
			t.Errorf("%s: logged %+v, want access key id %q", tc.name, reqs, tc.logged)
		}
	}
}

func TestPresignedGet(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddAssumedRole(ststest.DefaultAccount, "deploy", "ci")
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/?"+gci.Encode(), nil)
	var s sigv4.Signer
	u, hdr, err := s.Presign(req, key.Credentials, sigv4.Scope{Service: "sts", Region: "us-east-1"}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	get, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range hdr {
		get.Header[k] = v
	}
	get.Header.Set("Accept", "application/json")
	status, rh, body := do(t, get)
	if status != 200 || rh.Get("Content-Type") != "application/json" {
		t.Fatalf("presigned GET: %d %s %s", status, rh.Get("Content-Type"), body)
	}
	var doc struct {
		GetCallerIdentityResponse struct {
			GetCallerIdentityResult struct{ Arn, UserId, Account string }
			ResponseMetadata        struct{ RequestId string }
		}
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	r := doc.GetCallerIdentityResponse
	if r.GetCallerIdentityResult.Arn != key.Identity.ARN || r.GetCallerIdentityResult.UserId != key.Identity.UserID ||
		r.ResponseMetadata.RequestId != rh.Get("X-Amzn-Requestid") {
		t.Errorf("JSON answer %s, want %+v", body, key.Identity)
	}
	if reqs := srv.Requests(); len(reqs) != 1 || !reqs[0].Presigned || reqs[0].AccessKeyID != key.AccessKeyID {
		t.Errorf("log = %+v", reqs)
	}
	// Tampering with the query breaks the signature.
	bad, _ := http.NewRequest(http.MethodGet, strings.Replace(u, "GetCallerIdentity", "AssumeRole", 1), nil)
	if status, _, _ := do(t, bad); status != 403 {
		t.Errorf("tampered presigned URL: status %d, want 403", status)
	}
}

func TestJSONError(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	status, hdr, body := send(t, srv, nil, "", time.Time{}, gci, http.Header{"Accept": {"application/json"}})
	var doc struct {
		Error     struct{ Type, Code, Message string }
		RequestId string
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || status != 403 || doc.Error.Code != "MissingAuthenticationToken" ||
		doc.RequestId != hdr.Get("X-Amzn-Requestid") || hdr.Get("Content-Type") != "application/json" {
		t.Errorf("JSON error: %d %s %s (%v)", status, hdr.Get("Content-Type"), body, err)
	}
}

func TestAssumeRole(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	srv := ststest.NewServer(ststest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	user := srv.AddUser("111122223333", "/", "alice")
	params := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {"arn:aws:iam::444455556666:role/ops/deploy"},
		"RoleSessionName": {"s1"}, "DurationSeconds": {"1800"}, "ExternalId": {"x"}, "SourceIdentity": {"alice"}}
	status, _, body := send(t, srv, &user, "us-east-1", now, params, nil)
	if status != 200 {
		t.Fatalf("AssumeRole: %d %s", status, body)
	}
	var doc struct {
		XMLName xml.Name `xml:"https://sts.amazonaws.com/doc/2011-06-15/ AssumeRoleResponse"`
		Result  struct {
			Credentials     struct{ AccessKeyId, SecretAccessKey, SessionToken, Expiration string }
			AssumedRoleUser struct{ AssumedRoleId, Arn string }
			SourceIdentity  string
		} `xml:"AssumeRoleResult"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	r := doc.Result
	if r.Credentials.Expiration != "2026-11-23T08:30:00Z" || r.AssumedRoleUser.Arn != "arn:aws:sts::444455556666:assumed-role/deploy/s1" ||
		!strings.HasPrefix(r.AssumedRoleUser.AssumedRoleId, "AROA") || !strings.HasSuffix(r.AssumedRoleUser.AssumedRoleId, ":s1") ||
		!strings.HasPrefix(r.Credentials.AccessKeyId, "ASIA") || r.SourceIdentity != "alice" {
		t.Errorf("AssumeRole result %+v", r)
	}
	// The role's id is the same for every session.
	params.Set("RoleSessionName", "s2")
	_, _, body2 := send(t, srv, &user, "us-east-1", now, params, nil)
	roleID := strings.SplitN(r.AssumedRoleUser.AssumedRoleId, ":", 2)[0]
	if !strings.Contains(body2, "<AssumedRoleId>"+roleID+":s2</AssumedRoleId>") {
		t.Errorf("second session of the role: %s, want role id %s", body2, roleID)
	}

	// The credentials work, and expire.
	k := ststest.Key{Credentials: credentials.New(r.Credentials.AccessKeyId, r.Credentials.SecretAccessKey, r.Credentials.SessionToken)}
	if status, _, body := send(t, srv, &k, "us-east-1", now, gci, nil); status != 200 || !strings.Contains(body, "assumed-role/deploy/s1") {
		t.Errorf("GetCallerIdentity with the role's keys: %d %s", status, body)
	}
	now = now.Add(31 * time.Minute)
	if status, hdr, body := send(t, srv, &k, "us-east-1", now, gci, nil); status != 400 || decodeError(t, hdr, body).Error.Code != "ExpiredToken" {
		t.Errorf("after expiry: %d %s", status, body)
	}

	for _, tt := range []struct{ name, param, value, want string }{
		{"short duration", "DurationSeconds", "899", "greater than or equal to 900"},
		{"long duration", "DurationSeconds", "43201", "less than or equal to 43200"},
		{"bad session name", "RoleSessionName", "a b", "roleSessionName"},
		{"no session name", "RoleSessionName", "", "roleSessionName"},
		{"not a role", "RoleArn", "arn:aws:iam::444455556666:user/x", "roleArn"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := url.Values{}
			for k, v := range params {
				p[k] = v
			}
			p.Set(tt.param, tt.value)
			status, hdr, body := send(t, srv, &user, "us-east-1", now, p, nil)
			if e := decodeError(t, hdr, body); status != 400 || e.Error.Code != "ValidationError" || !strings.Contains(e.Error.Message, tt.want) {
				t.Errorf("%d %+v, want ValidationError about %s", status, e.Error, tt.want)
			}
		})
	}
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	srv.AllowWebIdentityToken("eyJgood")
	params := url.Values{"Action": {"AssumeRoleWithWebIdentity"}, "Version": {"2011-06-15"},
		"RoleArn": {"arn:aws:iam::444455556666:role/pod"}, "RoleSessionName": {"web"}, "WebIdentityToken": {"eyJgood"}}
	status, _, body := send(t, srv, nil, "", time.Time{}, params, nil)
	if status != 200 || !strings.Contains(body, "<AssumeRoleWithWebIdentityResponse") || !strings.Contains(body, "assumed-role/pod/web") {
		t.Fatalf("AssumeRoleWithWebIdentity: %d %s", status, body)
	}
	params.Set("WebIdentityToken", "eyJbad")
	status, hdr, body := send(t, srv, nil, "", time.Time{}, params, nil)
	if e := decodeError(t, hdr, body); status != 400 || e.Error.Code != "InvalidIdentityToken" || strings.Contains(body, "eyJbad") {
		t.Errorf("wrong token: %d %s", status, body)
	}
}

func TestFaults(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser(ststest.DefaultAccount, "/", "alice")
	srv.FailNext(1, ststest.Throttling())
	srv.FailNext(1, ststest.InternalFailure())
	srv.FailNext(1, ststest.ServiceUnavailableHTML())
	srv.FailNext(1, ststest.Error(403, "AccessDenied", "no"))

	want := []struct {
		status int
		code   string
		typ    string
	}{{400, "Throttling", "Sender"}, {500, "InternalFailure", "Receiver"}, {503, "", ""}, {403, "AccessDenied", "Sender"}, {200, "", ""}}
	for i, w := range want {
		status, hdr, body := send(t, srv, &key, "us-east-1", time.Now(), gci, nil)
		if status != w.status {
			t.Fatalf("request %d: status %d, want %d", i, status, w.status)
		}
		switch {
		case w.code != "":
			if e := decodeError(t, hdr, body); e.Error.Code != w.code || e.Error.Type != w.typ {
				t.Errorf("request %d: %+v, want %s %s", i, e.Error, w.typ, w.code)
			}
		case w.status == 503:
			if hdr.Get("Content-Type") != "text/html" || !strings.Contains(body, "503 Service Temporarily Unavailable") {
				t.Errorf("request %d: %s %s", i, hdr.Get("Content-Type"), body)
			}
		}
	}
}

func TestHangEndsWithClientOrClose(t *testing.T) {
	srv := ststest.NewServer()
	key := srv.AddUser(ststest.DefaultAccount, "/", "alice")
	srv.FailNext(2, ststest.Hang())

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader(gci.Encode()))
	var s sigv4.Signer
	s.Sign(req, key.Credentials, sigv4.Scope{Service: "sts", Region: "us-east-1"})
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("a hanging server answered")
	}

	// The second request hangs until Close, which must not wait for it
	// for long.
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(gci.Encode()))
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	for len(srv.Requests()) < 2 {
		time.Sleep(time.Millisecond)
	}
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close blocked on a hanging request")
	}
	<-errc
	if st := srv.Requests()[1].Status; st != 0 {
		t.Errorf("hung request logged with status %d", st)
	}
}

func TestOversized(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	srv.FailNext(1, ststest.Oversized(5<<20))
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(gci.Encode()))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || n != 5<<20 || resp.ContentLength != 5<<20 {
		t.Errorf("read %d bytes (Content-Length %d), %v; want 5 MiB", n, resp.ContentLength, err)
	}
}

func TestRequestTooLarge(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	p := url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}, "Pad": {strings.Repeat("x", ststest.MaxRequestBytes)}}
	status, hdr, body := send(t, srv, nil, "", time.Time{}, p, nil)
	if e := decodeError(t, hdr, body); status != 413 || e.Error.Code != "RequestEntityTooLarge" {
		t.Errorf("%d %+v", status, e.Error)
	}
}

func TestSkewAndDelay(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser(ststest.DefaultAccount, "/", "alice")
	srv.SetClockSkew(10 * time.Minute)
	srv.SetDelay(10 * time.Millisecond)
	start := time.Now()
	status, hdr, _ := send(t, srv, &key, "us-east-1", time.Now(), gci, nil)
	if took := time.Since(start); took < 10*time.Millisecond {
		t.Errorf("answered in %v despite a 10ms delay", took)
	}
	date, err := http.ParseTime(hdr.Get("Date"))
	if err != nil || status != 200 || time.Until(date) < 9*time.Minute {
		t.Errorf("status %d, Date %s (%v): want 200 and a clock 10 minutes ahead", status, hdr.Get("Date"), err)
	}
	srv.SetClockSkew(20 * time.Minute)
	if status, hdr, body := send(t, srv, &key, "us-east-1", time.Now(), gci, nil); status != 403 ||
		!strings.HasPrefix(decodeError(t, hdr, body).Error.Message, "Signature expired: ") {
		t.Errorf("20 minutes behind the server: %d %s", status, body)
	}
}

func TestDeterministicAndRedacted(t *testing.T) {
	ids := func() []string {
		srv := ststest.NewServer(ststest.WithSeed(42))
		defer srv.Close()
		u := srv.AddUser("123456789012", "/", "alice")
		r := srv.AddAssumedRole("123456789012", "deploy", "ci")
		f := srv.AddFederatedUser("123456789012", "bob")
		root := srv.AddRoot("123456789012")
		return []string{u.AccessKeyID, u.SecretAccessKey(), u.Identity.UserID, r.AccessKeyID, r.SessionToken(), r.Identity.UserID,
			f.Identity.UserID, f.Identity.ARN, root.Identity.ARN, root.Identity.UserID}
	}
	a, b := ids(), ids()
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("same seed, different keys:\n%v\n%v", a, b)
	}
	for i, prefix := range []string{"AKIA", "", "AIDA", "ASIA", "", "AROA"} {
		if !strings.HasPrefix(a[i], prefix) {
			t.Errorf("%q does not start with %s", a[i], prefix)
		}
	}
	if len(a[0]) != 20 || len(a[2]) != 21 || len(a[1]) != 40 || !strings.HasSuffix(a[5], ":ci") ||
		a[6] != "123456789012:bob" || a[7] != "arn:aws:sts::123456789012:federated-user/bob" ||
		a[8] != "arn:aws:iam::123456789012:root" || a[9] != "123456789012" {
		t.Errorf("ids %q", a)
	}

}

// TestKeyRedacted prints keys every way a test may, with every fmt verb,
// encoding/json, log/slog's text and JSON handlers and cmp.Diff of two
// keys that differ in their secrets alone: the secrets never show, the
// access key id and the ARN do.
func TestKeyRedacted(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	k := srv.AddAssumedRole("123456789012", "deploy", "ci")
	other := k
	other.Credentials = credentials.New(k.AccessKeyID, "another-secret", "another-token")
	type holder struct{ key ststest.Key }
	for name, v := range map[string]any{"Key": k, "*Key": &k, "[]Key": srv.Keys(), "holder": holder{k}} {
		var outs []string
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%t", "%d"} {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
		js, err := json.Marshal(v)
		outs = append(outs, string(js)+fmt.Sprint(err))
		var text, jsonLog bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("m", "key", v)
		slog.New(slog.NewJSONHandler(&jsonLog, nil)).Info("m", "key", v)
		outs = append(outs, text.String(), jsonLog.String())
		outs = append(outs, cmp.Diff(k, other), cmp.Diff(holder{k}, holder{other}, cmp.AllowUnexported(holder{})))
		for _, out := range outs {
			for _, secret := range []string{k.SecretAccessKey(), k.SessionToken(), other.SecretAccessKey(), other.SessionToken()} {
				if strings.Contains(out, secret) {
					t.Errorf("%s: a secret shows: %s", name, out)
				}
			}
		}
		if name != "holder" && (!strings.Contains(outs[0], k.AccessKeyID) || !strings.Contains(outs[0], k.Identity.ARN)) {
			t.Errorf("%s: no access key id or ARN: %s", name, outs[0])
		}
	}
	if cmp.Equal(k, other) {
		t.Error("cmp.Equal of keys with different secrets")
	}
	again := k
	again.Identity.ARN = "arn:aws:iam::123456789012:user/else"
	if cmp.Equal(k, again) {
		t.Error("cmp.Equal of keys of different identities")
	}
	if js, _ := json.Marshal(k); !strings.Contains(string(js), `"Identity":{"UserID":"`+k.Identity.UserID) ||
		!strings.Contains(string(js), `"AccessKeyId":"`+k.AccessKeyID) {
		t.Errorf("JSON %s", js)
	}
}

func TestAddPanicsOnBadInput(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	for name, f := range map[string]func(){
		"short account": func() { srv.AddUser("1234", "/", "a") },
		"slash in name": func() { srv.AddUser("123456789012", "/", "a/b") },
		"bad path":      func() { srv.AddUser("123456789012", "x", "a") },
		"empty session": func() { srv.AddAssumedRole("123456789012", "r", "") },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func TestPartition(t *testing.T) {
	srv := ststest.NewServer(ststest.WithRegion("cn-north-1"))
	defer srv.Close()
	for _, k := range []ststest.Key{srv.AddUser("123456789012", "/", "a"), srv.AddAssumedRole("123456789012", "r", "s1"),
		srv.AddFederatedUser("123456789012", "f"), srv.AddRoot("123456789012")} {
		if !strings.HasPrefix(k.Identity.ARN, "arn:aws-cn:") {
			t.Errorf("ARN %s is not in aws-cn", k.Identity.ARN)
		}
	}
	user := srv.AddUser("123456789012", "/", "b")
	params := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {"arn:aws-cn:iam::444455556666:role/deploy"}, "RoleSessionName": {"s1"}}
	status, _, body := send(t, srv, &user, "cn-north-1", time.Now(), params, nil)
	if status != 200 || !strings.Contains(body, "<Arn>arn:aws-cn:sts::444455556666:assumed-role/deploy/s1</Arn>") {
		t.Errorf("AssumeRole in aws-cn: %d %s", status, body)
	}
}
