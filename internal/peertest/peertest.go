// Package peertest starts the real peers that callerid's tests talk to:
// moto_server, an STS and IAM emulator, and the AWS CLI.
//
// A test that needs a peer calls Require, which skips the test with a clear
// message when the peer is not installed, or fails it when the environment
// variable CALLERID_REQUIRE_PEERS is 1 (as CI sets it), so a missing peer
// cannot pass unnoticed. Every peer listens on loopback only, every wait is
// bounded, and every process is stopped when the test ends.
package peertest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Require returns the path of the named program, skipping t when it is
// not installed, or failing t when CALLERID_REQUIRE_PEERS=1. Under -short
// every peer is skipped: CI runs the peers once, in its -race run, and the
// Go 1.22 run with -short.
func Require(t testing.TB, program string) string {
	t.Helper()
	if testing.Short() {
		t.Skipf("peer %s is not run under -short (CI runs the peers in its -race run)", program)
	}
	path, err := exec.LookPath(program)
	if err == nil {
		return path
	}
	if os.Getenv("CALLERID_REQUIRE_PEERS") == "1" {
		t.Fatalf("peer %s is not installed, and CALLERID_REQUIRE_PEERS=1 requires it: %v", program, err)
	}
	t.Skipf("peer %s is not installed (%v); set CALLERID_REQUIRE_PEERS=1 to make this a failure", program, err)
	return ""
}

// Moto is a running moto_server.
type Moto struct {
	// URL is the server's base URL, http://127.0.0.1:PORT.
	URL string

	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{}
}

// StartMoto starts moto_server on a free loopback port and waits until it
// answers. With noAuth > 0 the first noAuth actions run unauthenticated and
// every later request has its access key and SigV4 signature checked. The
// server is stopped when t ends.
func StartMoto(t testing.TB, noAuth int) *Moto {
	t.Helper()
	bin := Require(t, "moto_server")
	var lastErr error
	for try := 0; try < 3; try++ {
		m, err := startMoto(bin, noAuth)
		if err == nil {
			t.Cleanup(func() {
				m.stop()
				if t.Failed() {
					t.Logf("moto_server output:\n%s", m.logs.String())
				}
			})
			return m
		}
		lastErr = err
	}
	t.Fatalf("starting moto_server: %v", lastErr)
	return nil
}

func startMoto(bin string, noAuth int) (*Moto, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	m := &Moto{
		URL:  "http://127.0.0.1:" + strconv.Itoa(port),
		logs: &syncBuffer{},
		done: make(chan struct{}),
	}
	m.cmd = exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	m.cmd.Env = append(os.Environ(), "INITIAL_NO_AUTH_ACTION_COUNT="+strconv.Itoa(noAuth))
	m.cmd.Stdout = m.logs
	m.cmd.Stderr = m.logs
	m.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := m.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { m.cmd.Wait(); close(m.done) }()

	// Poll moto's own API, which does not count as an action, until it
	// answers; give up after 30 seconds.
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-m.done:
			return nil, fmt.Errorf("moto_server exited early: %s", m.logs.String())
		default:
		}
		resp, err := client.Get(m.URL + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
			return m, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	m.stop()
	return nil, fmt.Errorf("moto_server did not answer on %s within 30s: %s", m.URL, m.logs.String())
}

// stop ends the server's process group and waits for it, at most 10 s.
func (m *Moto) stop() {
	if m.cmd.Process == nil {
		return
	}
	syscall.Kill(-m.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-m.done:
		return
	case <-time.After(5 * time.Second):
	}
	syscall.Kill(-m.cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-m.done:
	case <-time.After(5 * time.Second):
	}
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// CLIResult is what an AWS CLI run printed and how it exited.
type CLIResult struct {
	Stdout, Stderr string // what it printed
	ExitCode       int    // its exit status, 0 on success
}

// AWSEnv returns an environment for the AWS CLI (and for callerid) that
// reads no files and no instance metadata of this machine: a fresh HOME,
// empty shared files, region us-east-1, and the given variables on top.
func AWSEnv(t testing.TB, vars map[string]string) map[string]string {
	t.Helper()
	home := t.TempDir()
	env := map[string]string{
		"HOME":                        home,
		"PATH":                        os.Getenv("PATH"),
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_DEFAULT_REGION":          "us-east-1",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_PAGER":                   "",
	}
	for _, k := range []string{"PYENV_ROOT", "PYENV_VERSION", "LANG", "LC_ALL"} {
		if v, ok := os.LookupEnv(k); ok {
			env[k] = v
		}
	}
	for k, v := range vars {
		env[k] = v
	}
	return env
}

// AWSCLI runs the AWS CLI with args in env and returns what it printed. It
// is killed after 60 seconds.
func AWSCLI(t testing.TB, env map[string]string, args ...string) CLIResult {
	t.Helper()
	bin := Require(t, "aws")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = 5 * time.Second
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := CLIResult{Stdout: stdout.String(), Stderr: stderr.String()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok || ctx.Err() != nil {
			t.Fatalf("aws %v: %v (ctx: %v)\nstderr: %s", args, err, ctx.Err(), res.Stderr)
		}
		res.ExitCode = ee.ExitCode()
	}
	return res
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b.Len() > 1<<20 { // keep the first MiB of logs
		return len(p), nil
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// ServeConns listens on a free loopback port and hands each connection to
// handle, in a goroutine of its own, with a deadline timeout away; the
// connection is closed when handle returns. When t ends, it stops
// listening and waits for every handle to return (a handle that may block
// must be released by a cleanup t runs first: one registered after this
// call). It returns the listener's address, host:port. Tests use it for
// proxies and misbehaving servers that net/http/httptest cannot be.
func ServeConns(t testing.TB, timeout time.Duration, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(timeout))
				handle(c)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().String()
}

// ProxyTarget is what a request to a proxy asked for: the host:port of a
// CONNECT, or "not a CONNECT: METHOD URL" for any other request.
func ProxyTarget(req *http.Request) string {
	if req.Method != http.MethodConnect {
		return "not a CONNECT: " + req.Method + " " + req.URL.String()
	}
	return req.Host
}
