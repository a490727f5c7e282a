// Package sigv4 signs HTTP requests with AWS Signature Version 4.
//
// A Signer adds the X-Amz-Date, X-Amz-Security-Token and Authorization
// headers to an *http.Request. The signature covers the method, the
// canonical path and query, every header present on the request except a
// few that proxies and clients are known to change (User-Agent, Expect,
// X-Amzn-Trace-Id, Authorization), and the SHA-256 hash of the body.
//
// The package depends only on the standard library and knows nothing of
// any AWS service: the caller names the region and service to sign for.
package sigv4
