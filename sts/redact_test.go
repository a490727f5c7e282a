package sts

import (
	"context"
	"testing"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/redacttest"
)

const (
	plantedSecret  = "PLANTEDsecretACCESSkey0123456789abcdefgh"
	plantedToken   = "PLANTEDsessionTOKEN//abcdef0123456789=="
	plantedMFA     = "PLANTED987654"
	plantedWebID   = "PLANTEDeyJhbGciOiJSUzI1NiJ9.webidentity"
	plantedPolicy  = "not secret"
	plantedSession = "not secret either"
)

// TestNoSecretInAnyOutput walks every exported type of the package that
// holds a secret (keys, MFA code, web identity token), with planted
// values, through every printer redacttest knows.
func TestNoSecretInAnyOutput(t *testing.T) {
	creds := credentials.New("ASIAPLANTED", plantedSecret, plantedToken)
	creds.Expires = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	ar := AssumeRoleInput{RoleARN: "arn:aws:iam::111122223333:role/r", RoleSessionName: "session", SerialNumber: "arn:aws:iam::111122223333:mfa/alice", TokenCode: credentials.NewSecret(plantedMFA)}
	wi := AssumeRoleWithWebIdentityInput{RoleARN: "arn:aws:iam::111122223333:role/r", RoleSessionName: "session", WebIdentityToken: credentials.NewSecret(plantedWebID)}
	out := AssumeRoleOutput{Credentials: creds, RequestID: "req"}
	client, err := New(Options{Region: "eu-west-1", Credentials: credentials.ProviderFunc(func(context.Context) (credentials.Credentials, error) { return creds, nil })})
	if err != nil {
		t.Fatal(err)
	}
	static := &credentials.StaticProvider{Credentials: creds}
	client2, err := New(Options{Region: "eu-west-1", Credentials: static})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []redacttest.Case{
		{Name: "AssumeRoleInput", Value: ar, Other: AssumeRoleInput{TokenCode: credentials.NewSecret("111111")}},
		{Name: "AssumeRoleWithWebIdentityInput", Value: wi, Other: AssumeRoleWithWebIdentityInput{WebIdentityToken: credentials.NewSecret("other")}},
		{Name: "AssumeRoleOutput", Value: out, Other: AssumeRoleOutput{}},
		{Name: "AssumeRoleWithWebIdentityOutput", Value: AssumeRoleWithWebIdentityOutput{AssumeRoleOutput: out}, Other: AssumeRoleWithWebIdentityOutput{}},
		{Name: "Options", Value: Options{Region: "eu-west-1", Credentials: static}},
		{Name: "Client", Value: client},
		{Name: "Client with a StaticProvider", Value: client2},
		{Name: "AssumeRoleProvider", Value: &AssumeRoleProvider{Client: client2, Source: static, Input: ar}},
		{Name: "WebIdentityProvider", Value: &WebIdentityProvider{Client: client2, Input: wi}},
	} {
		c.Secrets = []string{plantedSecret, plantedToken, plantedMFA, plantedWebID}
		redacttest.Check(t, c)
	}
}
