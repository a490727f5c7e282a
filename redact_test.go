package callerid

import (
	"context"
	"testing"

	"github.com/callerid/callerid/internal/redacttest"
)

// TestNoSecretInAnyOutput walks the root package's types that hold
// credentials (Config, with its cached provider chain after a Retrieve,
// the profile it read and its STS options) and what Whoami returns,
// through every printer redacttest knows, with planted secrets in the
// shared files and the environment.
func TestNoSecretInAnyOutput(t *testing.T) {
	const (
		secret    = "PLANTEDrootSECRETaccessKEY0123456789abcd"
		token     = "PLANTEDrootSESSIONtoken//=="
		container = "PLANTEDcontainerAUTHtoken"
	)
	h := newHarness(t, "[default]\nregion = eu-west-1\naws_session_token = "+token+"\n",
		"[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = "+secret+"\n")
	h.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = container
	cfg, err := h.load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.Credentials.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	secrets := []string{secret, token, container}
	for _, c := range []redacttest.Case{
		{Name: "*Config", Value: cfg},
		{Name: "Config.STSOptions", Value: cfg.STSOptions},
		{Name: "profile", Value: cfg.profile},
	} {
		c.Secrets = secrets
		redacttest.Check(t, c)
	}
}
