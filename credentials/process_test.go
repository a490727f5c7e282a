//go:build unix

package credentials

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// helper returns a ProcessProvider that runs the test binary in mode.
func helper(t *testing.T, mode, args string) *ProcessProvider {
	t.Helper()
	return &ProcessProvider{
		Command: "'" + os.Args[0] + "' " + args,
		Profile: "dev",
		Env:     append(os.Environ(), "CALLERID_TEST_HELPER="+mode),
		Stderr:  &bytes.Buffer{},
		Timeout: 20 * time.Second,
	}
}

func TestProcessProvider(t *testing.T) {
	p := helper(t, "ok", `plain "two words" 'it''s' a\ b`)
	p.AccountID = "from-profile"
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := New("AKIDPROCESS", testSecret, "")
	want.Source = "ProcessProvider(profile=dev)"
	want.AccountID = "plain|two words|its|a b"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	p = helper(t, "expiring", "")
	p.AccountID = "from-profile"
	got, err = p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want = New("ASIAPROCESS", testSecret, testToken)
	want.Source = "ProcessProvider(profile=dev)"
	want.AccountID = "from-profile" // the profile's aws_account_id when the output has none
	want.Expires = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestProcessProviderFailures(t *testing.T) {
	tests := []struct {
		mode    string
		wantMsg string
	}{
		{"fail-secret", "failed: exit status 3"},
		{"junk", "not valid JSON (syntax error at byte 1)"},
		{"version2", "unsupported Version 2; the supported version is 1"},
		{"missing", `output has no "SecretAccessKey"`},
		{"big", "printed more than 1024 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			p := helper(t, tt.mode, "--password hunter2")
			_, err := p.Retrieve(context.Background())
			var e *Error
			if !errors.As(err, &e) || e.Source != "ProcessProvider(profile=dev)" {
				t.Fatalf("err = %v, want an *Error from ProcessProvider(profile=dev)", err)
			}
			if errors.Is(err, ErrNotFound) {
				t.Errorf("a failing process is not 'not found': %v", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("err = %q, want %q", msg, tt.wantMsg)
			}
			for _, secret := range []string{"SECRETKEY", "hunter2", "Password"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error shows %q: %s", secret, msg)
				}
			}
			if !strings.Contains(msg, filepath.Base(os.Args[0])) {
				t.Errorf("error should name the program: %s", msg)
			}
		})
	}
}

func TestProcessProviderStderrPassesThrough(t *testing.T) {
	p := helper(t, "fail-secret", "")
	var stderr bytes.Buffer
	p.Stderr = &stderr
	_, err := p.Retrieve(context.Background())
	var exit *ProcessExitError
	if !errors.As(err, &exit) {
		t.Fatalf("err = %v, want a *ProcessExitError", err)
	}
	if diff := cmp.Diff([]any{os.Args[0], 3, 3}, []any{exit.Program, exit.ExitCode, exit.Err.ExitCode()}); diff != "" {
		t.Errorf("ProcessExitError's Program, ExitCode, Err.ExitCode() (-want +got):\n%s", diff)
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee != exit.Err {
		t.Errorf("err = %v: os/exec's *exec.ExitError is not its cause", err)
	}
	if got := stderr.String(); got != "helper: cannot reach the vault\n" {
		t.Errorf("stderr = %q", got)
	}
}

func TestProcessProviderTimeoutKillsTheProcess(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	p := helper(t, "hang", "'"+pidFile+"'")
	// Long enough for the race-built test binary to start and write its
	// pid on a loaded machine; the test is about the kill, not the speed.
	p.Timeout = 3 * time.Second
	start := time.Now()
	_, err := p.Retrieve(context.Background())
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("Retrieve took %v with a 3s timeout", elapsed)
	}
	if err == nil || !strings.Contains(err.Error(), "did not finish within 3s and was killed") {
		t.Fatalf("err = %v", err)
	}
	b, rerr := os.ReadFile(pidFile)
	if rerr != nil {
		t.Fatalf("the helper did not start: %v", rerr)
	}
	pid, _ := strconv.Atoi(string(b))
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process %d still exists after the timeout (kill -0: %v)", pid, err)
	}
}

// A program that leaves a child holding its stdout must not keep Retrieve
// waiting: WaitDelay closes the pipe.
func TestProcessProviderGrandchildHoldsStdout(t *testing.T) {
	dir := t.TempDir()
	script := writeFile(t, dir, "creds.sh", "#!/bin/sh\nsleep 5 &\nsleep 5\n")
	if err := os.Chmod(script, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &ProcessProvider{Command: script, Timeout: 300 * time.Millisecond, Stderr: &bytes.Buffer{}}
	start := time.Now()
	_, err := p.Retrieve(context.Background())
	if elapsed := time.Since(start); elapsed > 4*time.Second {
		t.Errorf("Retrieve took %v; the pipe should be closed %v after the kill", elapsed, processWaitDelay)
	}
	if err == nil || !strings.Contains(err.Error(), "was killed") {
		t.Fatalf("err = %v", err)
	}
}

func TestProcessProviderShellScript(t *testing.T) {
	dir := t.TempDir()
	script := writeFile(t, filepath.Join(dir, "with space"), "creds.sh", "#!/bin/sh\nprintf '{\"Version\":1,\"AccessKeyId\":\"%s\",\"SecretAccessKey\":\"s\"}' \"$1\"\n")
	if err := os.Chmod(script, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &ProcessProvider{Command: `"` + script + `" 'AKID FROM ARG'`}
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessKeyID != "AKID FROM ARG" || got.Source != "ProcessProvider" {
		t.Errorf("got %v", got)
	}
}

func TestProcessProviderBadCommands(t *testing.T) {
	tests := []struct{ cmd, want string }{
		{"", "empty command line"},
		{`"unclosed`, "no closing quotation"},
		{"/nonexistent/creds --secret s3cr3t", "no such file or directory"},
		{"callerid-no-such-program-anywhere", "executable file not found"},
	}
	for _, tt := range tests {
		_, err := (&ProcessProvider{Command: tt.cmd}).Retrieve(context.Background())
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("Command %q: err = %v, want %q", tt.cmd, err, tt.want)
		}
	}
}

func TestProcessProviderContextCanceled(t *testing.T) {
	p := helper(t, "hang", "")
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := p.Retrieve(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's error", err)
	}
}

func TestParseProcessOutput(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string
	}{
		{in: `{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"}`},
		{in: `{"Version":1e0,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":null}`},
		{in: ``, wantErr: "printed nothing"},
		{in: `null`, wantErr: "JSON null"},
		{in: `[1]`, wantErr: "output is a JSON array, not an object"},
		{in: `{"AccessKeyId":"A","SecretAccessKey":"S"}`, wantErr: `no "Version"`},
		{in: `{"Version":"1","AccessKeyId":"A","SecretAccessKey":"S"}`, wantErr: `"Version" is a string`},
		{in: `{"Version":1,"AccessKeyId":"A","SecretAccessKey":"SECRETKEY","Expiration":"SECRETKEY"}`, wantErr: `"Expiration" is not an ISO 8601 time`},
		{in: `{"Version":1,"AccessKeyId":7,"SecretAccessKey":"SECRETKEY"}`, wantErr: `"AccessKeyId" is a number; want a string`},
		{in: `{"Version":1,"AccessKeyId":"","SecretAccessKey":"SECRETKEY"}`, wantErr: `"AccessKeyId" is empty`},
		{in: `{"Version":1,"AccessKeyId":"A","SecretAccessKey":"SECRETKEY"} trailing`, wantErr: "syntax error at byte"},
		{in: `{"Version":1,"SecretAccessKey":"SECRETKEY`, wantErr: "not valid JSON"},
	}
	for _, tt := range tests {
		_, err := parseProcessOutput([]byte(tt.in))
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: err = %v, want %q", tt.in, err, tt.wantErr)
		} else if strings.Contains(err.Error(), "SECRETKEY") {
			t.Errorf("%s: error shows a secret: %v", tt.in, err)
		}
	}
}

// What the program started dies with it at the timeout: the program runs
// in a process group of its own, and the group is killed.
func TestProcessProviderTimeoutKillsTheChildren(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	script := writeFile(t, dir, "creds.sh", "#!/bin/sh\nsleep 300 >/dev/null 2>&1 &\necho $! > '"+pidFile+"'\nsleep 300\n")
	if err := os.Chmod(script, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &ProcessProvider{Command: script, Timeout: 500 * time.Millisecond, Stderr: &bytes.Buffer{}, Stdin: strings.NewReader("")}
	_, err := p.Retrieve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "was killed") {
		t.Fatalf("err = %v", err)
	}
	b, rerr := os.ReadFile(pidFile)
	if rerr != nil {
		t.Fatalf("the script did not start its child: %v", rerr)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if pid <= 0 {
		t.Fatalf("pid file holds %q", b)
	}
	// The killed child is reaped by init (or a subreaper) soon after.
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := syscall.Kill(pid, 0)
		if errors.Is(err, syscall.ESRCH) {
			return
		}
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the program's child %d survived the timeout kill (kill -0: %v)", pid, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A credential_process that answers with an Expiration in the past is
// refused, as the AWS CLI refuses it.
func TestProcessProviderRefusesExpiredCredentials(t *testing.T) {
	dir := t.TempDir()
	script := writeFile(t, dir, "creds.sh", "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"ASIAOLD\",\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\",\"Expiration\":\"2001-01-01T00:00:00Z\"}'\n")
	if err := os.Chmod(script, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &ProcessProvider{Command: script, Stderr: &bytes.Buffer{}}
	got, err := p.Retrieve(context.Background())
	var ee *ExpiredError
	if !errors.Is(err, ErrExpired) || !errors.As(err, &ee) || got.HasKeys() {
		t.Fatalf("Retrieve = %v, %v; want an *ExpiredError", got, err)
	}
	if want := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC); !ee.Expires.Equal(want) {
		t.Errorf("Expires = %v, want %v", ee.Expires, want)
	}
}

// A program that a signal ends is a *ProcessExitError with ExitCode -1,
// whose cause says which signal.
func TestProcessProviderKilledBySignal(t *testing.T) {
	script := writeFile(t, t.TempDir(), "creds.sh", "#!/bin/sh\nkill -KILL $$\n")
	if err := os.Chmod(script, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &ProcessProvider{Command: script, Stderr: &bytes.Buffer{}}
	_, err := p.Retrieve(context.Background())
	var exit *ProcessExitError
	if !errors.As(err, &exit) {
		t.Fatalf("err = %v, want a *ProcessExitError", err)
	}
	if diff := cmp.Diff([]any{script, -1}, []any{exit.Program, exit.ExitCode}); diff != "" {
		t.Errorf("ProcessExitError's Program, ExitCode (-want +got):\n%s", diff)
	}
	if want := "failed: signal: killed (see its messages on stderr)"; !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want it to say %q", err, want)
	}
	if errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v: a failing program is not 'not found'", err)
	}
}

// A ProcessExitError made without os/exec's error still says what it is.
func TestProcessExitErrorWithoutCause(t *testing.T) {
	err := &ProcessExitError{Program: "vault", ExitCode: 3}
	if got, want := err.Error(), `credential_process "vault" failed: exit status 3 (see its messages on stderr)`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if err.Unwrap() != nil {
		t.Errorf("Unwrap() = %v, want nil", err.Unwrap())
	}
}

// TestParseProcessOutputErrorFields checks what a *ProcessOutputError
// says besides its text: the key at fault, whether it is missing, and an
// unsupported Version's JSON.
func TestParseProcessOutputErrorFields(t *testing.T) {
	tests := []struct {
		in   string
		want ProcessOutputError // without Err
	}{
		{in: `hello`},
		{in: `{"AccessKeyId":"A","SecretAccessKey":"S"}`, want: ProcessOutputError{Key: "Version", Missing: true}},
		{in: `{"Version":null,"AccessKeyId":"A","SecretAccessKey":"S"}`, want: ProcessOutputError{Key: "Version", Version: "null"}},
		{in: `{"Version": 2 ,"AccessKeyId":"A","SecretAccessKey":"S"}`, want: ProcessOutputError{Key: "Version", Version: "2"}},
		{in: `{"Version":"` + strings.Repeat("9", 100) + `"}`, want: ProcessOutputError{Key: "Version", Version: `"` + strings.Repeat("9", 63) + "..."}},
		{in: `{"Version":1,"SecretAccessKey":"S"}`, want: ProcessOutputError{Key: "AccessKeyId", Missing: true}},
		{in: `{"Version":1,"AccessKeyId":"A"}`, want: ProcessOutputError{Key: "SecretAccessKey", Missing: true}},
		{in: `{"Version":1,"AccessKeyId":"A","SecretAccessKey":null}`, want: ProcessOutputError{Key: "SecretAccessKey"}},
		{in: `{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"tomorrow"}`, want: ProcessOutputError{Key: "Expiration"}},
	}
	for _, tt := range tests {
		_, err := parseProcessOutput([]byte(tt.in))
		if err == nil {
			t.Errorf("%s: no error", tt.in)
			continue
		}
		got := *err
		got.Err = nil
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tt.in, diff)
		}
	}
}

// TestProcessExpirationForms checks the forms of "Expiration" that
// ProcessProvider takes (those the AWS CLI takes that programs print),
// and that it refuses the rest with a *ProcessOutputError.
func TestProcessExpirationForms(t *testing.T) {
	utc := func(nsec int) time.Time { return time.Date(2030, 1, 2, 3, 4, 5, nsec, time.UTC) }
	for _, tt := range []struct {
		in   string
		want time.Time // zero: refused
		err  error     // the cause when refused, errExpirationFormat unless set
	}{
		{in: "2030-01-02T03:04:05Z", want: utc(0)},
		{in: "2030-01-02t03:04:05z", want: utc(0)},
		{in: "2030-01-02 03:04:05Z", want: utc(0)},
		{in: "2030-01-02T03:04:05.123Z", want: utc(123e6)},
		{in: "2030-01-02T03:04:05,5Z", want: utc(5e8)},
		{in: "2030-01-02T03:04:05.123456+00:00", want: utc(123456e3)},
		{in: "2030-01-02T03:04:05.123456789Z", want: utc(123456789)},
		{in: "2030-01-02T03:04:05.1234567891234Z", want: utc(123456789)},
		{in: "2030-01-02T03:04:05+0000", want: utc(0)},
		{in: "2030-01-02T03:04:05-00:00", want: utc(0)},
		{in: "2030-01-02T05:34:05+02:30", want: utc(0)},
		{in: "2030-01-02T05:34:05+0230", want: utc(0)},
		{in: "2030-01-02T04:04:05+01", want: utc(0)},
		{in: "2030-01-01T22:04:05.5-05:00", want: utc(5e8)},
		{in: "2028-02-29T03:04:05Z", want: time.Date(2028, 2, 29, 3, 4, 5, 0, time.UTC)},
		// No offset: the AWS CLI cannot compare it with now.
		{in: "2030-01-02T03:04:05", err: ErrExpirationNoOffset},
		{in: "2030-01-02 03:04:05.123", err: ErrExpirationNoOffset},
		// Out of range, as Python refuses them.
		{in: "2030-01-02T24:00:00Z"}, {in: "2030-01-02T03:60:05Z"}, {in: "2030-01-02T03:04:60Z"},
		{in: "2029-02-29T03:04:05Z"}, {in: "2030-13-02T03:04:05Z"}, {in: "2030-00-02T03:04:05Z"}, {in: "0000-01-02T03:04:05Z"},
		{in: "2030-01-02T03:04:05+24:00"}, {in: "2030-01-02T03:04:05+01:60"},
		// Forms dateutil takes that this does not.
		{in: "2030-01-02"}, {in: "2030-01-02T03:04Z"}, {in: "20300102T030405Z"}, {in: "2030-01-02T03:04:05 UTC"},
		{in: "Wed, 02 Jan 2030 03:04:05 GMT"}, {in: "1893553445"},
		// Not times.
		{in: "tomorrow"}, {in: "2030-01-02T03:04:05.Z"}, {in: "2030-01-02T03:04:05Zjunk"}, {in: "2030-01-02T03:04:05+1"},
		{in: "2030-01-02T03:04:05+01:0"}, {in: "2030-01-02T03:04:05+01:"}, {in: " 2030-01-02T03:04:05Z"}, {in: "2030-1-02T03:04:05Z"},
		{in: "2030-01-02T03:04:05+٠١:٠٠"},
	} {
		out := `{"Version":1,"AccessKeyId":"A","SecretAccessKey":"SECRETKEY","Expiration":` + strconv.Quote(tt.in) + `}`
		c, err := parseProcessOutput([]byte(out))
		if !tt.want.IsZero() {
			if err != nil {
				t.Errorf("%q: %v", tt.in, err)
			} else if !c.Expires.Equal(tt.want) {
				t.Errorf("%q: expires %v, want %v", tt.in, c.Expires, tt.want)
			}
			continue
		}
		want := tt.err
		if want == nil {
			want = errExpirationFormat
		}
		if err == nil || err.Key != "Expiration" || !errors.Is(err, want) {
			t.Errorf("%q: err = %v, want a ProcessOutputError of Expiration around %q", tt.in, err, want)
		}
	}
}
