package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/internal/httpreplay"
	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sts/ststest"
)

type result struct {
	Code           int
	Stdout, Stderr string
}

// runWith runs whoami with args in an environment that holds env on top of
// what keeps the credential chain off this machine's files and instance
// metadata.
func runWith(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	full := peertest.AWSEnv(t, env)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, func(k string) string { return full[k] })
	return result{code, stdout.String(), stderr.String()}
}

func replay(t *testing.T, name string) string {
	t.Helper()
	rec, err := httpreplay.Load(filepath.Join("..", "..", "testdata", "recorded", name))
	if err != nil {
		t.Fatal(err)
	}
	srv := httpreplay.NewServer(rec)
	t.Cleanup(srv.Close)
	return srv.URL
}

var keys = map[string]string{"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY"}

func TestRunRecorded(t *testing.T) {
	tests := []struct {
		name string
		file string
		args []string
		want result
	}{
		{"json", "api-reference/user.http", nil, result{0,
			"{\n    \"UserId\": \"AIDACKCEVSQ6C2EXAMPLE\",\n    \"Account\": \"123456789012\",\n    \"Arn\": \"arn:aws:iam::123456789012:user/Alice\"\n}\n", ""}},
		{"text", "api-reference/assumed-role.http", []string{"--output", "text"}, result{0,
			"123456789012\tarn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name\tARO123EXAMPLE123:my-role-session-name\n", ""}},
		{"verbose", "api-reference/federated-user.http", []string{"--verbose", "--output=text"}, result{0,
			"123456789012\tarn:aws:sts::123456789012:federated-user/my-federated-user-name\t123456789012:my-federated-user-name\n",
			"credentials from EnvProvider; caller is a federated user\n"}},
		{"api error", "sts-documented/error-expired-token.http", nil, result{255, "",
			"\nAn error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired\n"}},
		{"moto error", "moto/error-invalid-client-token-id.http", nil, result{255, "",
			"\nAn error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := replay(t, tt.file)
			got := runWith(t, keys, append([]string{"--endpoint-url", url}, tt.args...)...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunUsageAndLocalErrors(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		stderr   string
	}{
		{"bad output", keys, []string{"--output", "yaml"}, 2, "--output must be json or text"},
		{"unknown flag", keys, []string{"--nope"}, 2, "flag provided but not defined"},
		{"extra argument", keys, []string{"extra"}, 2, `unexpected argument "extra"`},
		{"no credentials", nil, []string{"--endpoint-url", "http://127.0.0.1:1"}, 255, "no credentials found"},
		{"remote http", keys, []string{"--endpoint-url", "http://sts.example.test"}, 255, "plain http is allowed only to a loopback host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runWith(t, tt.env, tt.args...)
			if got.Code != tt.wantCode || !strings.Contains(got.Stderr, tt.stderr) {
				t.Errorf("got exit %d, stderr %q; want exit %d, stderr containing %q", got.Code, got.Stderr, tt.wantCode, tt.stderr)
			}
			if strings.Contains(got.Stderr, keys["AWS_SECRET_ACCESS_KEY"]) || strings.Contains(got.Stdout, keys["AWS_SECRET_ACCESS_KEY"]) {
				t.Errorf("output shows the secret")
			}
		})
	}
}

func TestRunProfile(t *testing.T) {
	srv := ststest.NewServer(ststest.WithSeed(3))
	defer srv.Close()
	key := srv.AddUser(ststest.DefaultAccount, "/", "carol")
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	content := "[work]\naws_access_key_id = " + key.AccessKeyID + "\naws_secret_access_key = " + key.SecretAccessKey() + "\n"
	if err := os.WriteFile(creds, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"AWS_SHARED_CREDENTIALS_FILE": creds}
	got := runWith(t, env, "--profile", "work", "--endpoint-url", srv.URL, "--output", "text", "--verbose")
	want := result{0,
		"123456789012\tarn:aws:iam::123456789012:user/carol\t" + key.Identity.UserID + "\n",
		"credentials from SharedCredentialsFile(profile=work); caller is an IAM user\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got = runWith(t, env, "--profile", "play", "--endpoint-url", srv.URL)
	if got.Code != 255 || !strings.Contains(got.Stderr, `profile "play"`) {
		t.Errorf("unknown profile: got %+v, want exit 255 naming the profile", got)
	}
}
