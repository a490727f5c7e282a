package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/internal/peertest"
)

// TestMatchesAWSCLIAgainstMoto runs whoami and `aws sts
// get-caller-identity` side by side against moto_server with signature
// checks on, and wants the same bytes from both: for an IAM user's keys
// and for AssumeRole's temporary keys (with a session token), in json,
// text and table, without --query and with each shape of query; for the
// output format chosen by AWS_DEFAULT_OUTPUT and the profile; and for a
// wrong secret (SignatureDoesNotMatch, exit 255). Then it checks the
// guard, which the CLI does not have, on the same callers.
func TestMatchesAWSCLIAgainstMoto(t *testing.T) {
	peertest.Require(t, "aws")
	// The first four actions (the IAM setup below) run unauthenticated;
	// every request after them has its signature checked by moto.
	moto := peertest.StartMoto(t, 4)
	setup := peertest.AWSEnv(t, map[string]string{"AWS_ACCESS_KEY_ID": "AKIASETUPSETUPSETUP1", "AWS_SECRET_ACCESS_KEY": "setup"})
	ep := []string{"--endpoint-url", moto.URL, "--output", "json"}

	cli := func(env map[string]string, args ...string) peertest.CLIResult {
		t.Helper()
		res := peertest.AWSCLI(t, env, append(args, ep...)...)
		if res.ExitCode != 0 {
			t.Fatalf("aws %v: exit %d: %s", args, res.ExitCode, res.Stderr)
		}
		return res
	}
	cli(setup, "iam", "create-user", "--user-name", "alice")
	var key struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	mustUnmarshal(t, cli(setup, "iam", "create-access-key", "--user-name", "alice").Stdout, &key)
	cli(setup, "iam", "put-user-policy", "--user-name", "alice", "--policy-name", "sts",
		"--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"*"}]}`)
	cli(setup, "iam", "create-role", "--role-name", "demo-role", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}]}`)

	user := peertest.AWSEnv(t, map[string]string{
		"AWS_ACCESS_KEY_ID":     key.AccessKey.AccessKeyId,
		"AWS_SECRET_ACCESS_KEY": key.AccessKey.SecretAccessKey,
	})
	// AssumeRole is itself signed with alice's keys and checked by moto.
	var assumed struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	}
	mustUnmarshal(t, cli(user, "sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/demo-role",
		"--role-session-name", "whoami-test").Stdout, &assumed)
	role := peertest.AWSEnv(t, map[string]string{
		"AWS_ACCESS_KEY_ID":     assumed.Credentials.AccessKeyId,
		"AWS_SECRET_ACCESS_KEY": assumed.Credentials.SecretAccessKey,
		"AWS_SESSION_TOKEN":     assumed.Credentials.SessionToken,
	})
	wrong := peertest.AWSEnv(t, map[string]string{
		"AWS_ACCESS_KEY_ID":     key.AccessKey.AccessKeyId,
		"AWS_SECRET_ACCESS_KEY": "not-" + key.AccessKey.SecretAccessKey,
	})

	tamperedToken := peertest.AWSEnv(t, map[string]string{
		"AWS_ACCESS_KEY_ID":     assumed.Credentials.AccessKeyId,
		"AWS_SECRET_ACCESS_KEY": assumed.Credentials.SecretAccessKey,
		"AWS_SESSION_TOKEN":     assumed.Credentials.SessionToken + "x",
	})
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	if err := os.WriteFile(config, []byte("[default]\noutput = text\n[profile tables]\noutput = table\n[profile bad]\noutput = yaml\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	with := func(env map[string]string, vars ...string) map[string]string {
		out := map[string]string{}
		for k, v := range env {
			out[k] = v
		}
		for i := 0; i+1 < len(vars); i += 2 {
			out[vars[i]] = vars[i+1]
		}
		return out
	}

	type tcase struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		wantArn  string
	}
	var tests []tcase
	for _, who := range []struct {
		name    string
		env     map[string]string
		arn     string
		queries []string
	}{
		{"IAM user", user, "arn:aws:iam::123456789012:user/alice",
			[]string{"", "Account", "Nope", "[Account, Arn]", "[Nope, UserId]", "{acct: Account, arn: Arn}"}},
		// A longer ARN, whose tables are laid out differently.
		{"assumed role", role, "arn:aws:sts::123456789012:assumed-role/demo-role/whoami-test",
			[]string{"", "{z: UserId, a: Arn}"}},
	} {
		for _, q := range who.queries {
			for _, output := range []string{"json", "text", "table"} {
				args := []string{"--output", output}
				wantArn := who.arn
				if q != "" {
					args = append(args, "--query", q)
					wantArn = ""
				}
				tests = append(tests, tcase{who.name + " " + output + " " + q, who.env, args, 0, wantArn})
			}
		}
	}
	tests = append(tests,
		// The output format: --output, then AWS_DEFAULT_OUTPUT, then the
		// profile's output, then json.
		tcase{"AWS_DEFAULT_OUTPUT=text", with(user, "AWS_DEFAULT_OUTPUT", "text"), nil, 0, ""},
		tcase{"AWS_DEFAULT_OUTPUT=table over the profile's text", with(user, "AWS_DEFAULT_OUTPUT", "table", "AWS_CONFIG_FILE", config), nil, 0, ""},
		tcase{"--output over AWS_DEFAULT_OUTPUT", with(user, "AWS_DEFAULT_OUTPUT", "table"), []string{"--output", "json"}, 0, ""},
		tcase{"the default profile's output", with(user, "AWS_CONFIG_FILE", config), []string{"--query", "Account"}, 0, ""},
		tcase{"AWS_PROFILE's output", with(user, "AWS_CONFIG_FILE", config, "AWS_PROFILE", "tables"), []string{"--query", "[Account]"}, 0, ""},
		tcase{"unknown AWS_DEFAULT_OUTPUT", with(user, "AWS_DEFAULT_OUTPUT", "yaml"), nil, 255, ""},
		tcase{"upper-case AWS_DEFAULT_OUTPUT", with(user, "AWS_DEFAULT_OUTPUT", "TEXT"), nil, 255, ""},
		tcase{"unknown profile output", with(user, "AWS_CONFIG_FILE", config, "AWS_PROFILE", "bad"), nil, 255, ""},
		tcase{"unknown profile output, --output given", with(user, "AWS_CONFIG_FILE", config, "AWS_PROFILE", "bad"), []string{"--output", "text"}, 0, ""},
		tcase{"wrong secret", wrong, []string{"--output", "json"}, 255, ""},
		tcase{"wrong secret, unknown output", with(wrong, "AWS_DEFAULT_OUTPUT", "yaml"), nil, 255, ""},
		tcase{"tampered session token", tamperedToken, []string{"--output", "text", "--query", "Account"}, 255, ""},
	)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // the AWS CLI takes seconds to start
			args := append([]string{"--endpoint-url", moto.URL}, tt.args...)
			want := peertest.AWSCLI(t, tt.env, append([]string{"sts", "get-caller-identity"}, args...)...)
			got := runWhoami(t, tt.env, args...)
			if want.ExitCode != tt.wantCode {
				t.Fatalf("aws CLI exited %d, want %d: %s", want.ExitCode, tt.wantCode, want.Stderr)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("whoami differs from aws sts get-caller-identity (-aws +whoami):\n%s", diff)
			}
			if tt.wantArn != "" && !strings.Contains(got.Stdout, tt.wantArn) {
				t.Errorf("stdout %q does not name %s", got.Stdout, tt.wantArn)
			}
		})
	}

	// The guard, which the CLI does not have, against the same callers.
	t.Run("guard", func(t *testing.T) {
		guards := []struct {
			env      map[string]string
			args     []string
			wantCode int
			stdout   string
			stderr   string
		}{
			{user, []string{"--expect-account", "123456789012", "--query", "Account", "--output", "text"}, 0, "123456789012\n", ""},
			{user, []string{"--expect-account", "210987654321"}, 1, "",
				"whoami: expected account 210987654321, found 123456789012 (caller arn:aws:iam::123456789012:user/alice)\n"},
			{user, []string{"--expect-role", "demo-role"}, 1, "",
				"whoami: expected role demo-role, found IAM user alice (caller arn:aws:iam::123456789012:user/alice)\n"},
			{role, []string{"--expect-role", "demo-role", "--expect-account", "123456789012", "--output", "text", "--query", "Arn"}, 0,
				"arn:aws:sts::123456789012:assumed-role/demo-role/whoami-test\n", ""},
			{role, []string{"--expect-role", "arn:aws:iam::123456789012:role/demo-role", "--query", "Account"}, 0, "\"123456789012\"\n", ""},
			{role, []string{"--expect-role", "other-role"}, 1, "",
				"whoami: expected role other-role, found role demo-role (caller arn:aws:sts::123456789012:assumed-role/demo-role/whoami-test)\n"},
			{wrong, []string{"--expect-account", "123456789012"}, 255, "",
				"\nAn error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n"},
		}
		for _, g := range guards {
			got := runWhoami(t, g.env, append([]string{"--endpoint-url", moto.URL}, g.args...)...)
			if diff := cmp.Diff(peertest.CLIResult{Stdout: g.stdout, Stderr: g.stderr, ExitCode: g.wantCode}, got); diff != "" {
				t.Errorf("whoami %q (-want +got):\n%s", g.args, diff)
			}
		}
	})
}

func mustUnmarshal(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("decoding %q: %v", s, err)
	}
}
