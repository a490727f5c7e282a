// Command whoami prints who the AWS credentials it finds belong to, exactly
// as `aws sts get-caller-identity` does.
//
// Usage:
//
//	whoami [--profile NAME] [--region REGION] [--endpoint-url URL] [--output json|text] [--demo] [--verbose]
//
// With --demo it starts a fake STS on loopback, with a made-up IAM user,
// and asks it, so the program can be seen working without AWS. The demo is
// built in only with the build tag "demo":
//
//	go run -tags demo ./examples/whoami --demo
//
// Like the AWS CLI, it exits 255 when the call fails, printing
// "An error occurred (CODE) when calling the GetCallerIdentity operation:
// MESSAGE" for errors STS reports.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/callerid/callerid"
	"github.com/callerid/callerid/sts"
)

func main() {
	// No signal handling: an interrupt ends the process at once, which is
	// all a one-shot command needs, and signal.Notify would cost every run
	// a signal-handling thread (about 10% of whoami's start-up time).
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// Exit codes, as the AWS CLI uses them.
const (
	exitOK    = 0
	exitUsage = 2
	exitError = 255
)

// run is the whole program, with its inputs and outputs passed in so tests
// can drive it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("whoami", flag.ContinueOnError)
	fs.SetOutput(stderr)
	profile := fs.String("profile", "", "use this profile of the shared config files")
	region := fs.String("region", "", "call the STS endpoint of this region")
	endpoint := fs.String("endpoint-url", "", "call this STS endpoint instead (http only to loopback)")
	output := fs.String("output", "json", "output format: json or text")
	demo := fs.Bool("demo", false, "ask a fake STS started on loopback, with made-up keys")
	verbose := fs.Bool("verbose", false, "also print, on stderr, where the credentials came from and what kind of principal the caller is")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "whoami: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *output != "json" && *output != "text" {
		fmt.Fprintf(stderr, "whoami: --output must be json or text, not %q\n", *output)
		return exitUsage
	}

	opts := []callerid.Option{
		callerid.WithGetenv(getenv),
		callerid.WithProfile(*profile),
		callerid.WithRegion(*region),
		callerid.WithEndpointURL(*endpoint),
	}
	if *demo {
		if *endpoint != "" || *profile != "" {
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

	id, err := callerid.Whoami(ctx, opts...)
	if err != nil {
		var apiErr *sts.APIError
		if errors.As(err, &apiErr) {
			fmt.Fprintf(stderr, "\nAn error occurred (%s) when calling the GetCallerIdentity operation: %s\n", apiErr.Code, apiErr.Message)
		} else {
			fmt.Fprintf(stderr, "\n%v\n", err)
		}
		return exitError
	}
	if *verbose {
		if id.PrincipalError != nil {
			fmt.Fprintf(stderr, "credentials from %s; caller not classified: %v\n", id.CredentialSource, id.PrincipalError)
		} else {
			fmt.Fprintf(stderr, "credentials from %s; caller is %s %s\n", id.CredentialSource, article(id.Principal.Kind.String()), id.Principal.Kind)
		}
	}
	switch *output {
	case "text":
		// The AWS CLI's text output: the values in the order of their
		// keys' names, tab-separated.
		fmt.Fprintf(stdout, "%s\t%s\t%s\n", id.Account, id.ARN, id.UserID)
	default:
		// The AWS CLI's JSON output: keys in the order of the API's
		// output shape, four-space indent, a final newline.
		out := struct {
			UserID  string `json:"UserId"`
			Account string `json:"Account"`
			ARN     string `json:"Arn"`
		}{id.UserID, id.Account, id.ARN}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "    ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "whoami: %v\n", err)
			return exitError
		}
	}
	return exitOK
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) {
		return "an"
	}
	return "a"
}
