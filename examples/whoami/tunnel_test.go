package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sts/ststest"
)

// stsHosts are the AWS STS hosts the certificate of tunnelSTS names.
var stsHosts = []string{
	"sts.amazonaws.com", "sts.us-east-1.amazonaws.com", "sts-fips.us-east-1.amazonaws.com",
	"sts.us-east-1.api.aws", "sts-fips.us-east-1.api.aws",
	"sts-fips.aws-global.amazonaws.com", "sts.aws-global.api.aws", "sts-fips.aws-global.api.aws",
}

// tunnelSTS is a fake STS at AWS's own host names, with nothing leaving
// the machine: an HTTPS proxy on loopback records the host each CONNECT
// asks for and, for port 443, tunnels to an ststest.Server behind TLS on
// loopback (never to the host named), whose certificate names stsHosts
// and is in CAFile. A client that trusts CAFile and uses the proxy gets
// its answers from the fake, whichever STS host it chose.
type tunnelSTS struct {
	*ststest.Server
	// CAFile holds the fake's certificate, for AWS_CA_BUNDLE and
	// SSL_CERT_FILE.
	CAFile string

	tls  *httptest.Server
	addr string

	mu    sync.Mutex
	hosts []string
	seen  int // the fake's requests take has returned
}

func newTunnelSTS(t *testing.T) *tunnelSTS {
	t.Helper()
	s := &tunnelSTS{Server: ststest.NewServer()}
	t.Cleanup(s.Server.Close)
	target, err := url.Parse(s.Server.URL)
	if err != nil {
		t.Fatal(err)
	}
	cert, certPEM := stsCertificate(t)
	s.CAFile = filepath.Join(t.TempDir(), "sts-ca.pem")
	if err := os.WriteFile(s.CAFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	// The reverse proxy keeps the Host header, which the request is
	// signed for.
	s.tls = httptest.NewUnstartedServer(httputil.NewSingleHostReverseProxy(target))
	s.tls.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.tls.StartTLS()
	t.Cleanup(s.tls.Close)

	s.addr = peertest.ServeConns(t, 30*time.Second, s.serve)
	return s
}

// ProxyURL is the proxy's URL, for HTTPS_PROXY.
func (s *tunnelSTS) ProxyURL() string { return "http://" + s.addr }

// serve records the host a CONNECT asks for and, for port 443, tunnels
// the connection to the fake behind TLS; it refuses anything else.
func (s *tunnelSTS) serve(c net.Conn) {
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	host := peertest.ProxyTarget(req)
	s.mu.Lock()
	s.hosts = append(s.hosts, host)
	s.mu.Unlock()
	if req.Method != http.MethodConnect || !strings.HasSuffix(host, ":443") {
		io.WriteString(c, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	up, err := net.Dial("tcp", s.tls.Listener.Addr().String())
	if err != nil {
		io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		return
	}
	defer up.Close()
	io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{})
	go func() { io.Copy(up, br); up.(*net.TCPConn).CloseWrite(); close(done) }()
	io.Copy(c, up)
	<-done
}

// take returns the hosts the CONNECTs asked for, and the Action and
// signing region of each request the fake got, since the last take.
func (s *tunnelSTS) take(t *testing.T) (hosts, calls []string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	hosts, s.hosts = s.hosts, nil
	reqs := s.Server.Requests()[s.seen:]
	s.seen += len(reqs)
	for _, r := range reqs {
		_, scope, _ := strings.Cut(r.Header.Get("Authorization"), "Credential=")
		parts := strings.Split(scope, "/") // key/date/region/sts/aws4_request,...
		if len(parts) < 3 {
			t.Fatalf("request %s not signed: Authorization %q", r.Action, r.Header.Get("Authorization"))
		}
		calls = append(calls, r.Action+" signed for "+parts[2])
	}
	return hosts, calls
}

// stsCertificate returns a self-signed certificate for stsHosts, as a
// tls.Certificate and in PEM.
func stsCertificate(t *testing.T) (tls.Certificate, []byte) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "fake STS"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    stsHosts,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: k}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// TestNoRegionMatchesAWSCLI runs whoami and `aws sts get-caller-identity`
// with no region at all, and a few settings around it, against the fake
// STS at AWS's host names: both call the same host (STS's global
// endpoint, whatever sts_regional_endpoints says, or the FIPS and
// dual-stack endpoints named after "aws-global"), sign for the same
// region (us-east-1), and print the same bytes. A role profile's
// AssumeRole follows the same rule. whoami runs in a process of its own:
// Go's HTTP client reads HTTPS_PROXY, and crypto/x509 SSL_CERT_FILE, from
// the process's environment.
func TestNoRegionMatchesAWSCLI(t *testing.T) {
	peertest.Require(t, "aws")
	if runtime.GOOS != "linux" {
		t.Skip("SSL_CERT_FILE is how crypto/x509 finds roots on Linux")
	}
	const us = "us-east-1"
	tests := []struct {
		name    string
		env     map[string]string
		profile string
		host    string // the host every CONNECT of both asks for
	}{
		{name: "no region", host: "sts.amazonaws.com:443"},
		{name: "no region, legacy", env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, host: "sts.amazonaws.com:443"},
		{name: "no region, FIPS", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, host: "sts-fips.aws-global.amazonaws.com:443"},
		{name: "no region, dual-stack", env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "true"}, host: "sts.aws-global.api.aws:443"},
		{name: "no region, FIPS and dual-stack", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"}, host: "sts-fips.aws-global.api.aws:443"},
		{name: "us-east-1", env: map[string]string{"AWS_DEFAULT_REGION": us}, host: "sts.us-east-1.amazonaws.com:443"},
		{name: "role profile, no region", profile: "role", host: "sts.amazonaws.com:443"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newTunnelSTS(t)
			key := fake.AddUser(ststest.DefaultAccount, "/", "nowhere")
			env := peertest.AWSEnv(t, map[string]string{
				"AWS_ACCESS_KEY_ID": key.AccessKeyID, "AWS_SECRET_ACCESS_KEY": key.SecretAccessKey(),
				"HTTPS_PROXY": fake.ProxyURL(), "AWS_CA_BUNDLE": fake.CAFile, "SSL_CERT_FILE": fake.CAFile,
				"AWS_MAX_ATTEMPTS": "1",
			})
			delete(env, "AWS_DEFAULT_REGION")
			for k, v := range tt.env {
				env[k] = v
			}
			var args []string
			wantCalls := []string{"GetCallerIdentity signed for " + us}
			if tt.profile != "" {
				env["AWS_CONFIG_FILE"] = filepath.Join(env["HOME"], "config")
				config := "[profile role]\nrole_arn = arn:aws:iam::" + ststest.DefaultAccount + ":role/r\nrole_session_name = nowhere-session\nsource_profile = src\n" +
					"[profile src]\naws_access_key_id = " + key.AccessKeyID + "\naws_secret_access_key = " + key.SecretAccessKey() + "\n"
				if err := os.WriteFile(env["AWS_CONFIG_FILE"], []byte(config), 0o600); err != nil {
					t.Fatal(err)
				}
				args = []string{"--profile", tt.profile}
				wantCalls = append([]string{"AssumeRole signed for " + us}, wantCalls...)
			}

			cli := peertest.AWSCLI(t, env, append([]string{"sts", "get-caller-identity"}, args...)...)
			cliHosts, cliCalls := fake.take(t)
			got := runAsProcess(t, env, args...)
			hosts, calls := fake.take(t)

			if cli.ExitCode != 0 {
				t.Fatalf("the CLI failed: exit %d, stderr %q (called %q)", cli.ExitCode, cli.Stderr, cliHosts)
			}
			if diff := cmp.Diff(cli, got); diff != "" {
				t.Errorf("whoami differs from aws sts get-caller-identity (-aws +whoami):\n%s", diff)
			}
			for _, who := range []struct {
				name         string
				hosts, calls []string
			}{{"the CLI", cliHosts, cliCalls}, {"whoami", hosts, calls}} {
				if len(who.hosts) == 0 || strings.Count(strings.Join(who.hosts, " ")+" ", tt.host+" ") != len(who.hosts) {
					t.Errorf("%s called %q; want %s only", who.name, who.hosts, tt.host)
				}
				if diff := cmp.Diff(wantCalls, who.calls); diff != "" {
					t.Errorf("%s's calls (-want +got):\n%s", who.name, diff)
				}
			}
		})
	}
}
