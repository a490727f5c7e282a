package callerid

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sts"
)

// failingSTS is an STS on loopback that never answers well: each request
// it reads is answered as its mode says (an error document with a status,
// a connection reset, or no answer until the client gives up). It counts
// the requests, and keeps the Authorization header of the last one.
type failingSTS struct {
	addr   string
	answer func(s *failingSTS, c net.Conn) // answers one request; nil: reset
	done   chan struct{}

	mu       sync.Mutex
	requests int
	auth     string
}

// stsError answers every request with an STS error document.
func stsError(status int, code string) func(*failingSTS, net.Conn) {
	return func(_ *failingSTS, c net.Conn) {
		body := `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>` + code +
			`</Code><Message>failing on purpose</Message></Error><RequestId>4c4a5d12-0000-0000-0000-000000000000</RequestId></ErrorResponse>`
		fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n%s", status, http.StatusText(status), len(body), body)
	}
}

func newFailingSTS(t *testing.T, answer func(*failingSTS, net.Conn)) *failingSTS {
	t.Helper()
	s := &failingSTS{answer: answer, done: make(chan struct{})}
	s.addr = peertest.ServeConns(t, 90*time.Second, s.serve)
	// Registered after ServeConns, so run before it waits: releases the
	// connections hang holds.
	t.Cleanup(func() { close(s.done) })
	return s
}

// hang is the answer that never comes: the connection stays open, silent,
// until the client closes it or the server stops.
func (s *failingSTS) hang(c net.Conn) {
	go func() { <-s.done; c.Close() }()
	io.Copy(io.Discard, c)
}

func (s *failingSTS) URL() string { return "http://" + s.addr }

// serve reads the requests of one connection and answers each.
func (s *failingSTS) serve(c net.Conn) {
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body)
		s.mu.Lock()
		s.requests++
		s.auth = req.Header.Get("Authorization")
		s.mu.Unlock()
		if s.answer == nil {
			c.(*net.TCPConn).SetLinger(0)
			return
		}
		s.answer(s, c)
	}
}

// take returns the number of requests so far and the last Authorization
// header, and forgets them.
func (s *failingSTS) take() (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, a := s.requests, s.auth
	s.requests, s.auth = 0, ""
	return n, a
}

// stsPeerRun runs aws sts get-caller-identity and Whoami in the same
// environment (a fresh HOME, static keys, the fake at
// AWS_ENDPOINT_URL_STS, env on top) and returns how many requests each
// made and their errors. cliArgs go to the CLI; opts to Whoami.
func stsPeerRun(t *testing.T, s *failingSTS, env map[string]string, cliArgs []string, opts ...Option) (cli, lib int, cliRes peertest.CLIResult, libErr error) {
	t.Helper()
	e := peertest.AWSEnv(t, map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": testSecret,
		"AWS_ENDPOINT_URL_STS": s.URL(),
	})
	for k, v := range env {
		e[k] = v
	}
	cliRes = peertest.AWSCLI(t, e, append([]string{"sts", "get-caller-identity"}, cliArgs...)...)
	cli, _ = s.take()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, libErr = Whoami(ctx, append([]Option{WithGetenv(envMap(e))}, opts...)...)
	lib, _ = s.take()
	return cli, lib, cliRes, libErr
}

// TestSTSTransportRetriesAgainstTheCLI: a connection reset, or an answer
// that does not come before the HTTP client's time-out, is retried by
// Whoami as often as by the AWS CLI (retry_mode standard: 3 attempts).
// (Both wait their real backoff: the attempts are few.)
func TestSTSTransportRetriesAgainstTheCLI(t *testing.T) {
	peertest.Require(t, "aws")
	tests := []struct {
		name string
		hang bool
	}{
		{name: "connection reset"},
		{name: "no answer before the time-out", hang: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var answer func(*failingSTS, net.Conn) // a reset
			if tt.hang {
				answer = (*failingSTS).hang
			}
			s := newFailingSTS(t, answer)
			cli, lib, res, err := stsPeerRun(t, s, map[string]string{"AWS_RETRY_MODE": "standard"},
				[]string{"--cli-read-timeout", "1"}, WithHTTPClient(&http.Client{Timeout: time.Second}))
			if res.ExitCode == 0 || err == nil {
				t.Fatalf("the CLI exited %d, Whoami's error is %v; want both to fail", res.ExitCode, err)
			}
			var opErr *sts.OperationError
			if !errors.As(err, &opErr) || opErr.Attempts != lib {
				t.Errorf("Whoami: %v; want an *sts.OperationError of %d attempts", err, lib)
			}
			if cli != 3 || lib != cli {
				t.Errorf("the CLI sent %d requests (stderr %q), Whoami %d; want 3 each", cli, strings.TrimSpace(res.Stderr), lib)
			}
		})
	}
}

// TestSTSRetryModesAgainstTheCLI: under each retry mode, and with
// max_attempts, an STS that keeps failing gets as many requests from
// Whoami as from the AWS CLI: legacy (the default) retries 429, 5xx, 509
// and 400 with its throttling codes 5 times; standard and adaptive retry
// their own codes 3 times; an unknown mode fails before any request.
// (Both wait their real backoff; the rows run in parallel.)
func TestSTSRetryModesAgainstTheCLI(t *testing.T) {
	peertest.Require(t, "aws")
	tests := []struct {
		name        string
		env         map[string]string
		status      int
		code        string
		want        int    // requests from each
		wantSetting string // a *ConfigError's, and no request
	}{
		{name: "legacy: 400 Throttling", status: 400, code: "Throttling", want: 5},
		{name: "legacy: 429", status: 429, code: "Foo", want: 5},
		{name: "legacy: 509", status: 509, code: "Foo", want: 5},
		{name: "legacy: 403 Throttling", status: 403, code: "Throttling", want: 1},
		{name: "legacy: 400 RequestTimeout", status: 400, code: "RequestTimeout", want: 1},
		{name: "legacy: max_attempts 2", env: map[string]string{"AWS_MAX_ATTEMPTS": "2"}, status: 500, code: "InternalFailure", want: 2},
		{name: "standard: 400 RequestTimeout", env: map[string]string{"AWS_RETRY_MODE": "standard"}, status: 400, code: "RequestTimeout", want: 3},
		{name: "standard: 429", env: map[string]string{"AWS_RETRY_MODE": "standard"}, status: 429, code: "Foo", want: 1},
		{name: "adaptive: 403 Throttling", env: map[string]string{"AWS_RETRY_MODE": "adaptive"}, status: 403, code: "Throttling", want: 3},
		{name: "standard: max_attempts 4", env: map[string]string{"AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "4"}, status: 503, code: "ServiceUnavailable", want: 4},
		{name: "unknown mode", env: map[string]string{"AWS_RETRY_MODE": "fast"}, status: 400, code: "Throttling", wantSetting: "AWS_RETRY_MODE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newFailingSTS(t, stsError(tt.status, tt.code))
			cli, lib, res, err := stsPeerRun(t, s, tt.env, nil)
			if res.ExitCode == 0 || err == nil {
				t.Fatalf("the CLI exited %d, Whoami's error is %v; want both to fail", res.ExitCode, err)
			}
			if tt.wantSetting != "" {
				var ce *ConfigError
				if !errors.As(err, &ce) || ce.Setting != tt.wantSetting || cli != 0 || lib != 0 {
					t.Errorf("Whoami: %v after %d requests; the CLI: %q after %d; want a *ConfigError of %s and none",
						err, lib, strings.TrimSpace(res.Stderr), cli, tt.wantSetting)
				}
				return
			}
			var apiErr *sts.APIError
			if !errors.As(err, &apiErr) || apiErr.Code != tt.code {
				t.Errorf("Whoami: %v; want an *sts.APIError %s", err, tt.code)
			}
			if cli != tt.want || lib != cli {
				t.Errorf("the CLI sent %d requests (stderr %q), Whoami %d; want %d each", cli, strings.TrimSpace(res.Stderr), lib, tt.want)
			}
		})
	}
}

// TestCustomEndpointSigningAgainstTheCLI: an endpoint URL is signed for
// the configured region, whatever region its host names, by the AWS CLI
// and by LoadConfig's STS client. The CLI's request goes, over plain
// http, through a proxy on loopback that records its Authorization
// header and answers with an error: nothing leaves the machine. (The
// library, which refuses plain http to other hosts, is given the https
// form of the same URL.)
func TestCustomEndpointSigningAgainstTheCLI(t *testing.T) {
	peertest.Require(t, "aws")
	tests := []struct{ host, region string }{
		{"sts.eu-west-1.amazonaws.com", "us-east-2"},
		{"sts.amazonaws.com", "eu-west-2"},
		{"sts-fips.cn-north-1.amazonaws.com.cn", "us-east-1"},
		{"sts.example.test", "aws-global"},
	}
	for _, tt := range tests {
		t.Run(tt.host+" in "+tt.region, func(t *testing.T) {
			t.Parallel()
			proxy := newFailingSTS(t, stsError(403, "AccessDenied"))
			env := peertest.AWSEnv(t, map[string]string{
				"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": testSecret,
				"AWS_DEFAULT_REGION": tt.region, "AWS_MAX_ATTEMPTS": "1",
				"HTTP_PROXY": proxy.URL(), "AWS_ENDPOINT_URL_STS": "http://" + tt.host,
			})
			res := peertest.AWSCLI(t, env, "sts", "get-caller-identity")
			n, auth := proxy.take()
			_, scope, _ := strings.Cut(auth, "Credential=AKIAIOSFODNN7EXAMPLE/")
			parts := strings.Split(scope, "/") // date/region/sts/aws4_request,...
			if n != 1 || len(parts) < 3 || parts[2] != "sts" {
				t.Fatalf("the CLI sent %d requests, Authorization %q (stderr %q); want one, signed", n, auth, res.Stderr)
			}
			cliRegion := parts[1]

			env["AWS_ENDPOINT_URL_STS"] = "https://" + tt.host
			cfg, err := LoadConfig(context.Background(), WithGetenv(envMap(env)))
			if err != nil {
				t.Fatal(err)
			}
			c, err := cfg.STS()
			if err != nil {
				t.Fatal(err)
			}
			if c.SigningRegion() != cliRegion || cliRegion != tt.region {
				t.Errorf("LoadConfig's client signs for %q, the CLI for %q; want the configured %q", c.SigningRegion(), cliRegion, tt.region)
			}
		})
	}
}
