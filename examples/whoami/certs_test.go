package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sts/ststest"
)

// TestMain runs whoami itself, instead of the tests, when the test binary
// is started as whoami by runAsProcess: crypto/x509 reads SSL_CERT_FILE
// and SSL_CERT_DIR from the process's environment, once, so what they do
// can only be seen in a process of its own.
func TestMain(m *testing.M) {
	if os.Getenv("WHOAMI_TEST_AS_WHOAMI") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(m.Run())
}

// runAsProcess runs whoami with args in a process of its own with exactly
// the environment env.
func runAsProcess(t *testing.T, env map[string]string, args ...string) peertest.CLIResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = []string{"WHOAMI_TEST_AS_WHOAMI=1"}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cmd.Env = append(cmd.Env, k+"="+env[k])
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := peertest.CLIResult{Stdout: stdout.String(), Stderr: stderr.String()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running whoami: %v", err)
		}
		res.ExitCode = ee.ExitCode()
	}
	return res
}

// TestNoCACertificates runs whoami, as it runs in an image with nothing
// else in it, against an https fake STS: with SSL_CERT_FILE and
// SSL_CERT_DIR pointing at an empty file and an empty directory it has no
// CA certificates, and says so and what to do; with the server's
// certificate it gets its answer; with another CA's it reports the
// unknown authority without the advice.
func TestNoCACertificates(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("SSL_CERT_FILE and SSL_CERT_DIR are how crypto/x509 finds roots on Linux")
	}
	sts := ststest.NewServer(ststest.WithSeed(7))
	defer sts.Close()
	key := sts.AddUser(ststest.DefaultAccount, "/", "scratch")
	target, err := url.Parse(sts.URL)
	if err != nil {
		t.Fatal(err)
	}
	// The proxy keeps the Host header, which the request is signed for.
	srv := httptest.NewTLSServer(httputil.NewSingleHostReverseProxy(target))
	defer srv.Close()

	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.pem", nil)
	emptyDir := filepath.Join(dir, "certs")
	if err := os.Mkdir(emptyDir, 0o700); err != nil {
		t.Fatal(err)
	}
	serverCA := write("server.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	otherCA := write("other.pem", selfSignedPEM(t))

	env := func(certFile string) map[string]string {
		return peertest.AWSEnv(t, map[string]string{
			"AWS_ACCESS_KEY_ID":     key.AccessKeyID,
			"AWS_SECRET_ACCESS_KEY": key.SecretAccessKey(),
			"AWS_MAX_ATTEMPTS":      "1",
			"SSL_CERT_FILE":         certFile,
			"SSL_CERT_DIR":          emptyDir,
		})
	}
	endpoint := srv.URL + "/"
	args := []string{"--endpoint-url", srv.URL, "--output", "text", "--query", "Arn"}

	got := runAsProcess(t, env(empty), args...)
	want := peertest.CLIResult{ExitCode: 255, Stderr: "\nSSL validation failed for " + endpoint + ": " +
		"no CA certificates were found (in SSL_CERT_FILE=" + empty + " and SSL_CERT_DIR=" + emptyDir + ") to verify the endpoint's certificate with.\n" +
		"A container built FROM scratch has none: copy a CA bundle into the image\n" +
		"(COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/), mount the host's\n" +
		"(-v /etc/ssl/certs:/etc/ssl/certs:ro), or set SSL_CERT_FILE to a bundle. A program of your own\n" +
		"can embed roots instead: import _ \"golang.org/x/crypto/x509roots/fallback\" in its main package.\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("no CA certificates (-want +got):\n%s", diff)
	}

	got = runAsProcess(t, env(serverCA), args...)
	if diff := cmp.Diff(peertest.CLIResult{Stdout: "arn:aws:iam::123456789012:user/scratch\n"}, got); diff != "" {
		t.Errorf("with the server's certificate (-want +got):\n%s", diff)
	}

	got = runAsProcess(t, env(otherCA), args...)
	want = peertest.CLIResult{ExitCode: 255, Stderr: "\nSSL validation failed for " + endpoint + " x509: certificate signed by unknown authority\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("with another CA (-want +got):\n%s", diff)
	}
	if strings.Contains(got.Stderr+got.Stdout, key.SecretAccessKey()) {
		t.Error("whoami printed the secret key")
	}
}

// selfSignedPEM returns a CA certificate of no server's.
func selfSignedPEM(t *testing.T) []byte {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "not the server's CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
