// Package ststest runs a fake AWS Security Token Service for tests, in the
// manner of net/http/httptest: a real HTTP server on 127.0.0.1 that answers
// the way STS does.
//
// The server knows a set of access keys, each belonging to an identity (an
// IAM user, an assumed role, a federated user or an account's root user).
// It checks the SigV4 signature of every request as STS would, and answers
// GetCallerIdentity, AssumeRole and AssumeRoleWithWebIdentity with the XML
// documents STS sends (or their JSON form, when the request has
// Accept: application/json), and failures with STS's error documents:
//
//   - no Authorization → MissingAuthenticationToken (403);
//   - an unknown access key, or a session token that is missing or does not
//     belong to the key → InvalidClientTokenId (403), "The security token
//     included in the request is invalid.";
//   - a wrong signature → SignatureDoesNotMatch (403) with STS's message;
//   - a signing time more than 15 minutes from the server's clock →
//     SignatureDoesNotMatch (403), "Signature expired: … is now earlier
//     than … (… - 15 min.)";
//   - an expired key → ExpiredToken (400).
//
// Requests may be signed in their headers or presigned in their URL (a
// GET, as EKS tokens are); every header named in the signature is
// checked, so a proof that binds a header (x-k8s-aws-id, a server id, a
// challenge) verifies only with the value signed. As STS does, a
// presigned GetCallerIdentity is accepted for 15 minutes after its
// signing time whatever its X-Amz-Expires (0, as aws-iam-authenticator's
// tokens have it, included), and refused with
// SignatureDoesNotMatch, "Signature expired: …", after that. The JSON
// answers have the shape STS gives them, e.g.
//
//	{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"…","Arn":"…","UserId":"…"},
//	 "ResponseMetadata":{"RequestId":"…"}}}
//
// Tests can make the server misbehave: fail the next requests with an STS
// error (Throttling, InternalFailure, ...) or a raw answer (an HTML 503 page
// from a load balancer), hang until the client gives up, send a body far
// larger than any STS answer, delay every answer, or run its clock ahead of
// or behind the client's. It records the requests it gets.
//
// The common case takes a few lines:
//
//	srv := ststest.NewServer()
//	defer srv.Close()
//	key := srv.AddUser("123456789012", "/", "alice")
//	client, err := sts.New(sts.Options{
//		EndpointURL: srv.URL,
//		Credentials: key.Provider(),
//	})
//
// The server reads at most 1 MiB of a request's body. It is safe for
// concurrent use.
package ststest
