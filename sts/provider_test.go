package sts

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sts/ststest"
)

func TestAssumeRoleProvider(t *testing.T) {
	now := time.Unix(1700000000, 0)
	clock := func() time.Time { return now }
	srv := ststest.NewServer(ststest.WithClock(clock))
	defer srv.Close()
	alice := srv.AddUser("111122223333", "/", "alice")
	// The client's own credentials sign only when Source is nil.
	c := fakeClient(t, srv, ststest.Key{}, nil, Options{Now: clock, Credentials: credentials.NewStaticProvider("AKIAWRONG", "wrong", "")})

	p := &AssumeRoleProvider{
		Client: c,
		Source: alice.Provider(),
		Input:  AssumeRoleInput{RoleARN: "arn:aws:iam::444455556666:role/deploy", ExternalID: "ext", Duration: 20 * time.Minute},
	}
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.AccountID != "444455556666" || got.SessionToken() == "" || !got.Expires.Equal(now.Add(20*time.Minute)) ||
		got.Source != "AssumeRoleProvider(role=arn:aws:iam::444455556666:role/deploy, source=ststest)" {
		t.Errorf("credentials %v", got)
	}
	r := srv.Requests()[0]
	if r.AccessKeyID != alice.AccessKeyID || r.Form.Get("ExternalId") != "ext" || r.Form.Get("DurationSeconds") != "1200" ||
		r.Form.Get("RoleSessionName") != "botocore-session-1700000000" {
		t.Errorf("request signed by %s, form %v", r.AccessKeyID, r.Form)
	}
	// The session name is chosen once, as the AWS CLI's.
	now = now.Add(time.Minute)
	if _, err := p.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	if name := srv.Requests()[1].Form.Get("RoleSessionName"); name != "botocore-session-1700000000" {
		t.Errorf("second session name %q, want the first one kept", name)
	}
	// A session name that was given is used.
	named := &AssumeRoleProvider{Client: c, Source: alice.Provider(), Input: AssumeRoleInput{RoleARN: "arn:aws:iam::444455556666:role/deploy", RoleSessionName: "me"}}
	if _, err := named.Retrieve(context.Background()); err != nil || srv.Requests()[2].Form.Get("RoleSessionName") != "me" {
		t.Errorf("named session: %v, form %v", err, srv.Requests()[2].Form)
	}
	// Without Source, the client's own credentials sign.
	own := &AssumeRoleProvider{Client: fakeClient(t, srv, alice, nil, Options{Now: clock}), Input: AssumeRoleInput{RoleARN: "arn:aws:iam::444455556666:role/deploy"}}
	if _, err := own.Retrieve(context.Background()); err != nil || srv.Requests()[3].AccessKeyID != alice.AccessKeyID {
		t.Errorf("client's own credentials: %v", err)
	}
}

func TestAssumeRoleProviderErrors(t *testing.T) {
	now := time.Unix(1700000000, 0)
	clock := func() time.Time { return now }
	srv := ststest.NewServer(ststest.WithClock(clock))
	defer srv.Close()
	alice := srv.AddUser("111122223333", "/", "alice")
	c := fakeClient(t, srv, ststest.Key{}, nil, Options{Now: clock, Credentials: credentials.NewStaticProvider("AKIAUNKNOWN", "wrong", "")})
	const role = "arn:aws:iam::444455556666:role/deploy"
	nothing := credentials.EnvProvider{Getenv: func(string) string { return "" }}

	tests := []struct {
		name     string
		p        *AssumeRoleProvider
		want     string
		notFound bool // the error wraps credentials.ErrNotFound
		apiCode  string
	}{
		{name: "no client", p: &AssumeRoleProvider{Source: alice.Provider(), Input: AssumeRoleInput{RoleARN: role}}, want: "no sts.Client"},
		{name: "source finds nothing", p: &AssumeRoleProvider{Client: c, Source: nothing, Input: AssumeRoleInput{RoleARN: role}},
			want: "AssumeRoleProvider(role=" + role + "): source credentials: EnvProvider: no credentials found", notFound: true},
		{name: "STS refuses", p: &AssumeRoleProvider{Client: c, Input: AssumeRoleInput{RoleARN: role}},
			want: "AssumeRoleProvider(role=" + role + "): sts: AssumeRole", apiCode: "InvalidClientTokenId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.p.Retrieve(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			var ce *credentials.Error
			if !errors.As(err, &ce) || ce.Source != "AssumeRoleProvider(role="+tt.p.Input.RoleARN+")" {
				t.Errorf("err = %v, want a *credentials.Error naming the role", err)
			}
			if errors.Is(err, credentials.ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(err, ErrNotFound) = %v, want %v", !tt.notFound, tt.notFound)
			}
			var apiErr *APIError
			if tt.apiCode != "" && (!errors.As(err, &apiErr) || apiErr.Code != tt.apiCode) {
				t.Errorf("err = %v, want an *APIError %s", err, tt.apiCode)
			}
			// A configured role that fails stops a chain, whatever failed.
			next := credentials.NewStaticProvider("AKIDNEXT", "s", "")
			if got, err2 := credentials.NewChain(tt.p, next).Retrieve(context.Background()); err2 == nil {
				t.Errorf("a chain moved past the failing role to %v", got)
			}
		})
	}
}

func TestWebIdentityProvider(t *testing.T) {
	const token, other = "eyJ.first.token", "eyJ.other.token"
	now := time.Unix(1700000000, 0)
	clock := func() time.Time { return now }
	srv := ststest.NewServer(ststest.WithClock(clock))
	defer srv.Close()
	srv.AllowWebIdentityToken(token)
	// The client's credentials are not used: the call is not signed.
	c := fakeClient(t, srv, ststest.Key{}, nil, Options{Now: clock, Credentials: credentials.NewStaticProvider("AKIAWRONG", "wrong", "")})
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	p := &WebIdentityProvider{Client: c, TokenFile: file, Input: AssumeRoleWithWebIdentityInput{RoleARN: "arn:aws:iam::444455556666:role/pod"}}
	got, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.AccountID != "444455556666" || got.Source != "WebIdentityProvider(role=arn:aws:iam::444455556666:role/pod)" {
		t.Errorf("credentials %v", got)
	}
	r := srv.Requests()[0]
	if r.Form.Get("WebIdentityToken") != token || r.Form.Get("RoleSessionName") != "botocore-session-1700000000" || r.Header.Get("Authorization") != "" {
		t.Errorf("request form %v, Authorization %q", r.Form, r.Header.Get("Authorization"))
	}

	// The file is read again: a rotated token that STS refuses.
	if err := os.WriteFile(file, []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = p.Retrieve(context.Background())
	var apiErr *APIError
	var ce *credentials.Error
	if !errors.As(err, &apiErr) || apiErr.Code != "InvalidIdentityToken" || !errors.As(err, &ce) || ce.Source != "WebIdentityProvider(role=arn:aws:iam::444455556666:role/pod)" {
		t.Errorf("err = %v, want an *APIError InvalidIdentityToken in a *credentials.Error", err)
	}
	if s := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(s, other) {
		t.Errorf("the token shows: %s", s)
	}
	if name := srv.Requests()[1].Form.Get("RoleSessionName"); name != "botocore-session-1700000000" {
		t.Errorf("second session name %q, want the first kept", name)
	}

	// A token given in Input, when there is no file.
	direct := &WebIdentityProvider{Client: c, Input: AssumeRoleWithWebIdentityInput{RoleARN: "arn:aws:iam::444455556666:role/pod", RoleSessionName: "pod-2", WebIdentityToken: credentials.NewSecret(token)}}
	if _, err := direct.Retrieve(context.Background()); err != nil {
		t.Errorf("token in Input: %v", err)
	}

	for name, tc := range map[string]struct {
		p      *WebIdentityProvider
		want   string
		target error
	}{
		"missing file": {&WebIdentityProvider{Client: c, TokenFile: filepath.Join(dir, "nope"), Input: AssumeRoleWithWebIdentityInput{RoleARN: "arn:r"}},
			"web identity token: open " + filepath.Join(dir, "nope"), fs.ErrNotExist},
		"no client": {&WebIdentityProvider{TokenFile: file, Input: AssumeRoleWithWebIdentityInput{RoleARN: "arn:r"}}, "no sts.Client", nil},
		"no role":   {&WebIdentityProvider{Client: c, TokenFile: file}, "missing RoleARN", nil},
	} {
		_, err := tc.p.Retrieve(context.Background())
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "eyJ") {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
		if tc.target != nil && !errors.Is(err, tc.target) {
			t.Errorf("%s: err = %v, want it to be %v", name, err, tc.target)
		}
		if !errors.As(err, &ce) {
			t.Errorf("%s: err = %v, want a *credentials.Error", name, err)
		}
	}
}
