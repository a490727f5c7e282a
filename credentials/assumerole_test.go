package credentials

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeAssumer is the sts package as far as this package can tell: it
// records the calls and hands out credentials named after the role.
type fakeAssumer struct {
	mu    sync.Mutex
	calls []assumeCall
	err   error
}

type assumeCall struct {
	Op        string
	SignedBy  string // the source credentials' access key id
	Token     string // the web identity token
	Request   AssumeRoleRequest
	SourceSrc string
}

var roleExpiry = time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)

func roleCreds(arn string) Credentials {
	c := New("ASIA:"+arn, "rolesecret:"+arn, "roletoken:"+arn)
	c.Expires = roleExpiry
	return c
}

func (f *fakeAssumer) AssumeRole(ctx context.Context, src Credentials, req AssumeRoleRequest) (Credentials, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, assumeCall{Op: "AssumeRole", SignedBy: src.AccessKeyID, Request: req, SourceSrc: src.Source})
	if f.err != nil {
		return Credentials{}, f.err
	}
	if src.SecretAccessKey() == "" {
		return Credentials{}, errors.New("unsigned")
	}
	return roleCreds(req.RoleARN), nil
}

func (f *fakeAssumer) AssumeRoleWithWebIdentity(ctx context.Context, token string, req AssumeRoleRequest) (Credentials, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, assumeCall{Op: "AssumeRoleWithWebIdentity", Token: token, Request: req})
	if f.err != nil {
		return Credentials{}, f.err
	}
	return roleCreds(req.RoleARN), nil
}

func (f *fakeAssumer) Calls() []assumeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]assumeCall(nil), f.calls...)
}

var fixedNow = func() time.Time { return time.Unix(1700000000, 0) }

func TestAssumeRoleProvider(t *testing.T) {
	fa := &fakeAssumer{}
	p := &AssumeRoleProvider{
		Source:  NewStaticProvider("AKIDSOURCE", testSecret, ""),
		Assumer: fa,
		Request: AssumeRoleRequest{RoleARN: "arn:aws:iam::123456789012:role/dev", ExternalID: "ext", Duration: time.Hour},
		Now:     fixedNow,
	}
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := roleCreds("arn:aws:iam::123456789012:role/dev")
	want.Source = "AssumeRoleProvider(role=arn:aws:iam::123456789012:role/dev, source=StaticProvider)"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantCalls := []assumeCall{{Op: "AssumeRole", SignedBy: "AKIDSOURCE", SourceSrc: "StaticProvider", Request: AssumeRoleRequest{
		RoleARN: "arn:aws:iam::123456789012:role/dev", RoleSessionName: "callerid-1700000000", ExternalID: "ext", Duration: time.Hour,
	}}}
	if diff := cmp.Diff(wantCalls, fa.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

func TestAssumeRoleProviderErrors(t *testing.T) {
	notFoundSource := ProviderFunc(func(context.Context) (Credentials, error) {
		return Credentials{}, &Error{Source: "X", Err: ErrNotFound}
	})
	tests := []struct {
		name string
		p    *AssumeRoleProvider
		want string
	}{
		{"no assumer", &AssumeRoleProvider{Source: NewStaticProvider("A", "S", ""), Profile: "dev", Request: AssumeRoleRequest{RoleARN: "arn:r"}},
			`profile "dev" asks for a role, which needs STS AssumeRole, but no RoleAssumer was configured`},
		{"source finds nothing", &AssumeRoleProvider{Source: notFoundSource, Assumer: &fakeAssumer{}, Request: AssumeRoleRequest{RoleARN: "arn:r"}},
			"source credentials: X: no credentials found"},
		{"STS fails", &AssumeRoleProvider{Source: NewStaticProvider("A", "S", ""), Assumer: &fakeAssumer{err: &Error{Source: "sts", Err: ErrNotFound}}, Request: AssumeRoleRequest{RoleARN: "arn:r"}},
			"AssumeRole: sts: no credentials found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.p.Retrieve(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			// A configured role that fails stops a chain, even when what
			// failed is that its source, or STS, found nothing.
			next := NewStaticProvider("AKIDNEXT", "s", "")
			if c, err2 := NewChain(tt.p, next).Retrieve(context.Background()); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("a chain moved past the failing role to %v (err %v)", c, err2)
			}
		})
	}
}

func TestWebIdentityProvider(t *testing.T) {
	dir := t.TempDir()
	tokenFile := writeFile(t, dir, "token", "jwt-one\n")
	fa := &fakeAssumer{}
	p := &WebIdentityProvider{TokenFile: tokenFile, Assumer: fa, Request: AssumeRoleRequest{RoleARN: "arn:web", Region: "eu-west-1"}, Now: fixedNow}
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != "WebIdentityProvider(role=arn:web)" || got.AccessKeyID != "ASIA:arn:web" {
		t.Errorf("got %v", got)
	}
	writeFile(t, dir, "token", "jwt-two")
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	calls := fa.Calls()
	if len(calls) != 2 || calls[0].Token != "jwt-one" || calls[1].Token != "jwt-two" {
		t.Errorf("tokens sent: %+v; want the file read afresh each time, trimmed", calls)
	}
	if calls[0].Request.RoleSessionName != "callerid-1700000000" || calls[0].Request.Region != "eu-west-1" {
		t.Errorf("request = %+v", calls[0].Request)
	}

	for name, tc := range map[string]struct {
		p    *WebIdentityProvider
		want string
	}{
		"empty token":  {&WebIdentityProvider{TokenFile: writeFile(t, dir, "empty", " \n"), Assumer: fa, Request: AssumeRoleRequest{RoleARN: "arn:web"}}, "is empty"},
		"missing file": {&WebIdentityProvider{TokenFile: dir + "/nope", Assumer: fa, Request: AssumeRoleRequest{RoleARN: "arn:web"}}, "open " + dir + "/nope: no such file"},
		"no role":      {&WebIdentityProvider{TokenFile: tokenFile, Assumer: fa}, "no role ARN"},
		"no assumer":   {&WebIdentityProvider{TokenFile: tokenFile, Request: AssumeRoleRequest{RoleARN: "arn:web"}}, "the environment asks for a role, which needs STS AssumeRoleWithWebIdentity, but no RoleAssumer"},
	} {
		if _, err := tc.p.Retrieve(context.Background()); err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "jwt-") {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
}
