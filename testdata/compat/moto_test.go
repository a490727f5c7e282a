package compat

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sts"
)

// recordDir is where TestMotoEndToEnd writes moto's raw responses when
// run with CALLERID_RECORD=1; the replay tests read them.
const recordDir = "../recorded/moto-live"

// motoAccount is the account moto puts everything in.
const motoAccount = "123456789012"

// motoSetupActions is the number of IAM actions the setup makes with the
// AWS CLI, which moto runs unauthenticated (INITIAL_NO_AUTH_ACTION_COUNT):
// create-user, create-access-key, put-user-policy and create-role. Every
// later request has its signature checked by moto, with botocore.
const motoSetupActions = 4

// stsClient returns an sts.Client for endpoint and keys that reads nothing
// from the environment and does not retry, so that each call is one
// request.
func stsClient(t *testing.T, endpoint string, creds credentials.Credentials, rt http.RoundTripper) *sts.Client {
	t.Helper()
	c, err := sts.New(sts.Options{
		Region:      "us-east-1",
		EndpointURL: endpoint,
		Credentials: &credentials.StaticProvider{Credentials: creds},
		HTTPClient:  &http.Client{Transport: rt, Timeout: 30 * time.Second},
		Retry:       sts.RetryOptions{MaxAttempts: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestMotoEndToEnd calls moto_server, which checks every signature with
// botocore, with callerid's sts.Client: GetCallerIdentity as an IAM user,
// AssumeRole, GetCallerIdentity as the assumed role (with its session
// token), and with a wrong secret and a tampered session token, whose
// refusals must come back as *sts.APIError with moto's code and status.
// With CALLERID_RECORD=1 it saves moto's raw answers in recordDir.
func TestMotoEndToEnd(t *testing.T) {
	peertest.Require(t, "aws")
	moto := peertest.StartMoto(t, motoSetupActions)
	rec := &RecordingTransport{}
	if os.Getenv("CALLERID_RECORD") == "1" {
		if err := os.MkdirAll(recordDir, 0o755); err != nil {
			t.Fatal(err)
		}
		rec.Dir = recordDir
	}

	// The setup, with the AWS CLI, unauthenticated.
	setup := peertest.AWSEnv(t, map[string]string{"AWS_ACCESS_KEY_ID": "AKIASETUPSETUPSETUP1", "AWS_SECRET_ACCESS_KEY": "setup"})
	cli := func(args ...string) string {
		t.Helper()
		res := peertest.AWSCLI(t, setup, append(args, "--endpoint-url", moto.URL, "--output", "json")...)
		if res.ExitCode != 0 {
			t.Fatalf("aws %v: exit %d: %s", args, res.ExitCode, res.Stderr)
		}
		return res.Stdout
	}
	cli("iam", "create-user", "--user-name", "alice")
	var key struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	if err := json.Unmarshal([]byte(cli("iam", "create-access-key", "--user-name", "alice")), &key); err != nil {
		t.Fatal(err)
	}
	cli("iam", "put-user-policy", "--user-name", "alice", "--policy-name", "sts",
		"--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"*"}]}`)
	cli("iam", "create-role", "--role-name", "compat-role", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"sts:AssumeRole"}]}`)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	alice := credentials.New(key.AccessKey.AccessKeyId, key.AccessKey.SecretAccessKey, "")

	// As the IAM user.
	rec.Name("get-caller-identity-user")
	id, err := stsClient(t, moto.URL, alice, rec).GetCallerIdentity(ctx)
	if err != nil {
		t.Fatalf("GetCallerIdentity as alice: %v", err)
	}
	checkIdentity(t, id, "arn:aws:iam::123456789012:user/alice", arn.KindUser, "alice", "")

	// AssumeRole, signed with alice's keys and checked by moto.
	rec.Name("assume-role")
	out, err := stsClient(t, moto.URL, alice, rec).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleARN:         "arn:aws:iam::123456789012:role/compat-role",
		RoleSessionName: "compat-session",
	})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	if out.Credentials.SessionToken() == "" || !out.Credentials.HasKeys() {
		t.Fatalf("AssumeRole returned no temporary keys: %v", out.Credentials)
	}
	if got, want := out.AssumedRoleUser.ARN, "arn:aws:sts::123456789012:assumed-role/compat-role/compat-session"; got != want {
		t.Errorf("AssumedRoleUser.ARN = %q, want %q", got, want)
	}
	role := out.Credentials

	rec.Name("get-caller-identity-assumed-role")
	id, err = stsClient(t, moto.URL, role, rec).GetCallerIdentity(ctx)
	if err != nil {
		t.Fatalf("GetCallerIdentity as the role session: %v", err)
	}
	checkIdentity(t, id, "arn:aws:sts::123456789012:assumed-role/compat-role/compat-session", arn.KindAssumedRole, "compat-role", "compat-session")

	// Refusals, as typed errors.
	for _, tt := range []struct {
		name   string
		creds  credentials.Credentials
		status int
		code   string
	}{
		{"error-signature-does-not-match", credentials.New(alice.AccessKeyID, "not-"+alice.SecretAccessKey(), ""), http.StatusForbidden, "SignatureDoesNotMatch"},
		{"error-tampered-session-token", credentials.New(role.AccessKeyID, role.SecretAccessKey(), role.SessionToken()+"x"), http.StatusForbidden, "InvalidClientTokenId"},
		{"error-unknown-access-key", credentials.New("AKIAUNKNOWNUNKNOWN12", alice.SecretAccessKey(), ""), http.StatusForbidden, "InvalidClientTokenId"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec.Name(tt.name)
			_, err := stsClient(t, moto.URL, tt.creds, rec).GetCallerIdentity(ctx)
			var apiErr *sts.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("GetCallerIdentity: %v (%T), want an *sts.APIError", err, err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Code != tt.code {
				t.Errorf("got HTTP %d %s (%q), want HTTP %d %s", apiErr.StatusCode, apiErr.Code, apiErr.Message, tt.status, tt.code)
			}
			var opErr *sts.OperationError
			if !errors.As(err, &opErr) || opErr.Operation != "GetCallerIdentity" {
				t.Errorf("error %v is not an *sts.OperationError naming GetCallerIdentity", err)
			}
		})
	}
}

// checkIdentity checks what GetCallerIdentity answered, and what
// arn.ParsePrincipal makes of its ARN.
func checkIdentity(t *testing.T, id *sts.CallerIdentity, wantARN string, kind arn.Kind, name, session string) {
	t.Helper()
	if id.ARN != wantARN || id.Account != motoAccount || id.UserID == "" || id.RequestID == "" {
		t.Errorf("identity = %+v, want ARN %s in account %s, with a user id and a request id", id, wantARN, motoAccount)
	}
	p, err := arn.ParsePrincipal(id.ARN)
	if err != nil {
		t.Fatalf("ParsePrincipal(%q): %v", id.ARN, err)
	}
	got := struct {
		Kind          arn.Kind
		Name, Session string
	}{p.Kind, p.Name, p.SessionName}
	want := struct {
		Kind          arn.Kind
		Name, Session string
	}{kind, name, session}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("principal of %s (-want +got):\n%s", id.ARN, diff)
	}
}
