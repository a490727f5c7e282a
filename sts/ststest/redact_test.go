package ststest

import (
	"testing"

	"github.com/callerid/callerid/internal/redacttest"
)

// TestNoSecretInAnyOutput walks the package's types that hold the keys
// it issues (Key, Server) through every printer redacttest knows. Request
// is left out: it is the record of what a client sent, tokens included,
// as its godoc says.
func TestNoSecretInAnyOutput(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	user := srv.AddUser("111122223333", "/", "alice")
	role := srv.AddAssumedRole("111122223333", "deploy", "s")
	other := srv.AddUser("111122223333", "/", "bob")
	secrets := []string{user.SecretAccessKey(), role.SecretAccessKey(), role.SessionToken()}
	for _, c := range []redacttest.Case{
		{Name: "Key", Value: user, Other: other},
		{Name: "Key of a role", Value: role, Other: user},
		{Name: "*Server", Value: srv},
		{Name: "Provider", Value: role.Provider()},
	} {
		c.Secrets = secrets
		redacttest.Check(t, c)
	}
}
