package credentials

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Hostile metadata and container services: each case asserts the safe
// outcome (a typed error, nothing sent elsewhere, no token in the error,
// a bounded message, no wait past the context).

// redirectTarget counts what reaches it and what tokens it was sent.
type redirectTarget struct {
	hits   atomic.Int32
	tokens atomic.Value // string: the last token header seen
	srv    *httptest.Server
}

func newRedirectTarget(t *testing.T) *redirectTarget {
	rt := &redirectTarget{}
	rt.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt.hits.Add(1)
		rt.tokens.Store(r.Header.Get("X-aws-ec2-metadata-token") + r.Header.Get("Authorization"))
		fmt.Fprint(w, imdsCredsJSON)
	}))
	t.Cleanup(rt.srv.Close)
	return rt
}

func TestIMDSUserClientDoesNotFollowRedirects(t *testing.T) {
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusMovedPermanently, http.StatusPermanentRedirect} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			target := newRedirectTarget(t)
			f, srv := newIMDS(t)
			imds := srv.Config.Handler
			var gets atomic.Int32
			// The target is another port of the same host (127.0.0.1).
			srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					gets.Add(1)
					http.Redirect(w, r, "http://user:hunter2@"+strings.TrimPrefix(target.srv.URL, "http://")+"/steal", status)
					return
				}
				imds.ServeHTTP(w, r)
			})
			client := &http.Client{Timeout: 5 * time.Second}
			p := &IMDSProvider{Getenv: envMap(nil), Endpoint: srv.URL, Client: client, Attempts: 3}
			_, err := p.Retrieve(context.Background())
			var re *RedirectError
			if !errors.As(err, &re) || re.StatusCode != status {
				t.Fatalf("err = %v, want a *RedirectError with status %d", err, status)
			}
			if want := target.srv.URL + "/steal"; re.Location != want {
				t.Errorf("Location = %q, want %q (no user information)", re.Location, want)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "TOKEN-") {
				t.Errorf("the error quotes a password or the token: %v", err)
			}
			if n := target.hits.Load(); n != 0 {
				t.Errorf("the redirect target got %d requests (token %q)", n, target.tokens.Load())
			}
			if client.CheckRedirect != nil {
				t.Error("the caller's client was changed")
			}
			if puts, _ := f.counts(); puts != 1 || gets.Load() != 1 {
				t.Errorf("%d PUTs, %d GETs; want 1 and 1: a redirect is not retried", puts, gets.Load())
			}
		})
	}
}

func TestIMDSTokenRedirectNotFollowed(t *testing.T) {
	target := newRedirectTarget(t)
	srv := httptest.NewServer(http.RedirectHandler(target.srv.URL+"/latest/api/token", http.StatusTemporaryRedirect))
	defer srv.Close()
	for _, client := range []*http.Client{nil, {}} {
		p := &IMDSProvider{Getenv: envMap(nil), Endpoint: srv.URL, Client: client}
		_, err := p.Retrieve(context.Background())
		var re *RedirectError
		if !errors.As(err, &re) || re.StatusCode != 307 {
			t.Errorf("client %v: err = %v, want a *RedirectError", client, err)
		}
	}
	if target.hits.Load() != 0 {
		t.Errorf("the redirect target got %d requests", target.hits.Load())
	}
}

func TestContainerRedirectTyped(t *testing.T) {
	for _, client := range []*http.Client{nil, {Timeout: 5 * time.Second}} {
		target := newRedirectTarget(t)
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			// A Location with a line break would be refused by net/http's
			// writer; a long one with escapes is not.
			http.Redirect(w, r, target.srv.URL+"/"+strings.Repeat("%0A", 2000), http.StatusFound)
		}))
		p := &ContainerProvider{Getenv: envMap(map[string]string{
			"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds",
			"AWS_CONTAINER_AUTHORIZATION_TOKEN":  "container-secret-token",
		}), Client: client, RetryDelay: time.Millisecond}
		_, err := p.Retrieve(context.Background())
		srv.Close()
		var re *RedirectError
		if !errors.As(err, &re) || re.StatusCode != http.StatusFound {
			t.Fatalf("err = %v, want a *RedirectError", err)
		}
		if len(re.Location) > 520 || len(err.Error()) > 2048 || strings.ContainsAny(err.Error(), "\n\r") {
			t.Errorf("unbounded or multi-line error (%d bytes): %q", len(err.Error()), err)
		}
		if target.hits.Load() != 0 || hits.Load() != 1 {
			t.Errorf("target %d requests, service %d: want 0 and 1 (a redirect is not retried)", target.hits.Load(), hits.Load())
		}
		if client != nil && client.CheckRedirect != nil {
			t.Error("the caller's client was changed")
		}
	}
}

func TestContainerHostileAnswers(t *testing.T) {
	const token = "container-secret-token"
	huge := strings.Repeat("A", 900<<10)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string // in the error
	}{
		{"huge message", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"code":"Bad","message":"%s"}`, huge)
		}, "HTTP 400: Bad: AAAA"},
		{"newlines and echoed token", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(401)
			fmt.Fprintf(w, `{"code":"InvalidToken\nFAKE LOG LINE","message":"token %s\r\nis bad"}`, r.Header.Get("Authorization"))
		}, "<redacted>"},
		{"echoed token in a malformed header", func(w http.ResponseWriter, r *http.Request) {
			hj, _ := w.(http.Hijacker)
			conn, buf, _ := hj.Hijack()
			defer conn.Close()
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nBad Header %s\r\n\r\n", r.Header.Get("Authorization"))
			buf.Flush()
		}, "malformed"},
		{"huge body", func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < 3; i++ {
				fmt.Fprint(w, huge)
			}
		}, "larger than"},
		{"truncated body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			fmt.Fprint(w, containerJSON[:20])
		}, "unexpected EOF"},
		{"wrong content type, HTML", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html>captive portal</html>")
		}, "response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			p := &ContainerProvider{Getenv: envMap(map[string]string{
				"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds",
				"AWS_CONTAINER_AUTHORIZATION_TOKEN":  token,
			}), Attempts: 1}
			_, err := p.Retrieve(context.Background())
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *credentials.Error", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("err = %.300q, want it to contain %q", msg, tt.want)
			}
			if strings.Contains(msg, token) || strings.ContainsAny(msg, "\n\r") || len(msg) > 2048 {
				t.Errorf("unsafe error (%d bytes): %.500q", len(msg), msg)
			}
		})
	}
}

// A service that accepts the connection and never answers (or answers a
// byte at a time) cannot hold Retrieve past its context.
func TestSlowLorisBoundedByContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				for _, b := range []byte("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{") {
					select {
					case <-stop:
						return
					case <-time.After(50 * time.Millisecond):
					}
					c.Write([]byte{b})
				}
				<-stop
			}()
		}
	}()
	base := "http://" + ln.Addr().String()
	providers := map[string]Provider{
		"container": &ContainerProvider{Getenv: envMap(map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": base + "/creds"}),
			Timeout: time.Hour, Client: &http.Client{}},
		"imds": &IMDSProvider{Getenv: envMap(nil), Endpoint: base, Timeout: time.Hour, Client: &http.Client{}},
	}
	for name, p := range providers {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		start := time.Now()
		_, err := p.Retrieve(ctx)
		cancel()
		if err == nil || time.Since(start) > 3*time.Second {
			t.Errorf("%s: err = %v after %v", name, err, time.Since(start))
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err = %v, want it to wrap context.DeadlineExceeded", name, err)
		}
	}
}

func TestIMDSHostileAnswers(t *testing.T) {
	huge := strings.Repeat("R", 900<<10)
	tests := []struct {
		name  string
		setup func(f *fakeIMDS)
		want  string
	}{
		{"echoed token and newlines in Message", func(f *fakeIMDS) {
			f.credsBody = `{"Code":"Failed\nFAKE","Message":"token TOKEN-1\n2026/12/02 FAKE LOG LINE ` + huge + `"}`
		}, `Code "Failed FAKE": "token <redacted>`},
		{"huge role name", func(f *fakeIMDS) {
			f.role = huge
			f.credsStatus = http.StatusInternalServerError
		}, "not an IAM name"},
		{"role name with a line break", func(f *fakeIMDS) {
			f.role = "evil role\rFAKE"
		}, "not an IAM name"},
		{"not JSON", func(f *fakeIMDS) { f.credsBody = "<html>\n" + huge }, "response"},
		{"truncated JSON", func(f *fakeIMDS) { f.credsBody = imdsCredsJSON[:40] }, "response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newIMDS(t)
			tt.setup(f)
			p := &IMDSProvider{Getenv: envMap(nil), Endpoint: srv.URL, Timeout: 5 * time.Second}
			_, err := p.Retrieve(context.Background())
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %.300v, want a *credentials.Error", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("err = %.300q, want it to contain %q", msg, tt.want)
			}
			if strings.Contains(msg, "TOKEN-1") || strings.ContainsAny(msg, "\n\r") || len(msg) > 2048 {
				t.Errorf("unsafe error (%d bytes): %.300q", len(msg), msg)
			}
		})
	}
}
