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
	"github.com/callerid/callerid/sts/ststest"
)

const (
	validRole    = "arn:aws:iam::111122223333:role/deploy"
	validSession = "ci-session"
)

// TestAssumeRoleInputRefused checks that AssumeRole refuses, before
// sending anything, the parameters STS's API model does not allow, and
// says which, what is wrong and the bound.
func TestAssumeRoleInputRefused(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	user := srv.AddUser("111122223333", "/", "alice")
	c := fakeClient(t, srv, user, nil, Options{})
	const mfa = "arn:aws:iam::111122223333:mfa/alice"
	long := strings.Repeat("a", 65)
	for _, tt := range []struct {
		name string
		in   AssumeRoleInput
		want []*ParamError
		text string // what the error says
	}{
		{name: "role ARN too short", in: AssumeRoleInput{RoleARN: "not-an-arn", RoleSessionName: validSession},
			want: []*ParamError{{Param: "RoleArn", Kind: ErrParamLength, Value: "not-an-arn", Length: 10, Min: 20, Max: 2048}},
			text: `RoleArn "not-an-arn" is 10 characters long; STS takes 20 to 2048`},
		{name: "role ARN too long", in: AssumeRoleInput{RoleARN: "arn:aws:iam::111122223333:role/" + strings.Repeat("r", 2018), RoleSessionName: validSession},
			want: []*ParamError{{Param: "RoleArn", Kind: ErrParamLength, Value: "arn:aws:iam::111122223333:role/" + strings.Repeat("r", 33) + "...", Length: 2049, Min: 20, Max: 2048}}},
		{name: "role ARN with a control character", in: AssumeRoleInput{RoleARN: validRole + "\x00", RoleSessionName: validSession},
			want: []*ParamError{{Param: "RoleArn", Kind: ErrParamPattern, Value: validRole + "\x00", Length: 38, Min: 20, Max: 2048, Offset: 37,
				Pattern: `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`}}},
		{name: "role ARN not UTF-8", in: AssumeRoleInput{RoleARN: validRole + "\xff", RoleSessionName: validSession},
			want: []*ParamError{{Param: "RoleArn", Kind: ErrParamPattern, Value: validRole + "\xff", Length: 38, Min: 20, Max: 2048, Offset: 37,
				Pattern: `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`}}},
		{name: "session name too short", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: "x"},
			want: []*ParamError{{Param: "RoleSessionName", Kind: ErrParamLength, Value: "x", Length: 1, Min: 2, Max: 64}},
			text: `RoleSessionName "x" is 1 characters long; STS takes 2 to 64`},
		{name: "session name too long", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: long},
			want: []*ParamError{{Param: "RoleSessionName", Kind: ErrParamLength, Value: long[:64] + "...", Length: 65, Min: 2, Max: 64}}},
		{name: "session name with a space", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: "my session"},
			want: []*ParamError{{Param: "RoleSessionName", Kind: ErrParamPattern, Value: "my session", Length: 10, Min: 2, Max: 64, Pattern: `[\w+=,.@-]*`, Offset: 2}},
			text: `RoleSessionName "my session" has a character STS does not take at offset 2; it takes [\w+=,.@-]*`},
		{name: "session name not ASCII", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: "zoë"},
			want: []*ParamError{{Param: "RoleSessionName", Kind: ErrParamPattern, Value: "zoë", Length: 3, Min: 2, Max: 64, Pattern: `[\w+=,.@-]*`, Offset: 2}}},
		{name: "duration under 900 s", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, Duration: time.Minute},
			want: []*ParamError{{Param: "DurationSeconds", Kind: ErrParamRange, Number: 60, Min: 900, Max: 43200}},
			text: `DurationSeconds 60 is out of range; STS takes 900 to 43200`},
		{name: "duration negative", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, Duration: -time.Hour},
			want: []*ParamError{{Param: "DurationSeconds", Kind: ErrParamRange, Number: -3600, Min: 900, Max: 43200}}},
		{name: "duration over 12 hours", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, Duration: 12*time.Hour + time.Second},
			want: []*ParamError{{Param: "DurationSeconds", Kind: ErrParamRange, Number: 43201, Min: 900, Max: 43200}}},
		{name: "external id too short", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, ExternalID: "x"},
			want: []*ParamError{{Param: "ExternalId", Kind: ErrParamLength, Value: "x", Length: 1, Min: 2, Max: 1224}}},
		{name: "serial number too short", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, SerialNumber: "GAHT1234", TokenCode: credentials.NewSecret("123456")},
			want: []*ParamError{{Param: "SerialNumber", Kind: ErrParamLength, Value: "GAHT1234", Length: 8, Min: 9, Max: 256}}},
		{name: "token code of 5 digits", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, SerialNumber: mfa, TokenCode: credentials.NewSecret("12345")},
			want: []*ParamError{{Param: "TokenCode", Kind: ErrParamLength, Secret: true, Length: 5, Min: 6, Max: 6}},
			text: `TokenCode (a secret, not shown) is 5 characters long; STS takes exactly 6`},
		{name: "token code not digits", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, SerialNumber: mfa, TokenCode: credentials.NewSecret("12345x")},
			want: []*ParamError{{Param: "TokenCode", Kind: ErrParamPattern, Secret: true, Length: 6, Min: 6, Max: 6, Pattern: `[\d]*`, Offset: 5}},
			text: `TokenCode (a secret, not shown) has a character STS does not take at offset 5; it takes [\d]*`},
		{name: "policy with a character over U+00FF", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, Policy: `{"x":"€"}`},
			want: []*ParamError{{Param: "Policy", Kind: ErrParamPattern, Value: `{"x":"€"}`, Length: 9, Min: 1, Pattern: `[\u0009\u000A\u000D\u0020-\u00FF]+`, Offset: 6}}},
		{name: "policy ARN too short", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:p"}},
			want: []*ParamError{{Param: "PolicyArns.member.2.arn", Kind: ErrParamLength, Value: "arn:p", Length: 5, Min: 20, Max: 2048}}},
		{name: "51 tags", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, Tags: make([]Tag, 51)},
			want: append([]*ParamError{{Param: "Tags", Kind: ErrParamLength, Length: 51, Max: 50}}, emptyTagKeys(51)...),
			text: `Tags has 51 members; STS takes at most 50`},
		{name: "tag value with a character not allowed", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, Tags: []Tag{{Key: "team", Value: "a;b"}}},
			want: []*ParamError{{Param: "Tags.member.1.Value", Kind: ErrParamPattern, Value: "a;b", Length: 3, Max: 256, Pattern: `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, Offset: 1}}},
		{name: "source identity too short", in: AssumeRoleInput{RoleARN: validRole, RoleSessionName: validSession, SourceIdentity: "a"},
			want: []*ParamError{{Param: "SourceIdentity", Kind: ErrParamLength, Value: "a", Length: 1, Min: 2, Max: 64}}},
		// Every parameter at fault, in the order the AWS CLI reports them.
		{name: "several", in: AssumeRoleInput{RoleARN: "arn:r", RoleSessionName: "x", ExternalID: "e", Duration: time.Minute},
			want: []*ParamError{
				{Param: "RoleSessionName", Kind: ErrParamLength, Value: "x", Length: 1, Min: 2, Max: 64},
				{Param: "ExternalId", Kind: ErrParamLength, Value: "e", Length: 1, Min: 2, Max: 1224},
				{Param: "DurationSeconds", Kind: ErrParamRange, Number: 60, Min: 900, Max: 43200},
				{Param: "RoleArn", Kind: ErrParamLength, Value: "arn:r", Length: 5, Min: 20, Max: 2048},
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Requests())
			_, err := c.AssumeRole(context.Background(), &tt.in)
			checkInputError(t, err, "AssumeRole", tt.want, tt.text)
			if n := len(srv.Requests()) - before; n != 0 {
				t.Errorf("%d requests sent", n)
			}
			if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), tt.in.TokenCode.Reveal()) && !tt.in.TokenCode.IsZero() {
				t.Errorf("the MFA code shows in %v", err)
			}
		})
	}
}

// emptyTagKeys are the errors of n tags without a key.
func emptyTagKeys(n int) []*ParamError {
	var errs []*ParamError
	for i := 1; i <= n; i++ {
		errs = append(errs, &ParamError{Param: fmt.Sprintf("Tags.member.%d.Key", i), Kind: ErrParamLength, Min: 1, Max: 128})
	}
	return errs
}

// checkInputError checks that err is the *OperationError of op, sent
// nowhere, around an *InputError of want, whose first error says text
// when text is set.
func checkInputError(t *testing.T, err error, op string, want []*ParamError, text string) {
	t.Helper()
	var opErr *OperationError
	var inErr *InputError
	if !errors.As(err, &opErr) || opErr.Operation != op || opErr.Attempts != 0 || !errors.As(err, &inErr) {
		t.Fatalf("err = %v, want an *OperationError of %s with no attempts around an *InputError", err, op)
	}
	if diff := cmp.Diff(want, inErr.Params, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Kind" }, cmp.Comparer(func(a, b error) bool { return a == b }))); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
	for _, p := range inErr.Params {
		if !errors.Is(err, p.Kind) {
			t.Errorf("errors.Is(err, %v) = false", p.Kind)
		}
	}
	if text != "" && inErr.Params[0].Error() != text {
		t.Errorf("error says %q, want %q", inErr.Params[0].Error(), text)
	}
	if s := err.Error(); len(s) > 16<<10 || strings.ContainsAny(s, "\n\x00") {
		t.Errorf("error text is %d bytes, or not one clean line: %q", len(s), s)
	}
}

// TestWebIdentityInputRefused checks AssumeRoleWithWebIdentity's
// parameters, and that the token never shows.
func TestWebIdentityInputRefused(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv, ststest.Key{}, nil, Options{Credentials: credentials.NewStaticProvider("AKIDEXAMPLE", testSecret, "")})
	const token = "eyJhbGciOiJSUzI1NiJ9.secret-claims.signature"
	for _, tt := range []struct {
		name string
		in   AssumeRoleWithWebIdentityInput
		want []*ParamError
		text string
	}{
		{name: "token too short", in: AssumeRoleWithWebIdentityInput{RoleARN: validRole, RoleSessionName: validSession, WebIdentityToken: credentials.NewSecret("eyJ")},
			want: []*ParamError{{Param: "WebIdentityToken", Kind: ErrParamLength, Secret: true, Length: 3, Min: 4, Max: 20000}},
			text: `WebIdentityToken (a secret, not shown) is 3 characters long; STS takes 4 to 20000`},
		{name: "token too long", in: AssumeRoleWithWebIdentityInput{RoleARN: validRole, RoleSessionName: validSession, WebIdentityToken: credentials.NewSecret(token + strings.Repeat("x", 20000))},
			want: []*ParamError{{Param: "WebIdentityToken", Kind: ErrParamLength, Secret: true, Length: 20000 + len(token), Min: 4, Max: 20000}}},
		{name: "provider id too short", in: AssumeRoleWithWebIdentityInput{RoleARN: validRole, RoleSessionName: validSession, WebIdentityToken: credentials.NewSecret(token), ProviderID: "g"},
			want: []*ParamError{{Param: "ProviderId", Kind: ErrParamLength, Value: "g", Length: 1, Min: 4, Max: 2048}}},
		{name: "policy over 2048", in: AssumeRoleWithWebIdentityInput{RoleARN: validRole, RoleSessionName: validSession, WebIdentityToken: credentials.NewSecret(token), Policy: strings.Repeat(" ", 2049)},
			want: []*ParamError{{Param: "Policy", Kind: ErrParamLength, Value: strings.Repeat(" ", 64) + "...", Length: 2049, Min: 1, Max: 2048}}},
		{name: "several", in: AssumeRoleWithWebIdentityInput{RoleARN: "arn:r", RoleSessionName: "a b", WebIdentityToken: credentials.NewSecret("eyJ"), Duration: 50000 * time.Second},
			want: []*ParamError{
				{Param: "RoleSessionName", Kind: ErrParamPattern, Value: "a b", Length: 3, Min: 2, Max: 64, Pattern: `[\w+=,.@-]*`, Offset: 1},
				{Param: "RoleArn", Kind: ErrParamLength, Value: "arn:r", Length: 5, Min: 20, Max: 2048},
				{Param: "WebIdentityToken", Kind: ErrParamLength, Secret: true, Length: 3, Min: 4, Max: 20000},
				{Param: "DurationSeconds", Kind: ErrParamRange, Number: 50000, Min: 900, Max: 43200},
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.AssumeRoleWithWebIdentity(context.Background(), &tt.in)
			checkInputError(t, err, "AssumeRoleWithWebIdentity", tt.want, tt.text)
			if s := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(s, "eyJ") {
				t.Errorf("the token shows: %s", s)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestInputBoundsAccepted checks that values at the model's bounds are
// sent, and taken by the fake STS.
func TestInputBoundsAccepted(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	user := srv.AddUser("111122223333", "/", "alice")
	c := fakeClient(t, srv, user, nil, Options{})
	srv.AllowWebIdentityToken("eyJ0")
	for _, in := range []AssumeRoleInput{
		{RoleARN: validRole, RoleSessionName: "ab", Duration: 900 * time.Second, ExternalID: "ex"},
		{RoleARN: validRole, RoleSessionName: strings.Repeat("a", 62) + "@-", Duration: 43200 * time.Second,
			Tags: []Tag{{Key: "Équipe 1", Value: ""}}, TransitiveTagKeys: []string{"Équipe 1"}, SourceIdentity: "alice@example.com",
			Policy: "{\"Version\":\"2012-10-17\",\n\t\"Statement\":[]}", PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}},
	} {
		if _, err := c.AssumeRole(context.Background(), &in); err != nil {
			t.Errorf("AssumeRole(%+v): %v", in, err)
		}
	}
	wi := AssumeRoleWithWebIdentityInput{RoleARN: validRole, RoleSessionName: "ab", WebIdentityToken: credentials.NewSecret("eyJ0"), ProviderID: "www.amazon.com"}
	if _, err := c.AssumeRoleWithWebIdentity(context.Background(), &wi); err != nil {
		t.Errorf("AssumeRoleWithWebIdentity: %v", err)
	}
}
