package credentials

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/callerid/callerid/internal/peertext"
	"github.com/callerid/callerid/internal/shlex"
)

// DefaultProcessTimeout is how long a credential_process may run when
// ProcessProvider.Timeout is zero.
const DefaultProcessTimeout = time.Minute

// maxProcessOutput bounds what a credential_process may print on stdout.
const maxProcessOutput = 1 << 20

var errEmptyCommandLine = errors.New("empty command line")

// processWaitDelay is how long, after the process exits or is killed, its
// stdout may stay open (held by a child it started) before it is closed.
const processWaitDelay = 2 * time.Second

// ProcessProvider runs an external program that prints credentials, as the
// credential_process setting of a profile asks:
//
//	[profile dev]
//	credential_process = /opt/bin/get-creds --account "my account"
//
// The command line is split into arguments as the AWS CLI splits it on
// Linux and macOS (Python's shlex.split: 'single' and "double" quotes,
// backslash escapes, no variables, globs or pipes) and run directly, not
// through a shell. The program inherits the environment, stdin and, unless
// Stderr says otherwise, stderr, so it can prompt the user. Its stdout must
// be a JSON object:
//
//	{"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
//	 "SessionToken": "...", "Expiration": "2006-01-02T15:04:05Z",
//	 "AccountId": "123456789012"}
//
// where SessionToken, Expiration and AccountId may be left out.
// Credentials without Expiration do not expire. Expiration is an ISO 8601
// time with a UTC offset, in these forms (which the AWS CLI takes too):
// 2006-01-02T15:04:05Z, with T, t or a space between date
// and time, an optional fraction of a second after . or , and an offset
// of Z, z, +hh:mm, +hhmm or +hh (or -). A time without an offset is
// refused (ErrExpirationNoOffset), as the AWS CLI fails on it.
//
// The program is killed when it runs longer than Timeout or ctx is done.
// On unix it runs in a process group of its own, and the whole group is
// killed, so that what it started does not survive it; except when its
// stdin is a terminal, where it stays in the caller's group so that it can
// read the answer to a prompt.
// Errors name the program (not its arguments, which may hold secrets) and
// never include what it printed on stdout. A program that exits with a
// status other than 0, or that a signal ends, gives a *ProcessExitError
// (around os/exec's *exec.ExitError); one that cannot be started keeps
// os/exec's error (an *exec.Error or *fs.PathError) as the cause.
type ProcessProvider struct {
	// Command is the command line, the value of credential_process.
	Command string
	// Profile names the profile the command came from, for Source and
	// errors; it may be empty.
	Profile string
	// AccountID is used when the output has no AccountId: the profile's
	// aws_account_id, as the AWS CLI does.
	AccountID string
	// Timeout bounds the run; zero means DefaultProcessTimeout.
	Timeout time.Duration
	// Stderr receives the program's stderr; nil means os.Stderr.
	Stderr io.Writer
	// Stdin is the program's stdin; nil means os.Stdin.
	Stdin io.Reader
	// Env is the program's environment; nil means this process's.
	Env []string
}

// String describes p by its profile and program, without the program's
// arguments or environment, which may hold secrets.
func (p ProcessProvider) String() string {
	s := "ProcessProvider{Program: " + strconv.Quote(p.program())
	if p.Profile != "" {
		s += ", Profile: " + strconv.Quote(p.Profile)
	}
	if p.Env != nil {
		s += ", Env: " + strconv.Itoa(len(p.Env)) + " variables"
	}
	return s + "}"
}

// GoString is String, so %#v shows neither arguments nor environment.
func (p ProcessProvider) GoString() string { return p.String() }

// Format writes String for every verb.
func (p ProcessProvider) Format(f fmt.State, _ rune) { io.WriteString(f, p.String()) }

// MarshalJSON writes String as a JSON string.
func (p ProcessProvider) MarshalJSON() ([]byte, error) { return json.Marshal(p.String()) }

// LogValue has log/slog log String.
func (p ProcessProvider) LogValue() slog.Value { return slog.StringValue(p.String()) }

// program is the command line's first word, or "" if it has none.
func (p *ProcessProvider) program() string {
	args, err := shlex.Split(p.Command)
	if err != nil || len(args) == 0 {
		return ""
	}
	return args[0]
}

func (p *ProcessProvider) source() string {
	if p.Profile == "" {
		return "ProcessProvider"
	}
	return "ProcessProvider(profile=" + p.Profile + ")"
}

// Retrieve runs the command and reads its output.
func (p *ProcessProvider) Retrieve(ctx context.Context) (Credentials, error) {
	fail := func(err error) (Credentials, error) {
		return Credentials{}, &Error{Source: p.source(), Err: err}
	}
	args, err := shlex.Split(p.Command)
	if err != nil {
		return fail(fmt.Errorf("credential_process cannot be split into arguments: %w", err))
	}
	if len(args) == 0 {
		return fail(fmt.Errorf("credential_process: %w", errEmptyCommandLine))
	}
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultProcessTimeout
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var stdout limitedBuffer
	stdout.max = maxProcessOutput
	cmd := exec.CommandContext(runCtx, args[0], args[1:]...)
	cmd.Stdout = &stdout
	cmd.Stderr = p.Stderr
	if cmd.Stderr == nil {
		cmd.Stderr = os.Stderr
	}
	cmd.Stdin = p.Stdin
	if cmd.Stdin == nil {
		cmd.Stdin = os.Stdin
	}
	cmd.Env = p.Env
	killProcessGroup(cmd, cmd.Stdin)
	// After a kill, or when a child of the program keeps its stdout open,
	// stop waiting for the pipes after a moment.
	cmd.WaitDelay = processWaitDelay
	runErr := cmd.Run()

	prog := fmt.Sprintf("%q", args[0])
	switch {
	case runErr == nil, errors.Is(runErr, exec.ErrWaitDelay):
		// ErrWaitDelay: the program exited successfully but something it
		// started kept stdout open; what it printed is all there is.
	case ctx.Err() != nil:
		return fail(fmt.Errorf("credential_process %s: %w", prog, ctx.Err()))
	case runCtx.Err() != nil:
		return fail(fmt.Errorf("credential_process %s did not finish within %v and was killed: %w", prog, timeout, runCtx.Err()))
	default:
		var ee *exec.ExitError
		if errors.As(runErr, &ee) {
			// ee says "exit status 3" or "signal: killed".
			return fail(&ProcessExitError{Program: args[0], ExitCode: ee.ExitCode(), Err: ee})
		}
		return fail(fmt.Errorf("cannot run credential_process: %w", runErr))
	}
	if stdout.over {
		return fail(&ProcessOutputError{Program: args[0], Err: fmt.Errorf("printed more than %d KiB on stdout", maxProcessOutput>>10)})
	}
	c, outErr := parseProcessOutput(stdout.buf.Bytes())
	if outErr != nil {
		outErr.Program = args[0]
		return fail(outErr)
	}
	if c.AccountID == "" {
		c.AccountID = p.AccountID
	}
	c.Source = p.source()
	if err := checkFresh(c, time.Now()); err != nil {
		return fail(err)
	}
	return c, nil
}

// limitedBuffer keeps the first max bytes written to it and discards the
// rest, noting that it did, so a chatty program is never blocked.
type limitedBuffer struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); len(p) > room {
		b.over = true
		if room > 0 {
			b.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return b.buf.Write(p)
}

// parseProcessOutput reads the JSON a credential_process prints. Its
// errors name keys, never values, and leave Program to the caller.
func parseProcessOutput(data []byte) (Credentials, *ProcessOutputError) {
	whole := func(err error) (Credentials, *ProcessOutputError) {
		return Credentials{}, &ProcessOutputError{Err: err}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return whole(errors.New("printed nothing on stdout; want a JSON object with Version 1"))
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return whole(jsonError("output", err))
	}
	if m == nil {
		return whole(errors.New("output is JSON null, not an object"))
	}
	raw, ok := m["Version"]
	if !ok || isNull(raw) {
		e := &ProcessOutputError{Key: "Version", Missing: !ok, Err: errors.New(`output has no "Version"; want "Version": 1`)}
		if ok {
			e.Version = "null"
		}
		return Credentials{}, e
	}
	badVersion := func(err error) (Credentials, *ProcessOutputError) {
		return Credentials{}, &ProcessOutputError{Key: "Version", Version: peertext.Cut(string(bytes.TrimSpace(raw)), 64), Err: err}
	}
	var version any
	if err := json.Unmarshal(raw, &version); err != nil {
		return badVersion(errors.New(`unsupported "Version"; the supported version is 1`))
	}
	switch v := version.(type) {
	case float64:
		if v != 1 {
			return badVersion(fmt.Errorf("unsupported Version %v; the supported version is 1", v))
		}
	default:
		return badVersion(fmt.Errorf(`"Version" is a %s; want the number 1`, jsonKind(raw)))
	}
	str := func(key string, required bool) (string, *ProcessOutputError) {
		raw, ok := m[key]
		if !ok || isNull(raw) {
			if required {
				return "", &ProcessOutputError{Key: key, Missing: !ok, Err: fmt.Errorf("output has no %q", key)}
			}
			return "", nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", &ProcessOutputError{Key: key, Err: fmt.Errorf("%q is a %s; want a string", key, jsonKind(raw))}
		}
		if required && s == "" {
			return "", &ProcessOutputError{Key: key, Err: fmt.Errorf("%q is empty", key)}
		}
		return s, nil
	}
	var vals [5]string
	for i, k := range []string{"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "AccountId"} {
		s, err := str(k, i < 2)
		if err != nil {
			return Credentials{}, err
		}
		vals[i] = s
	}
	c := New(vals[0], vals[1], vals[2])
	c.AccountID = vals[4]
	if vals[3] != "" {
		t, err := parseExpiration(vals[3])
		if err != nil {
			return Credentials{}, &ProcessOutputError{Key: "Expiration", Err: err}
		}
		c.Expires = t
	}
	return c, nil
}

// ErrExpirationNoOffset is the error, inside a *ProcessOutputError, of a
// credential_process "Expiration" that is a date and time without a UTC
// offset, such as 2030-01-01T00:00:00: the AWS CLI cannot compare it with
// the time now and fails, and so does ProcessProvider.
var ErrExpirationNoOffset = errors.New(`"Expiration" has no UTC offset (such as Z or +00:00)`)

// errExpirationFormat is the error of an "Expiration" in no form
// parseExpiration takes. It does not quote the value: a program that
// printed its fields in the wrong order may have put a secret there.
var errExpirationFormat = errors.New(`"Expiration" is not an ISO 8601 time such as 2006-01-02T15:04:05Z`)

// parseExpiration reads a credential_process's "Expiration" in the ISO
// 8601 forms programs print and the AWS CLI takes (it parses with
// dateutil, which takes many more):
//
//	YYYY-MM-DD, then T, t or a space, then hh:mm:ss, then optionally a
//	fraction of a second (after . or ,, any number of digits, kept to the
//	nanosecond), then the UTC offset: Z or z, or +hh:mm, +hhmm, +hh (or
//	with -).
//
// So 2006-01-02T15:04:05Z, 2006-01-02T15:04:05.123456+00:00 (Python's
// isoformat), 2006-01-02 15:04:05+0000 and 2006-01-02T15:04:05.123Z
// (JavaScript's toISOString) are taken. Fields out of range (hour 24,
// February 30, second 60) are refused, as Python refuses them. A time
// without an offset is ErrExpirationNoOffset.
func parseExpiration(s string) (time.Time, error) {
	num := func(n int) (int, bool) {
		if len(s) < n {
			return 0, false
		}
		v := 0
		for i := 0; i < n; i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			v = v*10 + int(s[i]-'0')
		}
		s = s[n:]
		return v, true
	}
	sep := func(chars string) bool {
		if s == "" || !strings.ContainsRune(chars, rune(s[0])) {
			return false
		}
		s = s[1:]
		return true
	}
	year, ok1 := num(4)
	ok2 := sep("-")
	month, ok3 := num(2)
	ok4 := sep("-")
	day, ok5 := num(2)
	ok6 := sep("Tt ")
	hour, ok7 := num(2)
	ok8 := sep(":")
	minute, ok9 := num(2)
	ok10 := sep(":")
	sec, ok11 := num(2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 && ok8 && ok9 && ok10 && ok11) {
		return time.Time{}, errExpirationFormat
	}
	nsec := 0
	if sep(".,") {
		digits := 0
		for ; digits < len(s) && '0' <= s[digits] && s[digits] <= '9'; digits++ {
			if digits < 9 {
				nsec = nsec*10 + int(s[digits]-'0')
			}
		}
		if digits == 0 {
			return time.Time{}, errExpirationFormat
		}
		for i := digits; i < 9; i++ {
			nsec *= 10
		}
		s = s[digits:]
	}
	offset := 0
	switch {
	case s == "":
		return time.Time{}, ErrExpirationNoOffset
	case s == "Z" || s == "z":
	case s[0] == '+' || s[0] == '-':
		sign := 1
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
		oh, ok := num(2)
		om := 0
		if ok && s != "" {
			sep(":")
			om, ok = num(2)
		}
		if !ok || s != "" || oh > 23 || om > 59 {
			return time.Time{}, errExpirationFormat
		}
		offset = sign * (oh*3600 + om*60)
	default:
		return time.Time{}, errExpirationFormat
	}
	if year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, errExpirationFormat
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.FixedZone("", offset)), nil
}

// daysIn is the number of days of month in year.
func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// jsonKind names the JSON type of raw without showing it.
func jsonKind(raw json.RawMessage) string {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// jsonError describes a JSON decoding error without quoting the input:
// encoding/json's messages quote the character they stumbled on.
func jsonError(what string, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%s is not valid JSON (syntax error at byte %d)", what, se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s is a JSON %s, not an object", what, te.Value)
	}
	return fmt.Errorf("%s is not valid JSON", what)
}
