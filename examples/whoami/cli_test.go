package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/internal/peertest"
)

// runWhoami runs whoami in env (used as it is) and returns what it
// printed, as peertest.AWSCLI does for the AWS CLI.
func runWhoami(t *testing.T, env map[string]string, args ...string) peertest.CLIResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr, func(k string) string { return env[k] })
	return peertest.CLIResult{Stdout: stdout.String(), Stderr: stderr.String(), ExitCode: code}
}

// withoutUsage replaces the usage the AWS CLI and whoami print before a
// command-line error, which is each one's own, and the program's name in
// argparse's "PROG: error:", by "[usage]" and "PROG".
func withoutUsage(s string) string {
	for _, end := range []string{"  aws <command> <subcommand> help\n", "  whoami --help\n"} {
		if strings.HasPrefix(s, "usage: ") {
			if i := strings.Index(s, end); i >= 0 {
				s = "[usage]" + s[i+len(end):]
			}
		}
	}
	for _, prog := range []string{"aws: error: ", "whoami: error: "} {
		s = strings.Replace(s, "[usage]"+prog, "[usage]PROG: error: ", 1)
	}
	return s
}

// TestLocalErrorsMatchAWSCLI runs whoami and `aws sts get-caller-identity`
// side by side where the answer never comes from STS: a malformed command
// line, a --query that is not JMESPath, no credentials, a missing
// profile, half a key pair, a failing credential_process, an endpoint
// that does not answer. Both must print the same bytes (but for the
// usage each prints before a command-line error) and exit alike.
func TestLocalErrorsMatchAWSCLI(t *testing.T) {
	peertest.Require(t, "aws")
	dir := t.TempDir()
	file := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keys := map[string]string{"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "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"}
	failing := file("failing.config", "[default]\ncredential_process = sh -c 'echo the vault is sealed >&2; echo second line >&2; exit 3'\n", 0o600)
	silent := file("silent.config", "[profile dev]\ncredential_process = false\n", 0o600)
	missing := file("missing.config", "[default]\ncredential_process = /nonexistent/get-creds --verbose\n", 0o600)
	unknownProg := file("unknown.config", "[default]\ncredential_process = no-such-program-anywhere --flag\n", 0o600)
	notExec := file("not-executable", "#!/bin/sh\n", 0o644)
	noExec := file("noexec.config", "[default]\ncredential_process = "+notExec+"\n", 0o600)
	halfCreds := file("half.credentials", "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n", 0o600)
	halfConfig := file("half.config", "[profile dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n", 0o600)
	// No SSO token is cached in the fresh HOME of AWSEnv.
	ssoSession := file("sso-session.config", "[profile corp]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n", 0o600)
	ssoLegacy := file("sso-legacy.config", "[profile old]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n", 0o600)
	ssoHalf := file("sso-half.config", "[profile half]\nsso_account_id = 111122223333\n", 0o600)
	ssoNoSession := file("sso-nosession.config", "[profile lost]\nsso_session = nowhere\nsso_account_id = 111122223333\nsso_role_name = ReadOnly\n", 0o600)
	port, err := peertest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://127.0.0.1:" + strconv.Itoa(port)

	tests := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"no credentials", nil, nil},
		{"missing profile", keys, []string{"--profile", "nosuch"}},
		{"missing AWS_PROFILE", map[string]string{"AWS_PROFILE": "nosuch"}, nil},
		{"partial env", map[string]string{"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE"}, nil},
		{"partial env, empty secret", map[string]string{"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": ""}, nil},
		{"partial credentials file", map[string]string{"AWS_SHARED_CREDENTIALS_FILE": halfCreds}, nil},
		{"partial config file", map[string]string{"AWS_CONFIG_FILE": halfConfig}, []string{"--profile", "dev"}},
		{"failing credential_process", map[string]string{"AWS_CONFIG_FILE": failing}, nil},
		{"silent failing credential_process", map[string]string{"AWS_CONFIG_FILE": silent}, []string{"--profile", "dev"}},
		{"credential_process not there", map[string]string{"AWS_CONFIG_FILE": missing}, nil},
		{"credential_process not on PATH", map[string]string{"AWS_CONFIG_FILE": unknownProg}, nil},
		{"credential_process not executable", map[string]string{"AWS_CONFIG_FILE": noExec}, nil},
		{"SSO session without a token", map[string]string{"AWS_CONFIG_FILE": ssoSession}, []string{"--profile", "corp"}},
		{"legacy SSO without a token", map[string]string{"AWS_CONFIG_FILE": ssoLegacy}, []string{"--profile", "old"}},
		{"SSO profile missing settings", map[string]string{"AWS_CONFIG_FILE": ssoHalf}, []string{"--profile", "half"}},
		{"SSO session not there", map[string]string{"AWS_CONFIG_FILE": ssoNoSession}, []string{"--profile", "lost"}},

		{"unknown option", keys, []string{"--bogus"}},
		{"unknown options and a word", keys, []string{"--bogus", "--nope", "x"}},
		{"single dash", keys, []string{"-output", "text"}},
		{"word", keys, []string{"extra"}},
		{"after --", keys, []string{"--", "x"}},
		{"bad output", keys, []string{"--output", "yaml"}},
		{"output typo", keys, []string{"--output", "tabel"}},
		{"output case", keys, []string{"--output", "Text"}},
		{"empty output", keys, []string{"--output", ""}},
		{"output without value", keys, []string{"--output"}},
		{"query without value", keys, []string{"--query", "--output", "text"}},
		{"bad output before unknown", keys, []string{"--bogus", "--output", "yaml"}},

		{"incomplete query", keys, []string{"--query", "Account["}},
		{"query with a comma", nil, []string{"--query", "Account,Arn", "--output", "text"}},
		{"hash without values", nil, []string{"--query", "{Account}"}},
		{"list without comma", nil, []string{"--query", "[Account Arn]"}},
		{"unknown token", nil, []string{"--query", "Acc$ount"}},
		{"empty query", nil, []string{"--query", ""}},
		{"negative number query", nil, []string{"--query", "-1"}},
		{"query with a space and a dash", nil, []string{"--query", "-a b"}},
		{"query before unknown option", keys, []string{"--query", "Account[", "--bogus"}},
		{"endpoint without scheme", keys, []string{"--endpoint-url", "localhost"}},
		{"empty endpoint", keys, []string{"--endpoint-url", ""}},
		{"good query, unknown option", keys, []string{"--query", "Account", "--bogus"}},

		{"endpoint not listening", map[string]string{"AWS_ACCESS_KEY_ID": keys["AWS_ACCESS_KEY_ID"], "AWS_SECRET_ACCESS_KEY": keys["AWS_SECRET_ACCESS_KEY"], "AWS_MAX_ATTEMPTS": "1"},
			[]string{"--endpoint-url", dead}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // the AWS CLI takes seconds to start
			want, got := runBoth(t, tt.env, tt.args...)
			want.Stderr, got.Stderr = withoutUsage(want.Stderr), withoutUsage(got.Stderr)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("whoami %q differs from aws sts get-caller-identity (-aws +whoami):\n%s", tt.args, diff)
			}
			if strings.Contains(got.Stderr+got.Stdout, keys["AWS_SECRET_ACCESS_KEY"]) {
				t.Errorf("whoami printed the secret key")
			}
		})
	}
}

// runBoth runs `aws sts get-caller-identity` and whoami with args in the
// same environment, peertest.AWSEnv's with vars on top (so the same temp
// HOME and files), and returns what each printed.
func runBoth(t *testing.T, vars map[string]string, args ...string) (cli, whoami peertest.CLIResult) {
	t.Helper()
	env := peertest.AWSEnv(t, vars)
	cli = peertest.AWSCLI(t, env, append([]string{"sts", "get-caller-identity"}, args...)...)
	return cli, runWhoami(t, env, args...)
}

// TestEndpointWithoutRegionMatchesAWSCLI: with an endpoint URL (the
// option, AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL) and no region at all,
// the AWS CLI refuses before it looks for credentials or sends anything,
// and so does whoami, with the same words. (An empty AWS_DEFAULT_REGION
// is not "no region" to the CLI, which then signs for "": not compared.)
func TestEndpointWithoutRegionMatchesAWSCLI(t *testing.T) {
	peertest.Require(t, "aws")
	port, err := peertest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://127.0.0.1:" + strconv.Itoa(port)
	keys := map[string]string{"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "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"}
	tests := []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"--endpoint-url", keys, []string{"--endpoint-url", dead}},
		{"AWS_ENDPOINT_URL_STS", map[string]string{"AWS_ENDPOINT_URL_STS": dead}, nil},
		{"AWS_ENDPOINT_URL, no credentials", map[string]string{"AWS_ENDPOINT_URL": dead, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}, nil},
		// The AWS CLI v1 reads AWS_DEFAULT_REGION, never AWS_REGION.
		{"AWS_REGION is no region", map[string]string{"AWS_ENDPOINT_URL_STS": dead, "AWS_REGION": "eu-west-1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := peertest.AWSEnv(t, nil)
			delete(env, "AWS_DEFAULT_REGION")
			for k, v := range keys {
				env[k] = v
			}
			for k, v := range tt.env {
				env[k] = v
			}
			cli := peertest.AWSCLI(t, env, append([]string{"sts", "get-caller-identity"}, tt.args...)...)
			got := runWhoami(t, env, tt.args...)
			if diff := cmp.Diff(cli, got); diff != "" {
				t.Errorf("whoami %q differs from aws sts get-caller-identity (-aws +whoami):\n%s", tt.args, diff)
			}
			if !strings.Contains(cli.Stderr, "You must specify a region") {
				t.Errorf("the CLI printed %q; want its no-region message", cli.Stderr)
			}
		})
	}
}
