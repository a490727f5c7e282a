package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/internal/peertest"
)

// TestMatchesAWSCLIAgainstMoto runs whoami and `aws sts
// get-caller-identity` side by side against moto_server with signature
// checks on, and wants the same bytes from both: for an IAM user's keys,
// for AssumeRole's temporary keys (with a session token), in JSON and text,
// and for a wrong secret (SignatureDoesNotMatch, exit 255).
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

	tests := []struct {
		name     string
		env      map[string]string
		output   string
		wantCode int
		wantArn  string
	}{
		{"IAM user json", user, "json", 0, "arn:aws:iam::123456789012:user/alice"},
		{"IAM user text", user, "text", 0, "arn:aws:iam::123456789012:user/alice"},
		{"assumed role json", role, "json", 0, "arn:aws:sts::123456789012:assumed-role/demo-role/whoami-test"},
		{"assumed role text", role, "text", 0, "arn:aws:sts::123456789012:assumed-role/demo-role/whoami-test"},
		{"wrong secret", wrong, "json", 255, ""},
		{"tampered session token", tamperedToken, "json", 255, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"--endpoint-url", moto.URL, "--output", tt.output}
			want := peertest.AWSCLI(t, tt.env, append([]string{"sts", "get-caller-identity"}, args...)...)

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			code := run(ctx, args, &stdout, &stderr, func(k string) string { return tt.env[k] })
			got := peertest.CLIResult{Stdout: stdout.String(), Stderr: stderr.String(), ExitCode: code}

			if want.ExitCode != tt.wantCode {
				t.Fatalf("aws CLI exited %d, want %d: %s", want.ExitCode, tt.wantCode, want.Stderr)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("whoami differs from aws sts get-caller-identity (-aws +whoami):\n%s", diff)
			}
			if tt.wantArn != "" && !bytes.Contains(stdout.Bytes(), []byte(tt.wantArn)) {
				t.Errorf("stdout %q does not name %s", stdout.String(), tt.wantArn)
			}
		})
	}
}

func mustUnmarshal(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("decoding %q: %v", s, err)
	}
}
