package sigv4

import (
	"github.com/callerid/callerid/credentials"
)

// A Scope is what a signature is for: a service and a region. With the
// date of the signing time it makes the credential scope of a signature,
// DATE/REGION/SERVICE/aws4_request.
//
// It is a struct, not two strings, because signers do not agree on their
// order: aws-sdk-go-v2 takes (service, region), other signers (region,
// service). Name the fields.
type Scope struct {
	// Service is the signing name of the service, e.g. "sts", "s3",
	// "execute-api".
	Service string
	// Region is the signing region, e.g. "us-east-1".
	Region string
}

// checkScope checks the parts of a credential scope: none may be empty or
// hold a byte that would make the Credential field ambiguous.
func checkScope(creds credentials.Credentials, scope Scope) error {
	if creds.AccessKeyID == "" || creds.SecretAccessKey() == "" {
		return errorf("credentials have no access key id or no secret access key")
	}
	if scope.Service == "" || scope.Region == "" {
		return errorf("scope %+v: Service and Region must both be set", scope)
	}
	for _, f := range [...]struct{ what, v string }{
		{"access key id", creds.AccessKeyID}, {"region", scope.Region}, {"service", scope.Service},
	} {
		if i := badScopeByte(f.v); i >= 0 {
			return errorf("%s %q has an invalid byte at %d", f.what, f.v, i)
		}
	}
	return nil
}

// scopeBad holds the bytes that may not appear in a part of a credential
// scope: controls, space, and the separators of the Authorization header.
var scopeBad = func() (t [256]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	t[0x7f], t['/'], t[','], t['='], t[';'] = true, true, true, true, true
	return t
}()

func badScopeByte(s string) int {
	for i := 0; i < len(s); i++ {
		if scopeBad[s[i]] {
			return i
		}
	}
	return -1
}
