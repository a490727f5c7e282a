package callerid_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid"
	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/sts/ststest"
)

// TestWhoamiProfiles runs Whoami through the default credential chain with
// real shared files in a temporary HOME, against a fake STS that checks
// every signature: static keys in a profile, a role assumed from a source
// profile (AssumeRole signed with the source's keys), and the environment
// when no profile is named.
func TestWhoamiProfiles(t *testing.T) {
	srv := ststest.NewServer(ststest.WithSeed(7))
	defer srv.Close()
	alice := srv.AddUser("123456789012", "/", "alice")
	bob := srv.AddUser("123456789012", "/ops/", "bob")

	home := t.TempDir()
	if err := os.Mkdir(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(home, ".aws", "credentials"), ""+
		"[dev]\n"+
		"aws_access_key_id = "+alice.AccessKeyID+"\n"+
		"aws_secret_access_key = "+alice.SecretAccessKey()+"\n")
	writeFile(t, filepath.Join(home, ".aws", "config"), ""+
		"[profile dev]\n"+
		"region = eu-west-1\n"+
		"[profile local]\n"+
		"services = fake-sts\n"+
		"aws_access_key_id = "+bob.AccessKeyID+"\n"+
		"aws_secret_access_key = "+bob.SecretAccessKey()+"\n"+
		"[services fake-sts]\n"+
		"sts =\n"+
		"  endpoint_url = "+srv.URL+"\n"+
		"[profile deploy]\n"+
		"role_arn = arn:aws:iam::123456789012:role/deploy\n"+
		"source_profile = dev\n"+
		"role_session_name = whoami-test\n")

	base := map[string]string{
		"HOME":                        home,
		"AWS_CONFIG_FILE":             "",
		"AWS_SHARED_CREDENTIALS_FILE": "",
		"AWS_DEFAULT_REGION":          "",
		// Every STS client, the role assumer's too, goes to the fake.
		"AWS_ENDPOINT_URL_STS": srv.URL,
	}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}

	tests := []struct {
		name       string
		env        map[string]string
		opts       []callerid.Option
		wantARN    string
		wantKind   arn.Kind
		wantSource string
		wantRegion string
	}{
		{
			name:    "profile with keys",
			env:     base,
			opts:    []callerid.Option{callerid.WithProfile("dev")},
			wantARN: "arn:aws:iam::123456789012:user/alice", wantKind: arn.KindUser,
			wantSource: "SharedCredentialsFile(profile=dev)", wantRegion: "eu-west-1",
		},
		{
			name:    "AWS_PROFILE",
			env:     with(map[string]string{"AWS_PROFILE": "dev"}),
			wantARN: "arn:aws:iam::123456789012:user/alice", wantKind: arn.KindUser,
			wantSource: "SharedCredentialsFile(profile=dev)", wantRegion: "eu-west-1",
		},
		{
			name:    "role from a source profile",
			env:     with(map[string]string{"AWS_DEFAULT_REGION": "us-east-1"}), // a custom endpoint needs one, as in the CLI
			opts:    []callerid.Option{callerid.WithProfile("deploy")},
			wantARN: "arn:aws:sts::123456789012:assumed-role/deploy/whoami-test", wantKind: arn.KindAssumedRole,
			wantSource: "AssumeRoleProvider", wantRegion: "us-east-1",
		},
		{
			name:    "endpoint from the profile's services section",
			env:     with(map[string]string{"AWS_ENDPOINT_URL_STS": "", "AWS_DEFAULT_REGION": "us-east-1"}),
			opts:    []callerid.Option{callerid.WithProfile("local")},
			wantARN: "arn:aws:iam::123456789012:user/ops/bob", wantKind: arn.KindUser,
			wantSource: "SharedConfigFile(profile=local)", wantRegion: "us-east-1",
		},
		{
			name:    "environment beats the default profile",
			env:     with(map[string]string{"AWS_ACCESS_KEY_ID": bob.AccessKeyID, "AWS_SECRET_ACCESS_KEY": bob.SecretAccessKey(), "AWS_DEFAULT_REGION": "us-east-1"}),
			wantARN: "arn:aws:iam::123456789012:user/ops/bob", wantKind: arn.KindUser,
			wantSource: "EnvProvider", wantRegion: "us-east-1",
		},
		{
			name:    "an explicit profile beats the environment",
			env:     with(map[string]string{"AWS_ACCESS_KEY_ID": bob.AccessKeyID, "AWS_SECRET_ACCESS_KEY": bob.SecretAccessKey()}),
			opts:    []callerid.Option{callerid.WithProfile("dev")},
			wantARN: "arn:aws:iam::123456789012:user/alice", wantKind: arn.KindUser,
			wantSource: "SharedCredentialsFile(profile=dev)", wantRegion: "eu-west-1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Requests())
			opts := append(tt.opts, callerid.WithGetenv(isolated(t, tt.env)), callerid.WithHTTPClient(loopbackOnly()))
			id, err := callerid.Whoami(context.Background(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{id.ARN, id.Principal.Kind.String()}
			if diff := cmp.Diff([]string{tt.wantARN, tt.wantKind.String()}, got); diff != "" {
				t.Errorf("identity (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(id.CredentialSource, tt.wantSource) {
				t.Errorf("CredentialSource = %q, want it to start with %q", id.CredentialSource, tt.wantSource)
			}
			reqs := srv.Requests()[before:]
			last := reqs[len(reqs)-1]
			if !strings.Contains(last.Header.Get("Authorization"), "/"+tt.wantRegion+"/sts/aws4_request") {
				t.Errorf("GetCallerIdentity signed as %q, want region %s", last.Header.Get("Authorization"), tt.wantRegion)
			}
		})
	}
}

func TestWhoamiProfileErrors(t *testing.T) {
	home := t.TempDir()
	writeFile(t, filepath.Join(home, "config"), "[profile loop-a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = loop-b\n"+
		"[profile loop-b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = loop-a\n"+
		"[profile broken\n")
	env := map[string]string{"AWS_CONFIG_FILE": filepath.Join(home, "config"), "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1"}
	_, err := callerid.Whoami(context.Background(), callerid.WithGetenv(isolated(t, env)), callerid.WithProfile("nope"))
	var cfgErr *callerid.ConfigError
	if !errors.As(err, &cfgErr) || cfgErr.Path != filepath.Join(home, "config") {
		t.Errorf("malformed config: err = %v, want a *callerid.ConfigError naming the file", err)
	}

	writeFile(t, filepath.Join(home, "config"), "[profile loop-a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = loop-b\n"+
		"[profile loop-b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = loop-a\n")
	_, err = callerid.Whoami(context.Background(), callerid.WithGetenv(isolated(t, env)), callerid.WithProfile("nope"))
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing profile: err = %v, want it named", err)
	}
	_, err = callerid.Whoami(context.Background(), callerid.WithGetenv(isolated(t, env)), callerid.WithProfile("loop-a"))
	if err == nil || !strings.Contains(err.Error(), "loop") {
		t.Errorf("source_profile loop: err = %v, want it reported", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// loopbackOnly returns an HTTP client that refuses to connect anywhere but
// loopback, so that a test whose endpoint settings went wrong fails instead
// of reaching out to AWS.
func loopbackOnly() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				return nil, fmt.Errorf("test refuses to connect to %s: not loopback", addr)
			}
			return dialer.DialContext(ctx, network, addr)
		},
	}}
}
