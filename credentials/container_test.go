package credentials

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const containerJSON = `{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"` + testSecret + `","Token":"` + testToken + `","Expiration":"2030-01-02T03:04:05Z","AccountId":"123456789012"}`

func wantContainerCreds() Credentials {
	c := New("ASIACONTAINER", testSecret, testToken)
	c.Source = "ContainerProvider"
	c.AccountID = "123456789012"
	c.Expires = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	return c
}

// fakeContainerService stands in for the ECS agent or the EKS Pod Identity
// agent: it answers path with credentials when the Authorization header is
// wantAuth (any, if wantAuth is empty).
type fakeContainerService struct {
	path     string
	wantAuth atomic.Value // string
	requests atomic.Int32
	status   int    // answer this instead, if set
	body     string // with this body
	delay    time.Duration
}

func (f *fakeContainerService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-r.Context().Done():
			return
		}
	}
	if r.Method != http.MethodGet || r.URL.Path != f.path || r.Header.Get("Accept") != "application/json" {
		http.Error(w, `{"code":"NotFound","message":"no such path"}`, http.StatusNotFound)
		return
	}
	if want, _ := f.wantAuth.Load().(string); want != "" && r.Header.Get("Authorization") != want {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"code":"InvalidToken","message":"token %s is not valid"}`, r.Header.Get("Authorization"))
		return
	}
	if f.status != 0 {
		w.WriteHeader(f.status)
		fmt.Fprint(w, f.body)
		return
	}
	fmt.Fprint(w, containerJSON)
}

func newContainerService(t *testing.T, path, auth string) (*fakeContainerService, *httptest.Server) {
	f := &fakeContainerService{path: path}
	f.wantAuth.Store(auth)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func envMap(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestContainerProviderECS(t *testing.T) {
	_, srv := newContainerService(t, "/v2/credentials/task-uuid", "")
	p := &ContainerProvider{
		Getenv:      envMap(map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task-uuid", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://ignored.example/"}),
		ECSEndpoint: srv.URL,
	}
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantContainerCreds(), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestContainerProviderPodIdentityTokenFile(t *testing.T) {
	f, srv := newContainerService(t, "/v1/credentials", "token-one")
	tokenFile := writeFile(t, t.TempDir(), "token", "token-one")
	env := map[string]string{
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     srv.URL + "/v1/credentials",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":      "the file wins",
	}
	p := &ContainerProvider{Getenv: envMap(env)}
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The agent rotates the token; the file is read again.
	f.wantAuth.Store("token-two")
	writeFile(t, filepath.Dir(tokenFile), "token", "token-two")
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	if diff := cmp.Diff(wantContainerCreds(), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// The token from the environment, when there is no file.
	delete(env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
	env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "token-two"
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatalf("token from the environment: %v", err)
	}
}

func TestContainerProviderErrors(t *testing.T) {
	const token = "Bearer SECRETTOKENVALUE"
	tests := []struct {
		name       string
		env        map[string]string // FULL_URI is the server's unless set
		status     int
		body       string
		delay      time.Duration
		auth       string
		wantMsg    string
		wantTries  int32
		notFound   bool
		noRequests bool
	}{
		{name: "not configured", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": ""}, notFound: true, wantMsg: "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", noRequests: true},
		{name: "token with a newline", env: map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN": token + "\n"}, wantMsg: "contains a line break", noRequests: true},
		{name: "token with a control character", env: map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN": token + "\x00"}, wantMsg: "control character", noRequests: true},
		{name: "missing token file", env: map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/nonexistent/token"}, wantMsg: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: open /nonexistent/token: no such file", noRequests: true},
		{name: "wrong token echoed back", env: map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN": token}, auth: "other", wantMsg: "HTTP 401: InvalidToken: token <redacted> is not valid", wantTries: 1},
		{name: "500 echoing the token in JSON", env: map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN": token}, status: 500, body: `{"code":"Boom","message":"failed for ` + token + `"}`, wantMsg: "HTTP 500: Boom: failed for <redacted> (tried 3 times)", wantTries: 3},
		{name: "500 echoing the token in text", env: map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN": token}, status: 500, body: "failed for " + token, wantMsg: "HTTP 500 (tried 3 times)", wantTries: 3},
		{name: "404", status: 404, body: `{"code":"NotFound","message":"gone"}`, wantMsg: "HTTP 404: NotFound: gone", wantTries: 1},
		{name: "bad JSON", status: 200, body: `{"AccessKeyId": "A", "SecretAccessKey": ` + token, wantMsg: "response is not valid JSON", wantTries: 1},
		{name: "missing keys", status: 200, body: `{"Token":"x"}`, wantMsg: `response has no "AccessKeyId", "SecretAccessKey"`, wantTries: 1},
		{name: "slow", delay: 2 * time.Second, wantMsg: "no answer within 100ms: context deadline exceeded (tried 3 times)", wantTries: 3},
		{name: "plain http to a remote host", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://192.0.2.1/creds"}, wantMsg: `host "192.0.2.1" is not allowed over plain http`, noRequests: true},
		{name: "ftp", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "ftp://127.0.0.1/creds"}, wantMsg: `scheme "ftp"`, noRequests: true},
		{name: "relative URI without slash", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "v2/x"}, wantMsg: "does not start with /", noRequests: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newContainerService(t, "/creds", tt.auth)
			f.status, f.body, f.delay = tt.status, tt.body, tt.delay
			env := map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds?secret=QUERYSECRET"}
			for k, v := range tt.env {
				env[k] = v
			}
			p := &ContainerProvider{Getenv: envMap(env), Timeout: 100 * time.Millisecond, RetryDelay: 10 * time.Millisecond}
			start := time.Now()
			_, err := p.Retrieve(context.Background())
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("took %v", elapsed)
			}
			var e *Error
			if !errors.As(err, &e) || e.Source != "ContainerProvider" {
				t.Fatalf("err = %v, want an *Error from ContainerProvider", err)
			}
			if errors.Is(err, ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(err, ErrNotFound) = %v, want %v", !tt.notFound, tt.notFound)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err = %q, want %q", err, tt.wantMsg)
			}
			for _, s := range []string{"SECRETTOKENVALUE", "SECRETKEY", "QUERYSECRET"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error shows a secret: %v", err)
				}
			}
			if n := f.requests.Load(); (tt.noRequests && n != 0) || (tt.wantTries != 0 && n != tt.wantTries) {
				t.Errorf("server saw %d requests, want %d", n, tt.wantTries)
			}
			if tt.wantTries <= 1 && strings.Contains(err.Error(), "tried") {
				t.Errorf("err = %q: one request is not retries", err)
			}
		})
	}
}

func TestContainerProviderFullURIHostCheck(t *testing.T) {
	resolver := map[string][]string{
		"localhost":      {"127.0.0.1", "::1"},
		"agent.internal": {"169.254.170.23", "fd00:ec2::23"},
		"mixed.internal": {"127.0.0.1", "10.0.0.7"},
		"zoned.internal": {"fe80::1%eth0"},
	}
	lookup := func(_ context.Context, host string) ([]string, error) {
		if a, ok := resolver[host]; ok {
			return a, nil
		}
		return nil, fmt.Errorf("lookup %s: no such host", host)
	}
	tests := []struct {
		uri     string
		wantErr string
	}{
		{uri: "http://127.0.0.1:8080/creds"},
		{uri: "http://127.1.2.3/creds"},
		{uri: "http://[::1]:80/creds"},
		{uri: "http://169.254.170.2/v2/creds"},
		{uri: "http://169.254.170.23/v1/credentials"},
		{uri: "http://[fd00:ec2::23]/v1/credentials"},
		{uri: "http://localhost:1234/creds"},
		{uri: "http://agent.internal/creds"},
		{uri: "https://creds.example.com/anything"},
		{uri: "http://169.254.169.254/latest", wantErr: `host "169.254.169.254" is not allowed over plain http`},
		{uri: "http://[fd00:ec2::254]/", wantErr: `host "fd00:ec2::254" is not allowed`},
		{uri: "http://mixed.internal/creds", wantErr: `host "mixed.internal" (resolving to 127.0.0.1, 10.0.0.7) is not allowed over plain http`},
		{uri: "http://zoned.internal/creds", wantErr: "is not allowed"},
		{uri: "http://unknown.internal/creds", wantErr: `host "unknown.internal" cannot be resolved`},
		{uri: "/relative/only", wantErr: "not an absolute http or https URL"},
		{uri: "http://%zz/", wantErr: "not an absolute http or https URL"},
	}
	for _, tt := range tests {
		p := &ContainerProvider{LookupHost: lookup}
		err := p.checkFullURI(context.Background(), tt.uri)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.uri, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: err = %v, want %q", tt.uri, err, tt.wantErr)
		}
	}
}

func TestContainerProviderDoesNotFollowRedirects(t *testing.T) {
	var reached atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Store(true)
		fmt.Fprint(w, containerJSON)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.RedirectHandler(other.URL+"/steal", http.StatusFound))
	defer srv.Close()
	p := &ContainerProvider{Getenv: envMap(map[string]string{
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN":  "tok",
	}), Client: &http.Client{}}
	_, err := p.Retrieve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 302") || reached.Load() {
		t.Fatalf("err = %v, redirect followed: %v", err, reached.Load())
	}
}

func TestContainerProviderHonoursContext(t *testing.T) {
	f, srv := newContainerService(t, "/creds", "")
	f.delay = time.Minute
	p := &ContainerProvider{Getenv: envMap(map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": srv.URL + "/creds"})}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.Retrieve(ctx)
	if err == nil || time.Since(start) > time.Second {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}
}

func TestContainerTokenFileUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	path := writeFile(t, t.TempDir(), "token", "x")
	os.Chmod(path, 0)
	_, err := containerToken(envMap(map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": path}))
	if err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("err = %v", err)
	}
}
