package sigv4

import "fmt"

// Credentials are the keys a request is signed with.
//
// The secret access key and the session token never appear in the value's
// String, GoString or fmt output; only the access key id does.
type Credentials struct {
	// AccessKeyID names the key pair, e.g. "AKIDEXAMPLE". It is not secret.
	AccessKeyID string
	// SecretAccessKey is the signing secret.
	SecretAccessKey string
	// SessionToken accompanies temporary credentials; empty for long-term keys.
	SessionToken string
}

// String describes c without its secrets.
func (c Credentials) String() string {
	s := "sigv4.Credentials{AccessKeyID: " + c.AccessKeyID
	if c.SecretAccessKey != "" {
		s += ", SecretAccessKey: <redacted>"
	}
	if c.SessionToken != "" {
		s += ", SessionToken: <redacted>"
	}
	return s + "}"
}

// GoString is the same as String, so %#v does not show the secrets either.
func (c Credentials) GoString() string { return c.String() }

// Format writes c as String does for every verb, so no fmt verb shows the
// secrets.
func (c Credentials) Format(f fmt.State, verb rune) { fmt.Fprint(f, c.String()) }
