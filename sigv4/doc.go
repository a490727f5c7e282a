// Package sigv4 signs and verifies HTTP requests with AWS Signature
// Version 4 (SigV4, algorithm AWS4-HMAC-SHA256), for any AWS service.
//
// It depends only on the standard library and knows nothing of any
// service: the caller names the region and service to sign for. It passes
// the AWS SigV4 test suite (see testdata/sigv4-testsuite in the module) in
// both forms.
//
// # Signing
//
// [Signer.Sign] signs a request in its headers (X-Amz-Date,
// X-Amz-Security-Token, Authorization), in place. [Signer.Presign] signs
// it in the query string and returns the URL, valid for 1 second to 7
// days, and the headers besides the host that were signed and must be
// sent with it. The zero [Signer] signs as every service but S3 expects;
// its fields select S3's path rules, UNSIGNED-PAYLOAD, the
// X-Amz-Content-Sha256 header, and a session token that is not signed.
//
// [Signer.SignHash] signs as Sign does with a payload hash computed
// beforehand, which saves reading and hashing the body: a client that
// sends the same body again and again hashes it once.
//
// A signature costs two SHA-256 sums of the canonical request and string
// to sign and one of the body, and a handful of allocations (the
// Authorization header, the values of the headers set, and the two of the
// body reader of GetBody, which SignHash saves). The signing key of a
// (secret, day, region, service) is derived once and kept in a bounded
// cache, shared by all Signers and [Verify] and safe for concurrent use,
// that holds a keyed hash of each secret, never the secret itself.
//
// # Verifying
//
// [Verify] checks the signature of a request a server received, header or
// presigned, with a [SecretLookup] that gives the secret of an access key
// id. It checks the algorithm, the credential scope, the signing time
// (within [DefaultMaxSkew], 5 minutes, of the server's clock, or
// [VerifyOptions.MaxSkew]), the expiry of a presigned request, that the
// host and the X-Amz-* headers are signed, the session token, and the
// signature, in constant time. Its errors are a *[VerifyError] that names
// the failed check and wraps a sentinel ([ErrUnknownKey],
// [ErrSignatureMismatch], [ErrRequestTimeTooSkewed], ...) for errors.Is;
// they never hold a secret, a derived key or the expected signature. It
// reads the body to hash it and puts it back for the handler.
//
// # Secrets
//
// No secret access key, session token or derived key appears in the output
// of fmt for any value of this package: [Credentials] and [Verified]
// redact theirs.
package sigv4
