package sts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/httpreplay"
)

const (
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY"
	testToken  = "FwoGZXIvYXdzEXAMPLEzSESSIONTOKEN"
)

func recorded(name string) string { return filepath.Join("..", "testdata", "recorded", name) }

// newTestClient returns a client of server with static test keys.
func newTestClient(t *testing.T, endpoint string, token string) *Client {
	t.Helper()
	c, err := New(Options{
		EndpointURL: endpoint,
		Credentials: credentials.NewStaticProvider("AKIDEXAMPLE", testSecret, token),
		Retry:       RetryOptions{Jitter: noJitter},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// noJitter makes every backoff zero, so that tests retry at once.
func noJitter() float64 { return 0 }

func TestGetCallerIdentityRecorded(t *testing.T) {
	tests := []struct {
		file string
		want CallerIdentity
	}{
		{"api-reference/user.http", CallerIdentity{
			UserID: "AIDACKCEVSQ6C2EXAMPLE", Account: "123456789012",
			ARN: "arn:aws:iam::123456789012:user/Alice", RequestID: "01234567-89ab-cdef-0123-456789abcdef", StatusCode: 200, Attempts: 1}},
		{"api-reference/assumed-role.http", CallerIdentity{
			UserID: "ARO123EXAMPLE123:my-role-session-name", Account: "123456789012",
			ARN: "arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name", RequestID: "01234567-89ab-cdef-0123-456789abcdef", StatusCode: 200, Attempts: 1}},
		{"api-reference/federated-user.http", CallerIdentity{
			UserID: "123456789012:my-federated-user-name", Account: "123456789012",
			ARN: "arn:aws:sts::123456789012:federated-user/my-federated-user-name", RequestID: "01234567-89ab-cdef-0123-456789abcdef", StatusCode: 200, Attempts: 1}},
		{"moto/get-caller-identity-user.http", CallerIdentity{
			UserID: "wuhop68oavn4skpnejq7", Account: "123456789012",
			ARN: "arn:aws:iam::123456789012:user/alice", RequestID: "8QKw0WVxtedXDAO7EBJFpCVWkvJKvlCp07P8hAEF8BFDFFMXDlTB", StatusCode: 200, Attempts: 1}},
		{"moto/get-caller-identity-assumed-role.http", CallerIdentity{
			UserID: "AROARZPUZDIKNMUXW7XTJ:sess2", Account: "123456789012",
			ARN: "arn:aws:sts::123456789012:assumed-role/demo-role/sess2", RequestID: "R3JwLvb90Si9LVcjBnAwYWGpFQlBxlNFZB9Mb5Z58rsMtFi6QQaP", StatusCode: 200, Attempts: 1}},
		{"sts-documented/get-caller-identity-json.http", CallerIdentity{
			UserID: "AIDACKCEVSQ6C2EXAMPLE", Account: "123456789012",
			ARN: "arn:aws:iam::123456789012:user/Alice", RequestID: "01234567-89ab-cdef-0123-456789abcdef", StatusCode: 200, Attempts: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec, err := httpreplay.Load(recorded(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			srv := httpreplay.NewServer(rec)
			defer srv.Close()
			got, err := newTestClient(t, srv.URL, testToken).GetCallerIdentity(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("GetCallerIdentity mismatch (-want +got):\n%s", diff)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("server got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			gotReq := map[string]string{
				"method":       r.Method,
				"path":         r.Path,
				"body":         string(r.Body),
				"content-type": r.Header.Get("Content-Type"),
				"token":        r.Header.Get("X-Amz-Security-Token"),
			}
			wantReq := map[string]string{
				"method":       "POST",
				"path":         "/",
				"body":         "Action=GetCallerIdentity&Version=2011-06-15",
				"content-type": "application/x-www-form-urlencoded; charset=utf-8",
				"token":        testToken,
			}
			if diff := cmp.Diff(wantReq, gotReq); diff != "" {
				t.Errorf("request mismatch (-want +got):\n%s", diff)
			}
			auth := r.Header.Get("Authorization")
			if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") || !strings.Contains(auth, "/us-east-1/sts/aws4_request") ||
				!strings.Contains(auth, "x-amz-security-token") {
				t.Errorf("Authorization = %q, want a SigV4 signature for us-east-1/sts covering the token", auth)
			}
		})
	}
}

func TestGetCallerIdentityRecordedErrors(t *testing.T) {
	const sigMsg = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	tests := []struct {
		file string
		want APIError
	}{
		{"moto/error-invalid-client-token-id.http", APIError{StatusCode: 403, Type: "Sender", Code: "InvalidClientTokenId",
			Message: "The security token included in the request is invalid.", RequestID: "1S1bNKO28iYmD5ZrnCPkCxXNQSHBgLyfciNyLXMQwMmPWpn5bgtz"}},
		{"moto/error-signature-does-not-match.http", APIError{StatusCode: 403, Type: "Sender", Code: "SignatureDoesNotMatch",
			Message: sigMsg, RequestID: "b8vd3OPLa1Z06WIu1niPHf5uQynXSF77XF85AMUhbd21sJyxNK1G"}},
		{"sts-documented/error-invalid-client-token-id.http", APIError{StatusCode: 403, Type: "Sender", Code: "InvalidClientTokenId",
			Message: "The security token included in the request is invalid.", RequestID: "c6104cbe-af31-11e0-8154-cbc7ccf896c7"}},
		{"sts-documented/error-expired-token.http", APIError{StatusCode: 400, Type: "Sender", Code: "ExpiredToken",
			Message: "The security token included in the request is expired", RequestID: "4e1c0a1f-8a33-4d9e-9a2e-2f1b4f0c3a77"}},
		{"sts-documented/error-signature-expired.http", APIError{StatusCode: 403, Type: "Sender", Code: "SignatureDoesNotMatch",
			Message: "Signature expired: 20261123T073000Z is now earlier than 20261123T074500Z (20261123T080000Z - 15 min.)", RequestID: "9b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0"}},
		{"sts-documented/error-throttling.http", APIError{StatusCode: 400, Type: "Sender", Code: "Throttling",
			Message: "Rate exceeded", RequestID: "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec, err := httpreplay.Load(recorded(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			srv := httpreplay.NewServer(rec)
			defer srv.Close()
			got, err := newTestClient(t, srv.URL, "").GetCallerIdentity(context.Background())
			if got != nil {
				t.Errorf("got identity %+v along with the error", got)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want an *APIError", err, err)
			}
			if diff := cmp.Diff(&tt.want, apiErr); diff != "" {
				t.Errorf("APIError mismatch (-want +got):\n%s", diff)
			}
			var opErr *OperationError
			if !errors.As(err, &opErr) || opErr.Operation != "GetCallerIdentity" || opErr.Endpoint != srv.URL+"/" {
				t.Errorf("err = %v, want an *OperationError naming GetCallerIdentity and %s/", err, srv.URL)
			}
		})
	}
}

// serve starts a server answering every request with status, content
// type and body.
func serve(t *testing.T, status int, ctype string, body []byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.WriteHeader(status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestGetCallerIdentityBadResponses(t *testing.T) {
	const ok = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><UserId>AIDA</UserId><Account>123456789012</Account><Arn>arn:aws:iam::123456789012:user/A</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>`
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		// reason is a substring of the ResponseError's message; empty
		// means an *APIError is wanted instead.
		reason string
		code   string
	}{
		{name: "empty body", status: 200, ctype: "text/xml", body: "", reason: "empty body"},
		{name: "whitespace body", status: 200, ctype: "text/xml", body: " \n", reason: "empty body"},
		{name: "truncated", status: 200, ctype: "text/xml", body: ok[:len(ok)/2], reason: "malformed GetCallerIdentityResponse"},
		{name: "malformed", status: 200, ctype: "text/xml", body: "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>x</Account>", reason: "malformed"},
		{name: "not xml", status: 200, ctype: "text/xml", body: "hello", reason: "not an XML document"},
		{name: "other root", status: 200, ctype: "text/xml", body: "<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>", reason: "neither GetCallerIdentityResponse nor ErrorResponse"},
		{name: "foreign namespace", status: 200, ctype: "text/xml", body: `<GetCallerIdentityResponse xmlns="urn:evil">` + ok[len(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`):], reason: "namespace"},
		{name: "no result element", status: 200, ctype: "text/xml", body: "<GetCallerIdentityResponse></GetCallerIdentityResponse>", reason: "no GetCallerIdentityResult"},
		{name: "empty identity", status: 200, ctype: "text/xml", body: "<GetCallerIdentityResponse><GetCallerIdentityResult></GetCallerIdentityResult></GetCallerIdentityResponse>", reason: "has no UserId, Account, Arn"},
		{name: "error document with 200", status: 200, ctype: "text/xml", body: "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>", code: "AccessDenied"},
		{name: "error without code", status: 403, ctype: "text/xml", body: "<ErrorResponse><Error><Message>no</Message></Error></ErrorResponse>", reason: "no error code"},
		{name: "success document with 500", status: 500, ctype: "text/xml", body: ok, reason: "non-2xx"},
		{name: "html 502", status: 502, ctype: "text/html", body: "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>", reason: "root element <html>"},
		{name: "html 502 not xml", status: 502, ctype: "text/html", body: "<!DOCTYPE html><html><body><p>Bad Gateway<br></body></html>", reason: "HTTP 502, text/html"},
		{name: "over 1 MiB", status: 200, ctype: "text/xml", body: "<GetCallerIdentityResponse>" + strings.Repeat(" ", 2<<20), reason: "larger than 1 MiB"},
		{name: "json junk", status: 200, ctype: "application/json", body: "{", reason: "malformed JSON"},
		{name: "json other", status: 200, ctype: "application/json", body: `{"Foo":{}}`, reason: "not a GetCallerIdentityResponse"},
		{name: "json error", status: 403, ctype: "application/json", body: `{"Error":{"Code":"InvalidClientTokenId","Message":"bad","Type":"Sender"},"RequestId":"r1"}`, code: "InvalidClientTokenId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, tt.status, tt.ctype, []byte(tt.body))
			got, err := newTestClient(t, srv.URL, "").GetCallerIdentity(context.Background())
			if err == nil {
				t.Fatalf("got %+v and no error", got)
			}
			if tt.code != "" {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.Code != tt.code || apiErr.StatusCode != tt.status {
					t.Fatalf("err = %v, want *APIError %s with status %d", err, tt.code, tt.status)
				}
				return
			}
			var respErr *ResponseError
			if !errors.As(err, &respErr) {
				t.Fatalf("err = %v (%T), want a *ResponseError", err, err)
			}
			if respErr.StatusCode != tt.status {
				t.Errorf("StatusCode = %d, want %d", respErr.StatusCode, tt.status)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("err = %q, want it to say %q", err, tt.reason)
			}
		})
	}
}

func TestNewEndpoint(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		endpoint string
		region   string
		errText  string
	}{
		{name: "default", endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1"},
		{name: "region option", opts: Options{Region: "eu-west-1"}, endpoint: "https://sts.eu-west-1.amazonaws.com/", region: "eu-west-1"},
		{name: "http localhost", opts: Options{EndpointURL: "http://localhost:5000"}, endpoint: "http://localhost:5000/", region: "us-east-1"},
		{name: "http ipv6 loopback", opts: Options{EndpointURL: "http://[::1]:5000"}, endpoint: "http://[::1]:5000/", region: "us-east-1"},
		{name: "http 127.x", opts: Options{EndpointURL: "http://127.8.9.10/"}, endpoint: "http://127.8.9.10/", region: "us-east-1"},
		{name: "http remote", opts: Options{EndpointURL: "http://sts.example.test"}, errText: "plain http is allowed only to a loopback host"},
		{name: "http private", opts: Options{EndpointURL: "http://10.0.0.1"}, errText: "plain http is allowed only to a loopback host"},
		{name: "ftp", opts: Options{EndpointURL: "ftp://127.0.0.1"}, errText: "scheme must be https"},
		{name: "no host", opts: Options{EndpointURL: "https://"}, errText: "no host"},
		{name: "relative", opts: Options{EndpointURL: "sts.amazonaws.com"}, errText: "no host"},
		{name: "userinfo", opts: Options{EndpointURL: "https://u:p@sts.example.test"}, errText: "user information"},
		{name: "query", opts: Options{EndpointURL: "https://sts.example.test/?a=b"}, errText: "query"},
		{name: "bad url", opts: Options{EndpointURL: "https://[::1"}, errText: "not a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.opts)
			if tt.errText != "" {
				var ee *EndpointError
				if !errors.As(err, &ee) || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("err = %v, want an *EndpointError saying %q", err, tt.errText)
				}
				if tt.errText == "not a URL" && ee.Err == nil {
					t.Errorf("err = %v: the parse error is not kept", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Endpoint() != tt.endpoint || c.Region() != tt.region {
				t.Errorf("endpoint, region = %s, %s; want %s, %s", c.Endpoint(), c.Region(), tt.endpoint, tt.region)
			}
		})
	}
}

func TestErrorsHideSecrets(t *testing.T) {
	// What our errors and the client add to an STS error must not show
	// the secret or the session token, in any fmt form. (A server that
	// echoes the token back in its message is covered in assume_test.go.)
	srv := serve(t, 403, "text/xml", []byte("<ErrorResponse><Error><Code>X</Code><Message>m</Message></Error></ErrorResponse>"))
	c := newTestClient(t, srv.URL, testToken)
	_, err := c.GetCallerIdentity(context.Background())
	for _, s := range []string{fmt.Sprint(err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%#v", c)} {
		if strings.Contains(s, testSecret) || strings.Contains(s, testToken) {
			t.Errorf("output shows a secret: %s", s)
		}
	}
	// And a credential provider failure is reported, not hidden.
	c2, _ := New(Options{EndpointURL: srv.URL})
	_, err = c2.GetCallerIdentity(context.Background())
	if !errors.Is(err, credentials.ErrNotFound) {
		t.Errorf("err = %v, want credentials.ErrNotFound", err)
	}
}

func TestGetCallerIdentityContext(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := newTestClient(t, srv.URL, "").GetCallerIdentity(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
}
