package callerid

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY"

func init() {
	// Never read this machine's boto config in tests.
	botoSystemConfig = filepath.Join(os.TempDir(), "callerid-test-no-such-dir", "boto.cfg")
}

// The test binary doubles as the credential_process under test: run with
// CALLERID_TEST_HELPER set, it behaves as that variable says instead of
// running tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("CALLERID_TEST_HELPER"); mode != "" {
		os.Exit(helperProcess(mode, os.Args[1:]))
	}
	os.Exit(m.Run())
}

func helperProcess(mode string, args []string) int {
	switch mode {
	case "ok":
		// AccountId echoes the arguments, to check how they were split.
		fmt.Printf(`{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": %q, "AccountId": %q}`, testSecret, strings.Join(args, "|"))
	case "fail-secret":
		fmt.Printf(`{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": %q}`, testSecret)
		fmt.Fprintln(os.Stderr, "helper: cannot reach the vault")
		return 3
	default:
		fmt.Fprintln(os.Stderr, "unknown helper mode", mode)
		return 2
	}
	return 0
}

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func envMap(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

const metadataCreds = `{"Code":"Success","AccessKeyId":"ASIAMETADATA","SecretAccessKey":"` + testSecret + `","Token":"token","Expiration":"2030-01-02T03:04:05Z"}`

// metadataJSON is what the container and instance metadata services send
// for keys.
func metadataJSON(id, secret, token string) string {
	return fmt.Sprintf(`{"Code":"Success","AccessKeyId":%q,"SecretAccessKey":%q,"Token":%q,"Expiration":"2030-01-02T03:04:05Z"}`, id, secret, token)
}

// newContainerService starts a container credentials endpoint (the ECS
// agent, EKS Pod Identity's) that answers path with creds (metadataCreds
// if empty) when the Authorization header is auth, and with status
// otherwise or when status is set.
func newContainerService(t *testing.T, path, auth string, status int, creds string) *httptest.Server {
	if creds == "" {
		creds = metadataCreds
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case status != 0:
			w.WriteHeader(status)
			fmt.Fprint(w, `{"code":"Boom","message":"the agent failed"}`)
		case r.URL.Path != path:
			http.NotFound(w, r)
		case r.Header.Get("Authorization") != auth:
			w.WriteHeader(http.StatusUnauthorized)
		default:
			fmt.Fprint(w, creds)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// fakeIMDS is an IMDSv2 instance metadata service with the role web-role,
// whose credentials are creds, answering credentials requests with status
// instead when it is set.
type fakeIMDS struct {
	mu     sync.Mutex
	puts   int
	status int
	creds  string
}

func newIMDS(t *testing.T, status int, creds string) (*fakeIMDS, *httptest.Server) {
	if creds == "" {
		creds = metadataCreds
	}
	f := &fakeIMDS{status: status, creds: creds}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeIMDS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	const creds = "/latest/meta-data/iam/security-credentials/"
	switch {
	case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token":
		f.puts++
		fmt.Fprint(w, "TOKEN")
	case r.Header.Get("X-aws-ec2-metadata-token") != "TOKEN":
		w.WriteHeader(http.StatusUnauthorized)
	case r.URL.Path == creds:
		fmt.Fprint(w, "web-role\n")
	case r.URL.Path == creds+"web-role" && f.status != 0:
		w.WriteHeader(f.status)
	case r.URL.Path == creds+"web-role":
		fmt.Fprint(w, f.creds)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeIMDS) tokenPuts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.puts
}
