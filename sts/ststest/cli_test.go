package ststest_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sts/ststest"
)

// awsCLI runs the AWS CLI against srv with key's credentials in an
// environment that reads no configuration, and returns its stdout,
// stderr and exit code. It skips the test when the CLI is not installed,
// unless CALLERID_REQUIRE_PEERS=1.
func awsCLI(t *testing.T, srv *ststest.Server, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	bin, err := exec.LookPath("aws")
	if err != nil {
		if os.Getenv("CALLERID_REQUIRE_PEERS") == "1" {
			t.Fatalf("the AWS CLI is required (CALLERID_REQUIRE_PEERS=1) but not found: %v", err)
		}
		t.Skipf("the AWS CLI (aws) is not installed; skipping the check against botocore's signer (set CALLERID_REQUIRE_PEERS=1 to make this fail)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args = append(args, "--endpoint-url", srv.URL, "--output", "json")
	cmd := exec.CommandContext(ctx, bin, args...)
	home := t.TempDir()
	cmd.Env = append([]string{
		"HOME=" + home,
		"PATH=" + os.Getenv("PATH"),
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
	}, env...)
	if pyenv := os.Getenv("PYENV_ROOT"); pyenv != "" {
		cmd.Env = append(cmd.Env, "PYENV_ROOT="+pyenv)
	}
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("aws %s: timed out after 60s", strings.Join(args, " "))
	}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running aws: %v", err)
	}
	return out.String(), errb.String(), code
}

func TestAWSCLIGetCallerIdentity(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	keys := map[string]ststest.Key{
		"user":         srv.AddUser("123456789012", "/eng/", "alice"),
		"assumed role": srv.AddAssumedRole("210987654321", "deploy", "ci-run-7"),
		"federated":    srv.AddFederatedUser("123456789012", "bob"),
	}
	for name, key := range keys {
		t.Run(name, func(t *testing.T) {
			out, errOut, code := awsCLI(t, srv, key.Env(), "sts", "get-caller-identity")
			if code != 0 {
				t.Fatalf("aws sts get-caller-identity: exit %d: %s", code, errOut)
			}
			var got struct{ UserId, Account, Arn string }
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("aws output %q: %v", out, err)
			}
			if got.UserId != key.Identity.UserID || got.Account != key.Identity.Account || got.Arn != key.Identity.ARN {
				t.Errorf("aws says %+v, want %+v", got, key.Identity)
			}

			bad := key
			// Change the secret's first character (generated secrets are
			// random, so it may already be an 'x').
			first := "x"
			if key.SecretAccessKey()[0] == 'x' {
				first = "y"
			}
			bad.Credentials = credentials.New(key.AccessKeyID, first+key.SecretAccessKey()[1:], key.SessionToken())
			_, errOut, code = awsCLI(t, srv, bad.Env(), "sts", "get-caller-identity")
			if code != 255 || !strings.Contains(errOut, "SignatureDoesNotMatch") {
				t.Errorf("with a wrong secret: exit %d, stderr %q; want 255 and SignatureDoesNotMatch", code, errOut)
			}
		})
	}
}

func TestAWSCLIAssumeRole(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	out, errOut, code := awsCLI(t, srv, key.Env(), "sts", "assume-role",
		"--role-arn", "arn:aws:iam::210987654321:role/deploy", "--role-session-name", "cli-test", "--duration-seconds", "900")
	if code != 0 {
		t.Fatalf("aws sts assume-role: exit %d: %s", code, errOut)
	}
	var got struct {
		Credentials struct {
			AccessKeyId, SecretAccessKey, SessionToken string
			Expiration                                 string
		}
		AssumedRoleUser struct{ AssumedRoleId, Arn string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("aws output %q: %v", out, err)
	}
	if got.AssumedRoleUser.Arn != "arn:aws:sts::210987654321:assumed-role/deploy/cli-test" ||
		!strings.HasPrefix(got.AssumedRoleUser.AssumedRoleId, "AROA") || !strings.HasSuffix(got.AssumedRoleUser.AssumedRoleId, ":cli-test") {
		t.Errorf("AssumedRoleUser = %+v", got.AssumedRoleUser)
	}
	exp, err := time.Parse(time.RFC3339, got.Credentials.Expiration)
	if err != nil || exp.Sub(srv.Now()) > 15*time.Minute || exp.Sub(srv.Now()) < 14*time.Minute {
		t.Errorf("Expiration = %q (%v), want 15 minutes from now", got.Credentials.Expiration, err)
	}
	// The credentials it got work, with the CLI too.
	role := ststest.Key{Credentials: credentials.New(got.Credentials.AccessKeyId, got.Credentials.SecretAccessKey, got.Credentials.SessionToken)}
	if !strings.HasPrefix(role.AccessKeyID, "ASIA") {
		t.Errorf("AccessKeyId = %q, want ASIA…", role.AccessKeyID)
	}
	out, errOut, code = awsCLI(t, srv, role.Env(), "sts", "get-caller-identity")
	if code != 0 || !strings.Contains(out, got.AssumedRoleUser.Arn) {
		t.Errorf("get-caller-identity with the role's keys: exit %d, %s%s", code, out, errOut)
	}
	// Without the session token they are refused.
	role.Credentials = credentials.New(role.AccessKeyID, role.SecretAccessKey(), "")
	_, errOut, code = awsCLI(t, srv, role.Env(), "sts", "get-caller-identity")
	if code != 255 || !strings.Contains(errOut, "InvalidClientTokenId") {
		t.Errorf("without the session token: exit %d, %s; want 255 and InvalidClientTokenId", code, errOut)
	}
}
