package credentials

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeIMDS is an IMDSv2 instance metadata service: a GET without the
// current token gets 401, as the real one does when IMDSv1 is off.
type fakeIMDS struct {
	mu          sync.Mutex
	token       string
	role        string // "" means no role attached
	credsBody   string
	credsStatus int
	putStatus   int           // answer token PUTs with this, if set
	putDelay    time.Duration // before answering a PUT
	allowV1     bool          // accept GETs without a token
	puts, gets  int
	tokens      int
}

func (f *fakeIMDS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token":
		f.puts++
		if r.Header.Get("X-aws-ec2-metadata-token-ttl-seconds") != "21600" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if f.putDelay > 0 {
			d := f.putDelay
			f.mu.Unlock()
			select {
			case <-time.After(d):
			case <-r.Context().Done():
			}
			f.mu.Lock()
			return
		}
		if f.putStatus != 0 {
			w.WriteHeader(f.putStatus)
			return
		}
		f.tokens++
		f.token = fmt.Sprintf("TOKEN-%d", f.tokens)
		fmt.Fprint(w, f.token)
	case r.Method == http.MethodGet:
		f.gets++
		tok := r.Header.Get("X-aws-ec2-metadata-token")
		if !(tok == "" && f.allowV1) && (tok == "" || tok != f.token) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch {
		case r.URL.Path == imdsCredsPath && f.role != "":
			fmt.Fprint(w, f.role+"\n")
		case f.role != "" && r.URL.Path == imdsCredsPath+f.role:
			if f.credsStatus != 0 {
				w.WriteHeader(f.credsStatus)
			}
			fmt.Fprint(w, f.credsBody)
		default:
			http.NotFound(w, r)
		}
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

const imdsCredsJSON = `{"Code":"Success","LastUpdated":"2030-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAIMDS","SecretAccessKey":"` + testSecret + `","Token":"` + testToken + `","Expiration":"2030-01-02T03:04:05Z"}`

func newIMDS(t *testing.T) (*fakeIMDS, *httptest.Server) {
	f := &fakeIMDS{role: "web-role", credsBody: imdsCredsJSON}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeIMDS) counts() (puts, gets int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.puts, f.gets
}

func TestIMDSProvider(t *testing.T) {
	f, srv := newIMDS(t)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &IMDSProvider{
		Getenv: envMap(map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": srv.URL + "/"}),
		Now:    func() time.Time { return now },
	}
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := New("ASIAIMDS", testSecret, testToken)
	want.Source = "IMDSProvider(role=web-role)"
	want.Expires = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The token is reused...
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	if puts, gets := f.counts(); puts != 1 || gets != 4 {
		t.Errorf("after two Retrieves: %d PUTs, %d GETs; want 1 and 4", puts, gets)
	}
	// ...until shortly before its six hours are up.
	now = now.Add(6*time.Hour - 30*time.Second)
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	if puts, _ := f.counts(); puts != 2 {
		t.Errorf("near the token's expiry: %d PUTs, want 2", puts)
	}
	// A token the service no longer accepts is replaced, once.
	f.mu.Lock()
	f.token = "rotated"
	f.mu.Unlock()
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatalf("after the service forgot the token: %v", err)
	}
	if puts, _ := f.counts(); puts != 3 {
		t.Errorf("after a 401: %d PUTs, want 3", puts)
	}
}

func TestIMDSProviderErrors(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(*fakeIMDS)
		v1       bool
		env      map[string]string
		wantMsg  string
		notFound bool
		wantGets int
	}{
		{name: "no role", setup: func(f *fakeIMDS) { f.role = "" }, notFound: true, wantMsg: "no IAM role"},
		{name: "Code is not Success", setup: func(f *fakeIMDS) {
			f.credsBody = `{"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume the role","LastUpdated":"2030-01-01T00:00:00Z"}`
		}, wantMsg: `IMDSProvider(role=web-role): the instance metadata service answered Code "AssumeRoleUnauthorizedAccess": "EC2 cannot assume the role"`},
		{name: "no Code", setup: func(f *fakeIMDS) {
			f.credsBody = `{"AccessKeyId":"A","SecretAccessKey":"SECRETKEY","Token":"T","Expiration":"2030-01-02T03:04:05Z"}`
		}, wantMsg: `no "Code"`},
		{name: "missing fields", setup: func(f *fakeIMDS) { f.credsBody = `{"Code":"Success","AccessKeyId":"A"}` }, wantMsg: `response has no "SecretAccessKey", "Token", "Expiration"`},
		{name: "junk", setup: func(f *fakeIMDS) { f.credsBody = `SECRETKEY` }, wantMsg: "response is not valid JSON"},
		{name: "500", setup: func(f *fakeIMDS) { f.credsStatus = 500; f.credsBody = "SECRETKEY" }, wantMsg: "GET /latest/meta-data/iam/security-credentials/web-role: HTTP 500"},
		{name: "token refused, IMDSv1 not allowed", setup: func(f *fakeIMDS) { f.putStatus = 403 }, wantMsg: "PUT /latest/api/token: HTTP 403: the instance metadata service gave no IMDSv2 token, and IMDSv1 is not allowed", wantGets: -1},
		{name: "token refused, IMDSv1 refused too", setup: func(f *fakeIMDS) { f.putStatus = 404 }, v1: true, wantMsg: "HTTP 401: the instance requires IMDSv2"},
		{name: "token times out (hop limit)", setup: func(f *fakeIMDS) { f.putDelay = 5 * time.Second }, wantMsg: "IMDSv2 token request timed out (PUT /latest/api/token: no answer within 200ms): if this runs in a container", wantGets: -1},
		{name: "disabled", env: map[string]string{"AWS_EC2_METADATA_DISABLED": "TRUE"}, notFound: true, wantMsg: "disabled by AWS_EC2_METADATA_DISABLED", wantGets: -1},
		{name: "bad endpoint mode", env: map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv5"}, wantMsg: `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is "IPv5"`, wantGets: -1},
		{name: "bad endpoint", env: map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": "169.254.169.254"}, wantMsg: "not an absolute http or https URL", wantGets: -1},
		// The endpoint is printed in errors: one with a password is refused,
		// and not shown.
		{name: "endpoint with userinfo", env: map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://user:SECRETKEY@127.0.0.1:1"}, wantMsg: "endpoint has user information", wantGets: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newIMDS(t)
			if tt.setup != nil {
				tt.setup(f)
			}
			env := map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": srv.URL}
			for k, v := range tt.env {
				env[k] = v
			}
			p := &IMDSProvider{Getenv: envMap(env), AllowIMDSv1: tt.v1, Timeout: 200 * time.Millisecond}
			start := time.Now()
			_, err := p.Retrieve(context.Background())
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("took %v", elapsed)
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("err = %v, want %q", err, tt.wantMsg)
			}
			if errors.Is(err, ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(err, ErrNotFound) = %v, want %v", !tt.notFound, tt.notFound)
			}
			if strings.Contains(err.Error(), "SECRETKEY") || strings.Contains(err.Error(), "TOKEN-") {
				t.Errorf("error shows a secret: %v", err)
			}
			if _, gets := f.counts(); tt.wantGets == -1 && gets != 0 {
				t.Errorf("%d GETs, want none", gets)
			}
		})
	}
}

func TestIMDSProviderHopLimitWithIMDSv1Allowed(t *testing.T) {
	f, srv := newIMDS(t)
	f.putDelay, f.allowV1 = 5*time.Second, true
	p := &IMDSProvider{Getenv: envMap(map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": srv.URL}), AllowIMDSv1: true, Timeout: 200 * time.Millisecond}
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessKeyID != "ASIAIMDS" {
		t.Errorf("got %v", got)
	}
}

func TestIMDSProviderRetries(t *testing.T) {
	f, srv := newIMDS(t)
	f.credsStatus, f.credsBody = 503, ""
	p := &IMDSProvider{Getenv: envMap(map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": srv.URL}), Attempts: 3}
	_, err := p.Retrieve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 503") {
		t.Fatalf("err = %v", err)
	}
	if _, gets := f.counts(); gets != 1+3 {
		t.Errorf("%d GETs, want 1 for the role and 3 for the credentials", gets)
	}
}

// Nothing listening: the provider finds nothing, quickly.
func TestIMDSProviderNoService(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	p := &IMDSProvider{Endpoint: "http://" + addr, Getenv: envMap(nil)}
	start := time.Now()
	_, err = p.Retrieve(context.Background())
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "no instance metadata service at http://"+addr) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("took %v", elapsed)
	}
}

func TestIMDSEndpoint(t *testing.T) {
	tests := []struct {
		explicit string
		env      map[string]string
		want     string
	}{
		{want: "http://169.254.169.254"},
		{env: map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"}, want: "http://[fd00:ec2::254]"},
		{env: map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ipv4"}, want: "http://169.254.169.254"},
		{env: map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://10.0.0.1:1338/", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"}, want: "http://10.0.0.1:1338"},
		{explicit: "http://x", env: map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://y"}, want: "http://x"},
	}
	for _, tt := range tests {
		got, err := imdsEndpoint(tt.explicit, envMap(tt.env))
		if err != nil || got != tt.want {
			t.Errorf("imdsEndpoint(%q, %v) = %q, %v; want %q", tt.explicit, tt.env, got, err, tt.want)
		}
	}
}
