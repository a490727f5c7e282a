package callerid

import (
	"bufio"
	"context"
	"errors"
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
	ln     net.Listener
	answer func(s *failingSTS, c net.Conn) // answers one request; nil: reset
	wg     sync.WaitGroup
	done   chan struct{}

	mu       sync.Mutex
	requests int
	auth     string
}

func newFailingSTS(t *testing.T, answer func(*failingSTS, net.Conn)) *failingSTS {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &failingSTS{ln: ln, answer: answer, done: make(chan struct{})}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() { close(s.done); ln.Close(); s.wg.Wait() })
	return s
}

// hang is the answer that never comes: the connection stays open, silent,
// until the client closes it or the server stops.
func (s *failingSTS) hang(c net.Conn) {
	go func() { <-s.done; c.Close() }()
	io.Copy(io.Discard, c)
}

func (s *failingSTS) URL() string { return "http://" + s.ln.Addr().String() }

func (s *failingSTS) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			c.SetDeadline(time.Now().Add(90 * time.Second))
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
		}()
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
