package sts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callerid/callerid/credentials"
)

// A hostile STS endpoint, on loopback: each case asserts the safe
// outcome, with a typed error.

const webToken = "eyJhbGciOiJSUzI1NiJ9.WEBIDENTITYSECRET.c2lnbmF0dXJl"

// sink is where a hostile endpoint redirects: it records what reaches it.
type sink struct {
	mu   sync.Mutex
	reqs []string // method, then every header and the body, of each request
	srv  *httptest.Server
}

func newSink(t *testing.T) *sink {
	s := &sink{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, fmt.Sprintf("%s %v %s", r.Method, r.Header, b))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::666666666666:user/mallory</Arn><UserId>AIDAMALLORY</UserId><Account>666666666666</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *sink) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.reqs...)
}

func TestRedirectsNeverFollowed(t *testing.T) {
	target := newSink(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(target.srv.URL, "http://"))
	locations := map[string]string{
		// Another host name (localhost is not 127.0.0.1 to net/http's
		// header-forwarding rules) and the same host on another port.
		"other host":      "http://user:hunter2@localhost:" + port + "/steal",
		"same host, port": target.srv.URL + "/steal",
	}
	type call struct {
		name string
		do   func(*Client) error
	}
	calls := []call{
		{"GetCallerIdentity", func(c *Client) error { _, err := c.GetCallerIdentity(context.Background()); return err }},
		{"AssumeRole", func(c *Client) error {
			_, err := c.AssumeRole(context.Background(), &AssumeRoleInput{RoleARN: "arn:aws:iam::111122223333:role/r", RoleSessionName: "session"})
			return err
		}},
		{"AssumeRoleWithWebIdentity", func(c *Client) error {
			_, err := c.AssumeRoleWithWebIdentity(context.Background(), &AssumeRoleWithWebIdentityInput{
				RoleARN: "arn:aws:iam::111122223333:role/r", RoleSessionName: "session", WebIdentityToken: credentials.NewSecret(webToken)})
			return err
		}},
	}
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusMovedPermanently, http.StatusPermanentRedirect, http.StatusSeeOther} {
		for where, loc := range locations {
			srv := httptest.NewServer(http.RedirectHandler(loc, status))
			t.Cleanup(srv.Close)
			for _, user := range []bool{false, true} {
				var given *http.Client
				if user {
					given = &http.Client{Timeout: 10 * time.Second}
				}
				c, err := New(Options{EndpointURL: srv.URL, HTTPClient: given,
					Credentials: credentials.NewStaticProvider("AKIDEXAMPLE", testSecret, testToken), Retry: RetryOptions{Jitter: noJitter}})
				if err != nil {
					t.Fatal(err)
				}
				for _, call := range calls {
					name := fmt.Sprintf("%d to %s, user's client %v, %s", status, where, user, call.name)
					err := call.do(c)
					var re *RedirectError
					var opErr *OperationError
					if !errors.As(err, &re) || re.StatusCode != status || !errors.As(err, &opErr) {
						t.Errorf("%s: err = %v, want an *OperationError wrapping a *RedirectError of %d", name, err, status)
						continue
					}
					if want := strings.Replace(loc, "user:hunter2@", "", 1); re.Location != want {
						t.Errorf("%s: Location = %q, want %q", name, re.Location, want)
					}
					if opErr.Attempts != 1 {
						t.Errorf("%s: %d attempts; a redirect is not retried", name, opErr.Attempts)
					}
					if s := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(s, "hunter2") || strings.Contains(s, testToken) || strings.Contains(s, webToken) {
						t.Errorf("%s: the error shows a secret: %s", name, s)
					}
				}
				if given != nil && given.CheckRedirect != nil {
					t.Error("the caller's client was changed")
				}
			}
		}
	}
	if got := target.requests(); len(got) != 0 {
		t.Errorf("the redirect target was sent %d requests, the first: %.400s", len(got), got[0])
	}
}

// An https endpoint redirecting to plain http: not followed, with a
// user's client that trusts the endpoint's certificate.
func TestRedirectDowngradeRefused(t *testing.T) {
	target := newSink(t)
	srv := httptest.NewTLSServer(http.RedirectHandler(target.srv.URL+"/", http.StatusTemporaryRedirect))
	defer srv.Close()
	client := srv.Client()
	c, err := New(Options{EndpointURL: srv.URL, HTTPClient: client,
		Credentials: credentials.NewStaticProvider("AKIDEXAMPLE", testSecret, testToken)})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.GetCallerIdentity(context.Background())
	var re *RedirectError
	if !errors.As(err, &re) || !strings.HasPrefix(re.Location, "http://127.0.0.1:") {
		t.Fatalf("identity %+v, err = %v; want a *RedirectError to the http URL", id, err)
	}
	if n := len(target.requests()); n != 0 || client.CheckRedirect != nil {
		t.Errorf("the http target got %d requests; client changed: %v", n, client.CheckRedirect != nil)
	}
}

// hostile answers to GetCallerIdentity, signed with a session token.
func TestHostileAnswers(t *testing.T) {
	huge := strings.Repeat("A", 900<<10)
	echo := func(r *http.Request) string {
		return r.Header.Get("X-Amz-Security-Token") + " " + r.Header.Get("Authorization")
	}
	errDoc := func(code, msg string) string {
		return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + msg + "</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"
	}
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request)
		api     bool   // want an *APIError, else a *ResponseError
		want    string // in the error
	}{
		{"900 KiB message", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(403)
			fmt.Fprint(w, errDoc("AccessDenied", huge))
		}, true, `AccessDenied (HTTP 403): "AAAA`},
		{"900 KiB code", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(403)
			fmt.Fprint(w, errDoc(huge, "m"))
		}, true, `AAAA...`},
		{"newlines and the echoed token and Authorization", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(403)
			fmt.Fprint(w, errDoc("Access\nDenied", "bad\n2026/12/02 FAKE LOG LINE\r\x7f\u2028 "+echo(r)))
		}, true, "<redacted>"},
		{"echoed token in the code and request id", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Amzn-Requestid", r.Header.Get("X-Amz-Security-Token"))
			w.WriteHeader(400)
			fmt.Fprint(w, "<ErrorResponse><Error><Code>"+r.Header.Get("X-Amz-Security-Token")+"</Code></Error></ErrorResponse>")
		}, true, "<redacted>"},
		{"900 KiB root element name", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "<"+huge+"/>")
		}, false, "root element"},
		{"root element name with the token", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "<X"+r.Header.Get("X-Amz-Security-Token")+"/>")
		}, false, "<redacted>"},
		{"syntax error quoting a huge name", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "<GetCallerIdentityResponse><"+huge+"></b></GetCallerIdentityResponse>")
		}, false, "malformed"},
		{"JSON error with the echoed token", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(403)
			fmt.Fprintf(w, `{"Error":{"Code":"X","Message":"%s\n%s"}}`, echo(r), huge)
		}, true, "<redacted>"},
		{"JSON with many hostile keys", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			var b strings.Builder
			b.WriteString("{")
			for i := 0; i < 5000; i++ {
				fmt.Fprintf(&b, `"k%d\n%s":1,`, i, strings.Repeat("x", 100))
			}
			b.WriteString(`"z":1}`)
			fmt.Fprint(w, b.String())
		}, false, "not a GetCallerIdentityResponse"},
		{"wrong content type: HTML", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html\n; x="+huge)
			fmt.Fprint(w, "<html><body>captive portal</body></html>")
		}, false, "root element <html>"},
		{"wrong content type: JSON header, XML body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, "<GetCallerIdentityResponse/>")
		}, false, "malformed JSON"},
		{"truncated body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "5000")
			fmt.Fprint(w, "<GetCallerIdentityResponse><GetCallerIdentityResult>")
		}, false, "reading body"},
		{"huge body", func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < 2; i++ {
				fmt.Fprint(w, huge)
			}
		}, false, "larger than 1 MiB"},
		{"deeply nested", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "<ErrorResponse>"+strings.Repeat("<a>", 3000))
		}, false, "nested more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(tt.handler))
			defer srv.Close()
			c, err := New(Options{EndpointURL: srv.URL, Credentials: credentials.NewStaticProvider("AKIDEXAMPLE", testSecret, testToken),
				Retry: RetryOptions{MaxAttempts: 1}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetCallerIdentity(context.Background())
			var apiErr *APIError
			var respErr *ResponseError
			if tt.api && !errors.As(err, &apiErr) || !tt.api && !errors.As(err, &respErr) {
				t.Fatalf("err = %.300v (%T), want an *APIError %v / *ResponseError %v", err, errors.Unwrap(err), tt.api, !tt.api)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("err = %.500q, want it to contain %q", msg, tt.want)
			}
			checkSafe(t, msg)
			for e := error(err); e != nil; e = errors.Unwrap(e) {
				checkSafe(t, e.Error())
			}
			if apiErr != nil {
				for _, f := range []string{apiErr.Code, apiErr.Message, apiErr.Type, apiErr.RequestID} {
					checkSafe(t, f)
				}
			}
		})
	}
}

// checkSafe fails if s is long, spans lines, or shows a secret.
func checkSafe(t *testing.T, s string) {
	t.Helper()
	if len(s) > 4<<10 {
		t.Errorf("error text is %d bytes long", len(s))
	}
	if strings.ContainsAny(s, "\n\r\x1b\x7f\u2028") {
		t.Errorf("error text holds a control character: %.300q", s)
	}
	for _, secret := range []string{testToken, testSecret, webToken} {
		if strings.Contains(s, secret) {
			t.Errorf("error text shows a secret: %.300q", s)
		}
	}
	if i := strings.Index(s, "Signature="); i >= 0 && !strings.HasPrefix(s[i+len("Signature="):], "<redacted>") {
		t.Errorf("error text shows the signature: %.300q", s)
	}
}

// A server that sends its headers, then the body a byte at a time, or
// nothing, cannot hold a call past its context.
func TestSlowAnswersBoundedByContext(t *testing.T) {
	for _, headers := range []bool{false, true} {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if headers {
				w.Header().Set("Content-Length", "100000")
				w.WriteHeader(200)
				for i := 0; i < 100; i++ {
					w.Write([]byte("<"))
					w.(http.Flusher).Flush()
					select {
					case <-release:
						return
					case <-time.After(50 * time.Millisecond):
					}
				}
			}
			<-release
		}))
		c, err := New(Options{EndpointURL: srv.URL, Credentials: credentials.NewStaticProvider("AKIDEXAMPLE", testSecret, testToken)})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		start := time.Now()
		_, err = c.GetCallerIdentity(ctx)
		cancel()
		if took := time.Since(start); err == nil || took > 3*time.Second || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("headers %v: err = %v after %v; want the context's deadline, at once", headers, err, took)
		}
		close(release)
		srv.Close()
	}
}

// Hostile XML is refused before the decoder allocates in proportion to its
// depth or size: a 1 MiB document of any shape costs a few MiB at most.
func TestHostileXMLBoundedMemory(t *testing.T) {
	const mib = 1 << 20
	docs := map[string][]byte{
		"deep":       []byte("<ErrorResponse>" + strings.Repeat("<a>", mib/3)),
		"deep error": []byte("<ErrorResponse><Error>" + strings.Repeat("<Code>", mib/6)),
		"deep result": []byte("<GetCallerIdentityResponse><GetCallerIdentityResult>" +
			strings.Repeat("<Arn>", mib/5)),
		"wide":       []byte("<GetCallerIdentityResponse>" + strings.Repeat("<a/>", mib/4) + "</GetCallerIdentityResponse>"),
		"attributes": []byte("<GetCallerIdentityResponse " + attrs(mib) + "/>"),
		"namespaces": []byte("<GetCallerIdentityResponse>" + strings.Repeat(`<a xmlns:x="y">`, mib/16)),
	}
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/xml"}}}
	for name, body := range docs {
		var out struct{ Arn string }
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := decodeResponse("GetCallerIdentity", resp, body, &out)
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*mib {
			t.Errorf("%s: decoding %d KiB allocated %d KiB", name, len(body)>>10, alloc>>10)
		}
		var respErr *ResponseError
		if !errors.As(err, &respErr) {
			t.Errorf("%s: err = %.200v, want a *ResponseError", name, err)
		} else if len(err.Error()) > 4<<10 {
			t.Errorf("%s: error is %d bytes", name, len(err.Error()))
		}
	}
}

func attrs(n int) string {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `a%d="" `, i)
	}
	return b.String()
}
