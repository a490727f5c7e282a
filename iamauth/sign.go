package iamauth

// Every call into the sigv4 package is in this file.

import (
	"net/http"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sigv4"
)

// signingService is the service STS requests are signed for.
const signingService = "sts"

// signer signs as STS expects: the zero Signer.
var signer sigv4.Signer

// presign presigns req for STS in region at t, valid for expires, and
// returns the URL.
func presign(req *http.Request, c credentials.Credentials, region string, t time.Time, expires time.Duration) (string, error) {
	u, _, err := signer.Presign(req, sigv4Creds(c), region, signingService, t, expires)
	return u, err
}

// signHeaders signs req for STS in region at t in its headers, with the
// body's SHA-256 (lowercase hex) given.
func signHeaders(req *http.Request, c credentials.Credentials, region string, t time.Time, bodyHash string) error {
	return signer.SignHash(req, bodyHash, sigv4Creds(c), region, signingService, t)
}

func sigv4Creds(c credentials.Credentials) sigv4.Credentials {
	return sigv4.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey(), SessionToken: c.SessionToken()}
}
