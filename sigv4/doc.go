// Package sigv4 signs and verifies HTTP requests with AWS Signature
// Version 4 (SigV4, algorithm AWS4-HMAC-SHA256), for any AWS service.
//
// It knows nothing of any service: a request is signed with
// [credentials.Credentials] for a [Scope], the service and region named
// (a struct, so that no caller can swap the two). It depends on the
// standard library and the credentials package only, and passes the AWS
// SigV4 test suite (see testdata/sigv4-testsuite in the module) in both
// forms.
//
// # Signing
//
// A [Signer] signs. [Signer.Sign] signs a request in its headers
// (X-Amz-Date, X-Amz-Security-Token, Authorization), in place.
// [Signer.Presign] signs it in the query string and returns the URL, valid
// for 1 second to 7 days, and the headers besides the host that were
// signed and must be sent with it. [Signer.SignHash] signs as Sign does
// with a payload hash computed beforehand, which saves reading and
// hashing the body: a client that sends the same body again and again
// hashes it once.
//
// The zero Signer signs as every service but S3 expects, at time.Now; its
// fields select S3's path rules, UNSIGNED-PAYLOAD, the
// X-Amz-Content-Sha256 header, a session token that is not signed, and
// the clock (Signer.Now), which a client corrects for the server's.
//
// A signature costs the SHA-256 of the body, that of the canonical
// request, one HMAC-SHA256 of the string to sign, and a handful of
// allocations (the Authorization header, the values of the headers set,
// and the two of the body reader of GetBody, which SignHash saves). Each
// Signer keeps its own state, made on first use and safe for concurrent
// use: the signing key of each (secret, day, service, region) it signed
// for, derived once with crypto/hmac, in a bounded cache that holds a
// keyed hash of each secret, never the secret itself, and crypto/hmac
// hashes of that key to reuse. There are no package globals: use one
// Signer for many requests, and do not copy it after first use.
//
// # Verifying
//
// A [Verifier] checks the signature of a request a server received, header
// or presigned, with a [SecretLookup] that gives the credentials of an
// access key id, for the Scope the server is: the service always, the
// region too unless [Verifier.AnyRegion] says any region will do. A
// Verifier that does not name its scope refuses every request. It checks
// the algorithm, the credential scope, the signing time (within
// [DefaultMaxSkew], 5 minutes, of the server's clock, or
// [Verifier.MaxSkew]), the expiry of a presigned request, that the host
// and the X-Amz-* headers are signed, the session token, and the
// signature, in constant time; a request signed both in its header and in
// its query is refused. It returns what it authenticated, a [Verified]:
// the lookup's credentials for the signature's access key id, the scope,
// the signing time. Its errors are a *[VerifyError] that names the failed
// check and wraps a sentinel ([ErrUnknownKey], [ErrSignatureMismatch],
// [ErrRequestTimeTooSkewed], ...) for errors.Is; they never hold a secret,
// a derived key or the expected signature. It reads the body to hash it
// and puts it back for the handler.
//
// # Secrets
//
// No secret access key, session token or signing key appears in any
// output of any value of this package: fmt under every verb,
// encoding/json, log/slog, go-cmp's Diff. Verified holds its credentials
// as credentials.Credentials, which redact theirs; a Signer's and a
// Verifier's cache is out of reflection's reach.
package sigv4
