package sts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/httpreplay"
	"github.com/callerid/callerid/sts/ststest"
)

func TestAssumeRole(t *testing.T) {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	srv := ststest.NewServer(ststest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	user := srv.AddUser("111122223333", "/", "alice")
	c := fakeClient(t, srv, user, nil, Options{Now: func() time.Time { return now }})
	out, err := c.AssumeRole(context.Background(), &AssumeRoleInput{
		RoleARN:           "arn:aws:iam::444455556666:role/deploy",
		RoleSessionName:   "ci-7",
		ExternalID:        "ext",
		Duration:          15 * time.Minute,
		Policy:            `{"Version":"2012-10-17"}`,
		PolicyARNs:        []string{"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"},
		SerialNumber:      "arn:aws:iam::111122223333:mfa/alice",
		TokenCode:         credentials.NewSecret("123456"),
		Tags:              []Tag{{"team", "core"}, {"env", "ci"}},
		TransitiveTagKeys: []string{"team"},
		SourceIdentity:    "alice",
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.AssumedRoleUser.ARN != "arn:aws:sts::444455556666:assumed-role/deploy/ci-7" || !strings.HasPrefix(out.AssumedRoleUser.AssumedRoleID, "AROA") ||
		!strings.HasSuffix(out.AssumedRoleUser.AssumedRoleID, ":ci-7") || out.Attempts != 1 || out.RequestID == "" || out.StatusCode != 200 ||
		out.SourceIdentity != "alice" || out.PackedPolicySize != 6 {
		t.Errorf("output %+v", out)
	}
	cr := out.Credentials
	if !strings.HasPrefix(cr.AccessKeyID, "ASIA") || cr.SecretAccessKey() == "" || cr.SessionToken() == "" ||
		!cr.Expires.Equal(now.Add(15*time.Minute)) || cr.AccountID != "444455556666" || cr.Source != "sts.AssumeRole" {
		t.Errorf("credentials %v (expires %v)", cr, cr.Expires)
	}
	form := srv.Requests()[0].Form
	want := map[string]string{
		"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": "arn:aws:iam::444455556666:role/deploy", "RoleSessionName": "ci-7",
		"ExternalId": "ext", "DurationSeconds": "900", "Policy": `{"Version":"2012-10-17"}`,
		"PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "PolicyArns.member.2.arn": "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
		"SerialNumber": "arn:aws:iam::111122223333:mfa/alice", "TokenCode": "123456",
		"Tags.member.1.Key": "team", "Tags.member.1.Value": "core", "Tags.member.2.Key": "env", "Tags.member.2.Value": "ci",
		"TransitiveTagKeys.member.1": "team", "SourceIdentity": "alice",
	}
	got := map[string]string{}
	for k, v := range form {
		got[k] = strings.Join(v, ",")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parameters (-want +got):\n%s", diff)
	}

	// The new credentials are the role's.
	c2 := fakeClient(t, srv, user, nil, Options{Now: func() time.Time { return now }, Credentials: credentials.NewStaticProvider(cr.AccessKeyID, cr.SecretAccessKey(), cr.SessionToken())})
	id, err := c2.GetCallerIdentity(context.Background())
	if err != nil || id.ARN != out.AssumedRoleUser.ARN || id.UserID != out.AssumedRoleUser.AssumedRoleID {
		t.Errorf("GetCallerIdentity with the role's credentials: %+v, %v", id, err)
	}
}

func TestAssumeRoleErrors(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	user := srv.AddUser("111122223333", "/", "alice")
	c := fakeClient(t, srv, user, nil, Options{})
	for _, tt := range []struct {
		name string
		in   AssumeRoleInput
		want string
	}{
		{"no role", AssumeRoleInput{RoleSessionName: "session"}, "missing RoleARN"},
		{"no session", AssumeRoleInput{RoleARN: "arn:aws:iam::1:role/r"}, "missing RoleSessionName"},
		{"fractional duration", AssumeRoleInput{RoleARN: "arn:aws:iam::1:role/r", RoleSessionName: "session", Duration: 1500 * time.Millisecond}, "whole number of seconds"},
	} {
		_, err := c.AssumeRole(context.Background(), &tt.in)
		var opErr *OperationError
		if !errors.As(err, &opErr) || opErr.Attempts != 0 || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want an OperationError saying %q before any request", tt.name, err, tt.want)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	// What the model allows and STS still refuses reaches STS.
	_, err := c.AssumeRole(context.Background(), &AssumeRoleInput{RoleARN: "arn:aws:iam::111122223333:user/bob", RoleSessionName: "session"})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "ValidationError" {
		t.Errorf("err = %v, want ValidationError", err)
	}
}

func TestAssumeRoleRecorded(t *testing.T) {
	rec, err := httpreplay.Load(recorded("moto/assume-role.http"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httpreplay.NewServer(rec)
	defer srv.Close()
	out, err := newTestClient(t, srv.URL, "").AssumeRole(context.Background(), &AssumeRoleInput{RoleARN: "arn:aws:iam::123456789012:role/demo-role", RoleSessionName: "sess1"})
	if err != nil {
		t.Fatal(err)
	}
	want := AssumedRoleUser{AssumedRoleID: "AROARZPUZDIKNMUXW7XTJ:sess1", ARN: "arn:aws:sts::123456789012:assumed-role/demo-role/sess1"}
	if out.AssumedRoleUser != want || out.Credentials.AccessKeyID != "ASIARZPUZDIKDUALLJFK" ||
		out.Credentials.SecretAccessKey() != "jYHgGA6bCRRIo+wV7a250lhm8ydQ9YDx0Uo/2rYi" || !strings.HasPrefix(out.Credentials.SessionToken(), "FQoGZXIvYXdzEBYaDSTz7GDIt") ||
		!out.Credentials.Expires.Equal(time.Date(2026, 11, 23, 9, 55, 41, 884818000, time.UTC)) || out.Credentials.AccountID != "123456789012" ||
		out.PackedPolicySize != 6 || out.RequestID != "pSi64UNnxNPIvmlHCflF3dFS2TiniDYoOC9MlSM6RD11HM7l4hnk" {
		t.Errorf("output %+v, credentials %v expiring %v", out, out.Credentials, out.Credentials.Expires)
	}
}

func TestAssumeRoleBadResults(t *testing.T) {
	const head = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>`
	const tail = `</AssumeRoleResult></AssumeRoleResponse>`
	const user = `<AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>`
	for _, tt := range []struct{ name, body, want string }{
		{"no credentials", head + user + tail, "has no Credentials"},
		{"no token", head + `<Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>s</SecretAccessKey><Expiration>2026-11-23T09:00:00Z</Expiration></Credentials>` + user + tail, "Credentials.SessionToken"},
		{"no expiration", head + `<Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken></Credentials>` + user + tail, "Credentials.Expiration"},
		{"bad expiration", head + `<Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>tomorrow</Expiration></Credentials>` + user + tail, "not an RFC 3339 time"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, 200, "text/xml", []byte(tt.body))
			_, err := newTestClient(t, srv.URL, "").AssumeRole(context.Background(), &AssumeRoleInput{RoleARN: "arn:aws:iam::123456789012:role/r", RoleSessionName: "session"})
			var respErr *ResponseError
			if !errors.As(err, &respErr) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a ResponseError saying %q", err, tt.want)
			}
			if strings.Contains(fmt.Sprint(err), ">s<") {
				t.Errorf("err shows the secret: %v", err)
			}
		})
	}
	// The JSON form, with Expiration in seconds since the epoch.
	srv := serve(t, 200, "application/json", []byte(`{"AssumeRoleResponse":{"AssumeRoleResult":{"Credentials":{"AccessKeyId":"ASIAJ","SecretAccessKey":"s","SessionToken":"t","Expiration":1.7955E9},`+
		`"AssumedRoleUser":{"AssumedRoleId":"AROA:s","Arn":"arn:aws:sts::123456789012:assumed-role/r/s"}},"ResponseMetadata":{"RequestId":"r"}}}`))
	out, err := newTestClient(t, srv.URL, "").AssumeRole(context.Background(), &AssumeRoleInput{RoleARN: "arn:aws:iam::123456789012:role/r", RoleSessionName: "session"})
	if err != nil || out.Credentials.AccessKeyID != "ASIAJ" || !out.Credentials.Expires.Equal(time.Unix(1795500000, 0)) || out.AssumedRoleUser.AssumedRoleID != "AROA:s" {
		t.Errorf("JSON: %+v, %v", out, err)
	}
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	const token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJl"
	srv := ststest.NewServer()
	defer srv.Close()
	srv.AllowWebIdentityToken(token)
	var retrieved bool
	c := fakeClient(t, srv, ststest.Key{}, nil, Options{Credentials: credentials.ProviderFunc(func(context.Context) (credentials.Credentials, error) {
		retrieved = true
		return credentials.Credentials{}, credentials.ErrNotFound
	})})
	out, err := c.AssumeRoleWithWebIdentity(context.Background(), &AssumeRoleWithWebIdentityInput{
		RoleARN: "arn:aws:iam::444455556666:role/pod", RoleSessionName: "pod-1", WebIdentityToken: credentials.NewSecret(token), Duration: time.Hour, ProviderID: "accounts.example.com",
	})
	if err != nil {
		t.Fatal(err)
	}
	if retrieved {
		t.Error("credentials were retrieved for an unsigned call")
	}
	if out.AssumedRoleUser.ARN != "arn:aws:sts::444455556666:assumed-role/pod/pod-1" || out.Credentials.AccountID != "444455556666" ||
		out.Provider != "accounts.example.com" || out.Audience == "" || out.SubjectFromWebIdentityToken == "" || out.Credentials.Source != "sts.AssumeRoleWithWebIdentity" {
		t.Errorf("output %+v", out)
	}
	r := srv.Requests()[0]
	if r.Header.Get("Authorization") != "" || r.Header.Get("X-Amz-Date") != "" || r.Form.Get("WebIdentityToken") != token ||
		r.Form.Get("ProviderId") != "accounts.example.com" || r.Form.Get("DurationSeconds") != "3600" {
		t.Errorf("request: header %v, form %v", r.Header, r.Form)
	}

	// A rejected token, IDP errors retried, and the token never shown.
	srv.FailNext(1, ststest.Error(400, "IDPCommunicationError", "the IdP did not answer"))
	_, err = c.AssumeRoleWithWebIdentity(context.Background(), &AssumeRoleWithWebIdentityInput{RoleARN: "arn:aws:iam::444455556666:role/pod", RoleSessionName: "pod-1", WebIdentityToken: credentials.NewSecret("eyJwrong")})
	var apiErr *APIError
	var opErr *OperationError
	if !errors.As(err, &apiErr) || apiErr.Code != "InvalidIdentityToken" || !errors.As(err, &opErr) || opErr.Attempts != 2 {
		t.Errorf("err = %v, want InvalidIdentityToken after 2 attempts", err)
	}
	if s := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(s, "eyJwrong") {
		t.Errorf("the token shows: %s", s)
	}
}

func TestWebIdentityTokenRedacted(t *testing.T) {
	const token = "eyJsecret.token.value"
	// A server that echoes the token in its message.
	srv := serve(t, 400, "text/xml", []byte(`<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>bad token `+token+`</Message></Error></ErrorResponse>`))
	c := newTestClient(t, srv.URL, "")
	in := &AssumeRoleWithWebIdentityInput{RoleARN: "arn:aws:iam::1:role/r", RoleSessionName: "session", WebIdentityToken: credentials.NewSecret(token)}
	_, err := c.AssumeRoleWithWebIdentity(context.Background(), in)
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range []string{fmt.Sprint(err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprint(in), fmt.Sprintf("%#v", in), fmt.Sprintf("%+v", *in), fmt.Sprint(in.WebIdentityToken)} {
		if strings.Contains(s, token) {
			t.Errorf("the token shows: %s", s)
		}
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "bad token <redacted>" {
		t.Errorf("err = %v", err)
	}
	// Nor in a transport error (the token is in the body, never the URL).
	c2 := newTestClient(t, "http://127.0.0.1:1", "")
	c2.retry.MaxAttempts = 1
	_, err = c2.AssumeRoleWithWebIdentity(context.Background(), in)
	if err == nil || strings.Contains(fmt.Sprintf("%v %#v", err, err), token) {
		t.Errorf("err = %v", err)
	}
	// Nor the MFA code in an AssumeRoleInput.
	ar := AssumeRoleInput{RoleARN: "r", TokenCode: credentials.NewSecret("654321")}
	if s := fmt.Sprintf("%v %+v %#v", ar, ar, &ar); strings.Contains(s, "654321") {
		t.Errorf("the MFA code shows: %s", s)
	}
}

func TestSecretsNeverShow(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddAssumedRole("111122223333", "r", "s")
	c := fakeClient(t, srv, key, nil, Options{})
	out, err := c.AssumeRole(context.Background(), &AssumeRoleInput{RoleARN: "arn:aws:iam::444455556666:role/x", RoleSessionName: "yy"})
	if err != nil {
		t.Fatal(err)
	}
	bad := key
	bad.Credentials = credentials.New(key.AccessKeyID, "wrongsecretwrongsecret", key.SessionToken())
	cb := fakeClient(t, srv, bad, nil, Options{})
	_, err = cb.GetCallerIdentity(context.Background())
	secrets := []string{key.SecretAccessKey(), key.SessionToken(), out.Credentials.SecretAccessKey(), out.Credentials.SessionToken(), bad.SecretAccessKey()}
	for _, s := range []string{fmt.Sprint(err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", c),
		fmt.Sprintf("%#v", out), fmt.Sprintf("%+v", out), fmt.Sprintf("%v", *out)} {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("a secret shows in %s", s)
			}
		}
	}
}
