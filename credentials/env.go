package credentials

import (
	"context"
	"os"
)

// EnvProvider reads credentials from the environment variables the AWS CLI
// reads: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
//
// Like the AWS CLI, it finds nothing (ErrNotFound) when neither key
// variable is set, and fails when only one of them is.
type EnvProvider struct {
	// Getenv looks up a variable; nil means os.Getenv.
	Getenv func(string) string
}

// Retrieve reads the environment.
func (p EnvProvider) Retrieve(ctx context.Context) (Credentials, error) {
	getenv := p.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	switch {
	case id == "" && secret == "":
		return Credentials{}, &Error{Source: "EnvProvider", Err: ErrNotFound}
	case id == "":
		return Credentials{}, &Error{Source: "EnvProvider", Err: errMissing("AWS_ACCESS_KEY_ID is not set but AWS_SECRET_ACCESS_KEY is")}
	case secret == "":
		return Credentials{}, &Error{Source: "EnvProvider", Err: errMissing("AWS_SECRET_ACCESS_KEY is not set but AWS_ACCESS_KEY_ID is")}
	}
	c := New(id, secret, getenv("AWS_SESSION_TOKEN"))
	c.Source = "EnvProvider"
	return c, nil
}
