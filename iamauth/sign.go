package iamauth

// Every call into the sigv4 package is in this file.

import (
	"net/http"
	"sync"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sigv4"
)

// signingService is the service STS requests are signed for.
const signingService = "sts"

// clockedSigner is a sigv4.Signer whose clock reads at, set before each
// signature: a prover signs at the time it chose (and reports the
// expiry from), not at whatever time the signer would read.
type clockedSigner struct {
	signer sigv4.Signer
	at     time.Time
}

func (c *clockedSigner) now() time.Time { return c.at }

// signers keeps clocked signers, each with its signing-key cache, for
// reuse: one Signer can't serve two signing times at once.
var signers = sync.Pool{New: func() any {
	c := new(clockedSigner)
	c.signer.Now = c.now
	return c
}}

// appendPresign presigns req for STS in region at t, valid for expires,
// and appends the URL to dst.
func appendPresign(dst []byte, req *http.Request, c credentials.Credentials, region string, t time.Time, expires time.Duration) ([]byte, error) {
	s := signers.Get().(*clockedSigner)
	s.at = t
	u, err := s.signer.AppendPresign(dst, req, c, sigv4.Scope{Service: signingService, Region: region}, expires)
	s.at = time.Time{}
	signers.Put(s)
	return u, err
}

// signHeaders signs req for STS in region at t in its headers, with the
// body's SHA-256 (lowercase hex) given.
func signHeaders(req *http.Request, c credentials.Credentials, region string, t time.Time, bodyHash string) error {
	s := signers.Get().(*clockedSigner)
	s.at = t
	err := s.signer.SignHash(req, bodyHash, c, sigv4.Scope{Service: signingService, Region: region})
	s.at = time.Time{}
	signers.Put(s)
	return err
}
