// Command whoami prints who the AWS credentials it finds belong to,
// exactly as `aws sts get-caller-identity` does, and can refuse to go on
// when they are not who a script expects.
//
// Usage:
//
//	whoami [--profile NAME] [--region REGION] [--endpoint-url URL]
//	       [--output json|text|table] [--query EXPRESSION]
//	       [--expect-account ACCOUNT] [--expect-role ROLE]
//	       [--debug | --verbose] [--demo] [--help]
//
// It reads its command line, finds credentials, and prints the answer in
// the output format (--output, else AWS_DEFAULT_OUTPUT, else the
// profile's output, else json) as the AWS CLI does: the same bytes on
// stdout and stderr and the same exit status, 255 when it cannot tell
// who the caller is, 2 for a malformed command line. --query takes the
// JMESPath people write for this command: a field (Account), a list of
// fields ([Account, Arn]) or a hash of fields ({acct: Account, arn: Arn}).
//
// With --expect-account and --expect-role it is a guard: it exits 1 with
// one line on stderr and nothing on stdout unless the caller is in that
// account and a session of that role (see callerid.Require). In place of
//
//	[ "$(aws sts get-caller-identity --query Account --output text)" = 123456789012 ] || exit 1
//
// a script runs
//
//	whoami --expect-account 123456789012 --expect-role deploy >/dev/null || exit 1
//
// With --debug or --verbose, an error is the library's detailed report
// instead of the AWS CLI's one-line message.
//
// With --demo it starts a fake STS on loopback, with a made-up IAM user,
// and asks it, so the program can be seen working without AWS. The demo is
// built in only with the build tag "demo":
//
//	go run -tags demo ./examples/whoami --demo
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/callerid/callerid"
)

func main() {
	// No signal handling: an interrupt ends the process at once, which is
	// all a one-shot command needs, and signal.Notify would cost every run
	// a signal-handling thread (about 10% of whoami's start-up time).
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// Exit codes, as the AWS CLI uses them, and the guard's.
const (
	exitOK       = 0
	exitMismatch = 1
	exitUsage    = 2
	exitError    = 255
)

// maxProcessStderr bounds what whoami keeps of a credential_process's
// stderr, to quote in its error.
const maxProcessStderr = 64 << 10

// run is the whole program, with its inputs and outputs passed in so tests
// can drive it.
func run(ctx context.Context, argv []string, stdout, stderr io.Writer, getenv func(string) string) int {
	a, err := parseArgs(argv)
	if err != nil {
		fmt.Fprintf(stderr, "usage: %swhoami: error: %s\n", usageText, err)
		return exitUsage
	}
	if a.has("--help") {
		io.WriteString(stdout, helpText())
		return exitOK
	}
	want := callerid.Expect{Account: a.get("--expect-account"), Role: a.get("--expect-role")}
	for _, check := range []struct {
		flag string
		e    callerid.Expect
	}{{"--expect-account", callerid.Expect{Account: want.Account}}, {"--expect-role", callerid.Expect{Role: want.Role}}} {
		if a.has(check.flag) && a.get(check.flag) == "" {
			fmt.Fprintf(stderr, "usage: %swhoami: error: argument %s: expected a value\n", usageText, check.flag)
			return exitUsage
		}
		var ee *callerid.ExpectError
		if err := check.e.Validate(); errors.As(err, &ee) {
			fmt.Fprintf(stderr, "usage: %swhoami: error: argument %s: %s\n", usageText, check.flag, ee.Err)
			return exitUsage
		}
	}

	// The checks the AWS CLI makes once its options are read, in its
	// order: --query, --endpoint-url, then the options it does not know.
	var q *query
	if a.has("--query") {
		if q, err = compileQuery(a.get("--query")); err != nil {
			fmt.Fprintf(stderr, "\nBad value for --query %s: %s\n", a.get("--query"), err)
			return exitError
		}
	}
	if a.has("--endpoint-url") && urlScheme(a.get("--endpoint-url")) == "" {
		fmt.Fprintf(stderr, "\nBad value for --endpoint-url \"%s\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/\n", a.get("--endpoint-url"))
		return exitError
	}
	if len(a.unknown) > 0 {
		fmt.Fprintf(stderr, "usage: %s\nUnknown options: %s\n", usageText, strings.Join(a.unknown, ", "))
		return exitError
	}
	debug := a.has("--debug") || a.has("--verbose")

	var processStderr limitedBuffer
	processStderr.max = maxProcessStderr
	opts := []callerid.Option{
		callerid.WithGetenv(cliv1Env(getenv)),
		callerid.WithProfile(a.get("--profile")),
		callerid.WithRegion(a.get("--region")),
		callerid.WithEndpointURL(a.get("--endpoint-url")),
		callerid.WithProcessStderr(&processStderr),
	}
	if a.has("--demo") {
		if a.get("--endpoint-url") != "" || a.get("--profile") != "" {
			fmt.Fprintln(stderr, "whoami: --demo asks its own fake STS: it cannot be combined with --endpoint-url or --profile")
			return exitUsage
		}
		demoOpts, stopDemo, err := startDemo()
		if err != nil {
			fmt.Fprintf(stderr, "whoami: %v\n", err)
			return exitUsage
		}
		defer stopDemo()
		opts = append(opts, demoOpts...)
	}

	// The configuration is read once, for the call and for the profile's
	// output setting. The CLI needs the output format only once the call
	// succeeded (its messages do not depend on it), so a configuration
	// that cannot be loaded is reported like any other failure.
	cfg, err := callerid.LoadConfig(ctx, opts...)
	var id *callerid.Identity
	if err == nil {
		id, err = cfg.Whoami(ctx)
	}
	if err != nil {
		f := failure{err: err, processStderr: processStderr.buf.String(), getenv: getenv}
		if debug {
			io.WriteString(stderr, f.detailed())
		} else {
			io.WriteString(stderr, f.message())
		}
		return exitError
	}

	// Like the CLI, find the output format only now, and fail on one it
	// does not know only after the call succeeded.
	format := outputFormat(a, getenv, cfg)
	if format != "json" && format != "text" && format != "table" {
		fmt.Fprintf(stderr, "\nUnknown output type: %s\n", format)
		return exitError
	}

	var mismatch *callerid.MismatchError
	if err := want.Check(id); errors.As(err, &mismatch) {
		io.WriteString(stderr, guardMessage(mismatch))
		return exitMismatch
	} else if err != nil {
		fmt.Fprintf(stderr, "whoami: %v\n", err)
		return exitUsage
	}

	if a.has("--verbose") {
		if id.PrincipalError != nil {
			fmt.Fprintf(stderr, "credentials from %s; caller not classified: %v\n", id.CredentialSource, id.PrincipalError)
		} else {
			fmt.Fprintf(stderr, "credentials from %s; caller is %s %s\n", id.CredentialSource, article(id.Principal.Kind.String()), id.Principal.Kind)
		}
	}
	v := q.search(response{UserID: id.UserID, Account: id.Account, ARN: id.ARN})
	var out string
	switch format {
	case "text":
		out = formatText(v)
	case "table":
		width := 80
		if f, ok := stdout.(*os.File); ok {
			width = terminalWidth(f)
		}
		out = formatTable(v, width)
	default:
		out = formatJSON(v)
	}
	if _, err := io.WriteString(stdout, out); err != nil {
		// The reader went away (whoami | head): the CLI ignores that too.
		return exitOK
	}
	return exitOK
}

// outputFormat is the output format as the AWS CLI chooses it: --output,
// then AWS_DEFAULT_OUTPUT, then the profile's output (from cfg, the
// shared files as whoami read them), then json. The output setting is
// the CLI's and not the library's concern: Config.ProfileValue reads it.
func outputFormat(a *args, getenv func(string) string, cfg *callerid.Config) string {
	if a.has("--output") {
		return a.get("--output")
	}
	if v := getenv("AWS_DEFAULT_OUTPUT"); v != "" {
		return v
	}
	if v, ok := cfg.ProfileValue("output"); ok {
		return v
	}
	return "json"
}

// guardMessage is the one line whoami prints when the caller is not who
// --expect-account and --expect-role say.
func guardMessage(e *callerid.MismatchError) string {
	var b strings.Builder
	b.WriteString("whoami: ")
	for i, m := range e.Mismatches {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "expected %s %s, found %s", m.What, m.Want, m.Got)
	}
	fmt.Fprintf(&b, " (caller %s)\n", e.Identity.ARN)
	return b.String()
}

// urlScheme is the scheme of u as Python's urllib.parse.urlsplit finds
// it (letters, digits, "+", "-" and "." before the first colon, starting
// with a letter), lower-cased, or "".
func urlScheme(u string) string {
	u = strings.TrimLeft(u, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	i := strings.IndexByte(u, ':')
	if i <= 0 || !isASCIILetter(u[0]) {
		return ""
	}
	for j := 0; j < i; j++ {
		c := u[j]
		if !isASCIILetter(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return ""
		}
	}
	return strings.ToLower(u[:i])
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) {
		return "an"
	}
	return "a"
}

// limitedBuffer keeps the first max bytes written to it and drops the
// rest, so that a chatty program is never blocked.
type limitedBuffer struct {
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room < len(p) {
		b.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.buf.Write(p)
}

// cliv1Env is getenv as the AWS CLI v1 (botocore) reads the environment:
// the region comes from AWS_DEFAULT_REGION or the profile, never from
// AWS_REGION, which LoadConfig, like the AWS SDKs, reads first.
func cliv1Env(getenv func(string) string) func(string) string {
	return func(k string) string {
		if k == "AWS_REGION" {
			return ""
		}
		return getenv(k)
	}
}
