package credentials

import (
	"context"
	"testing"
	"time"

	"github.com/callerid/callerid/internal/redacttest"
)

// Planted secrets: none may appear in any output of any value below.
const (
	plantedSecret  = "PLANTEDsecretACCESSkey0123456789abcdefgh"
	plantedToken   = "PLANTEDsessionTOKEN//abcdef0123456789=="
	plantedIMDS    = "PLANTEDimdsV2token=="
	plantedSSO     = "PLANTEDssoACCESStoken"
	plantedRefresh = "PLANTEDssoREFRESHtoken"
	plantedClient  = "PLANTEDssoCLIENTsecret"
	plantedArg     = "PLANTEDcommandARGUMENT"
	plantedEnv     = "PLANTEDenvironmentVALUE"
)

var planted = []string{plantedSecret, plantedToken, plantedIMDS, plantedSSO, plantedRefresh, plantedClient, plantedArg, plantedEnv}

// TestNoSecretInAnyOutput walks every exported type of the package that
// holds a secret, a token or a command line, with planted values, through
// every printer redacttest knows (all fmt verbs, in exported and
// unexported fields, json.Marshal, slog's text and JSON handlers,
// cmp.Diff).
func TestNoSecretInAnyOutput(t *testing.T) {
	creds := New("AKIDPLANTED", plantedSecret, plantedToken)
	creds.Expires = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	other := New("AKIDOTHER", "othersecret", "othertoken")

	cache := NewCache(&StaticProvider{Credentials: creds})
	if _, err := cache.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	imds := &IMDSProvider{}
	imds.tokens.byBase = map[string]imdsToken{"http://169.254.169.254": {value: NewSecret(plantedIMDS), expires: creds.Expires}}
	process := &ProcessProvider{Command: "/bin/helper --secret " + plantedArg, Profile: "dev", Env: []string{"HELPER_TOKEN=" + plantedEnv}}
	tok := newSSOToken(plantedSSO, creds.Expires)
	cacheTok := ssoCacheToken{expiresAt: creds.Expires}
	cacheTok.setSecrets(ssoCacheSecrets{accessToken: plantedSSO, refreshToken: plantedRefresh, clientSecret: plantedClient})

	for _, c := range []redacttest.Case{
		{Name: "Credentials", Value: creds, Other: other},
		{Name: "StaticProvider", Value: &StaticProvider{Credentials: creds}, Other: &StaticProvider{Credentials: other}},
		{Name: "Cache", Value: cache},
		{Name: "Chain", Value: NewChain(&StaticProvider{Credentials: creds}, cache, imds)},
		{Name: "IMDSProvider", Value: imds},
		{Name: "ProcessProvider", Value: process, Settings: true},
		{Name: "SSOToken", Value: tok, Other: newSSOToken("other", creds.Expires)},
		{Name: "ssoCacheToken", Value: cacheTok},
		{Name: "Error", Value: &Error{Source: "ProcessProvider", Err: &ChainError{}}},
	} {
		c.Secrets = planted
		redacttest.Check(t, c)
	}
}
