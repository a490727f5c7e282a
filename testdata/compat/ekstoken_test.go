package compat

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/aws-iam-authenticator/pkg/token"

	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sts/ststest"
)

// buildEKSToken builds examples/ekstoken into a temporary directory and
// returns its path.
func buildEKSToken(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("building examples/ekstoken needs the go command: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "ekstoken")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", bin, "github.com/callerid/callerid/examples/ekstoken")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build examples/ekstoken: %v\n%s", err, out)
	}
	return bin
}

// runEKSToken runs the ekstoken binary with args in env, for at most a
// minute.
func runEKSToken(t *testing.T, bin string, env map[string]string, args ...string) peertest.CLIResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = 5 * time.Second
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := peertest.CLIResult{Stdout: stdout.String(), Stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok && ctx.Err() == nil {
		r.ExitCode = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("ekstoken %v: %v (ctx: %v)\nstderr: %s", args, err, ctx.Err(), r.Stderr)
	}
	return r
}

// TestEKSTokenCommandsAgainstAWSIAMAuthenticator runs the ekstoken binary
// and aws eks get-token with the keys of a fake STS's assumed role, in a
// region, in another and with none (the global endpoint), and verifies
// every token they print with aws-iam-authenticator's verifier, which
// EKS runs, and with callerid's: both take it, for the same identity.
func TestEKSTokenCommandsAgainstAWSIAMAuthenticator(t *testing.T) {
	peertest.Require(t, "aws")
	bin := buildEKSToken(t)
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_STS_REGIONAL_ENDPOINTS",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS"} {
		t.Setenv(k, "")
	}
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddAssumedRole("123456789012", "eks-admin", "laptop")
	transport := toServer{srv: srv, rt: http.DefaultTransport}
	// aws-iam-authenticator's verifier calls STS with a client of its
	// own, on http.DefaultTransport.
	saved := http.DefaultTransport
	http.DefaultTransport = transport
	defer func() { http.DefaultTransport = saved }()

	const cluster = "prod"
	ours, err := iamauth.NewVerifier(iamauth.VerifierOptions{
		ClusterID:  cluster,
		HTTPClient: &http.Client{Transport: transport, Timeout: 10 * time.Second},
		CacheSize:  -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	theirs := token.NewVerifier(cluster, "aws", "us-east-1")

	for _, tc := range []struct{ region, host string }{
		{"us-east-1", "sts.us-east-1.amazonaws.com"},
		{"eu-west-1", "sts.eu-west-1.amazonaws.com"},
		{"", "sts.amazonaws.com"},
	} {
		env := peertest.AWSEnv(t, map[string]string{
			"AWS_ACCESS_KEY_ID": key.AccessKeyID, "AWS_SECRET_ACCESS_KEY": key.SecretAccessKey(), "AWS_SESSION_TOKEN": key.SessionToken(),
		})
		args := []string{"--cluster-name", cluster}
		if tc.region != "" {
			env["AWS_DEFAULT_REGION"] = tc.region
		} else {
			delete(env, "AWS_DEFAULT_REGION")
		}
		for who, r := range map[string]peertest.CLIResult{
			"aws eks get-token": peertest.AWSCLI(t, env, append([]string{"eks", "get-token"}, args...)...),
			"ekstoken":          runEKSToken(t, bin, env, args...),
		} {
			t.Run(who+"/"+tc.host, func(t *testing.T) {
				if r.ExitCode != 0 {
					t.Fatalf("exit %d: %s", r.ExitCode, r.Stderr)
				}
				var ec struct {
					Status struct {
						Token string `json:"token"`
					} `json:"status"`
				}
				if err := json.Unmarshal([]byte(r.Stdout), &ec); err != nil {
					t.Fatalf("output %q: %v", r.Stdout, err)
				}
				tok := ec.Status.Token
				if host := tokenHost(t, tok); host != tc.host {
					t.Errorf("the token names %s, want %s", host, tc.host)
				}
				theirID, err := theirs.Verify(tok)
				if err != nil {
					t.Fatalf("aws-iam-authenticator's verifier: %v", err)
				}
				ourID, err := ours.VerifyEKSToken(context.Background(), tok)
				if err != nil {
					t.Fatalf("callerid's verifier: %v", err)
				}
				sameIdentity(t, ourID, theirID)
				if ourID.ARN != key.Identity.ARN {
					t.Errorf("ARN %s, want %s", ourID.ARN, key.Identity.ARN)
				}
			})
		}
	}
}

// tokenHost returns the host of the URL an EKS token holds.
func tokenHost(t *testing.T, tok string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, iamauth.TokenPrefix))
	if err != nil {
		t.Fatalf("token %.40q…: %v", tok, err)
	}
	u, err := url.Parse(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
