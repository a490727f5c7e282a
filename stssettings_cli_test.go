package callerid

import (
	"bufio"
	"context"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/internal/peertest"
)

// connectRecorder is an HTTPS proxy on loopback that refuses every
// tunnel and records the host each CONNECT asked for: what a client would
// have called, without a request leaving the machine.
type connectRecorder struct {
	addr  string
	mu    sync.Mutex
	hosts []string
}

func newConnectRecorder(t *testing.T) *connectRecorder {
	t.Helper()
	r := &connectRecorder{}
	r.addr = peertest.ServeConns(t, 10*time.Second, func(c net.Conn) {
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		r.mu.Lock()
		r.hosts = append(r.hosts, peertest.ProxyTarget(req))
		r.mu.Unlock()
		c.Write([]byte("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
	})
	return r
}

func (r *connectRecorder) URL() string { return "http://" + r.addr }

// take returns the hosts recorded so far and forgets them.
func (r *connectRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.hosts
	r.hosts = nil
	return h
}

// TestSTSSettingsAgainstTheCLI runs aws sts get-caller-identity with the
// settings of the peer rows of stsSettingRows, through a proxy on
// loopback that refuses every tunnel, and checks that the CLI would call
// the host LoadConfig's STS client calls, or refuses the configuration as
// LoadConfig does.
func TestSTSSettingsAgainstTheCLI(t *testing.T) {
	peertest.Require(t, "aws")
	proxy := newConnectRecorder(t)
	// The CLI trusts only a throwaway certificate: were it ever to go
	// around the proxy, its TLS handshake with the real host would fail
	// before a request was sent.
	caBundle := throwawayCA(t)
	for _, row := range stsSettingRows() {
		if !row.peer {
			continue
		}
		t.Run(row.name, func(t *testing.T) {
			host, _, err := loadSTSRow(t, row)
			if (err != nil) != (row.err != "") || err == nil && host != row.host {
				t.Fatalf("LoadConfig: host %q, err %v; want %q, %q (TestSTSSettingValues says more)", host, err, row.host, row.err)
			}

			env := peertest.AWSEnv(t, map[string]string{
				"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": testSecret,
				"HTTPS_PROXY": proxy.URL(), "AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard",
				"AWS_CA_BUNDLE": caBundle,
			})
			delete(env, "AWS_DEFAULT_REGION")
			for k, v := range row.env {
				env[k] = v
			}
			if row.profile != nil {
				env["AWS_CONFIG_FILE"] = filepath.Join(env["HOME"], "config")
				if err := os.WriteFile(env["AWS_CONFIG_FILE"], []byte(profileFile(row.profile)), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			res := peertest.AWSCLI(t, env, "sts", "get-caller-identity")
			hosts := proxy.take()
			if row.err != "" {
				if res.ExitCode == 0 || len(hosts) != 0 || !strings.Contains(res.Stderr, "STS regional endpoints option") {
					t.Errorf("LoadConfig refuses it (%v); the CLI: exit %d, called %q, stderr %q", err, res.ExitCode, hosts, res.Stderr)
				}
				return
			}
			if want := []string{host + ":443"}; len(hosts) != 1 || hosts[0] != want[0] {
				t.Errorf("the CLI called %q (exit %d, stderr %q); LoadConfig's client calls %q", hosts, res.ExitCode, res.Stderr, want)
			}
		})
	}
}

// TestRoleEndpointWithoutRegionAgainstTheCLI: with no region at all, the
// STS calls that get a role's credentials (AssumeRole from a
// source_profile, AssumeRoleWithWebIdentity) go to the same host from
// the AWS CLI and from LoadConfig's chain: STS's global endpoint, or
// with FIPS the one named after "aws-global". Both go through a proxy on
// loopback that refuses every tunnel, so the role's call is the only
// one.
func TestRoleEndpointWithoutRegionAgainstTheCLI(t *testing.T) {
	peertest.Require(t, "aws")
	proxy := newConnectRecorder(t)
	proxyURL, err := url.Parse(proxy.URL())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		profile string
		want    string
	}{
		{"role", "sts.amazonaws.com:443"},
		{"legacy", "sts.amazonaws.com:443"},
		{"fips", "sts-fips.aws-global.amazonaws.com:443"},
		{"web", "sts.amazonaws.com:443"},
	}
	for _, tt := range tests {
		t.Run(tt.profile, func(t *testing.T) {
			// A throwaway CA, so that a request around the proxy would fail
			// its TLS handshake before anything was sent.
			env := peertest.AWSEnv(t, map[string]string{"AWS_MAX_ATTEMPTS": "1", "AWS_CA_BUNDLE": throwawayCA(t)})
			delete(env, "AWS_DEFAULT_REGION")
			token := filepath.Join(env["HOME"], "token")
			if err := os.WriteFile(token, []byte("a-web-identity-token"), 0o600); err != nil {
				t.Fatal(err)
			}
			role := "role_arn = arn:aws:iam::123456789012:role/r\nrole_session_name = session\n"
			env["AWS_CONFIG_FILE"] = filepath.Join(env["HOME"], "config")
			config := "[profile src]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = " + testSecret + "\n" +
				"[profile role]\n" + role + "source_profile = src\n" +
				"[profile legacy]\n" + role + "source_profile = src\nsts_regional_endpoints = legacy\n" +
				"[profile fips]\n" + role + "source_profile = src\nuse_fips_endpoint = true\n" +
				"[profile web]\n" + role + "web_identity_token_file = " + token + "\n"
			if err := os.WriteFile(env["AWS_CONFIG_FILE"], []byte(config), 0o600); err != nil {
				t.Fatal(err)
			}
			res := peertest.AWSCLI(t, merge(env, map[string]string{"HTTPS_PROXY": proxy.URL()}), "sts", "get-caller-identity", "--profile", tt.profile)
			cli := proxy.take()

			client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}, Timeout: 10 * time.Second}
			_, libErr := Whoami(context.Background(), WithGetenv(envMap(env)), WithProfile(tt.profile), WithHTTPClient(client))
			lib := proxy.take()
			if res.ExitCode == 0 || libErr == nil {
				t.Fatalf("the CLI exited %d, Whoami's error is %v; want both to fail at the proxy", res.ExitCode, libErr)
			}
			if diff := cmp.Diff(cli, lib); diff != "" || len(cli) != 1 || cli[0] != tt.want {
				t.Errorf("the CLI called %q (stderr %q), LoadConfig's chain %q; want %q from both", cli, res.Stderr, lib, tt.want)
			}
		})
	}
}

// throwawayCA writes the certificate of a TLS server made and closed at
// once, which no real host's certificate chains to, and returns its path.
func throwawayCA(t *testing.T) string {
	t.Helper()
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	srv.Close()
	path := filepath.Join(t.TempDir(), "throwaway-ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
