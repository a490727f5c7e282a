package iamauth

import (
	"time"

	"github.com/callerid/callerid/arn"
)

// An Identity is who signed a verified proof: what STS answered, taken
// apart with the arn package, and what the proof said.
//
// It holds no secret: neither the token nor the session token nor the
// signature.
type Identity struct {
	// ARN is the caller's ARN as STS returned it, e.g.
	// arn:aws:sts::123456789012:assumed-role/deploy/ci-7.
	ARN string
	// CanonicalARN is the ARN that allow-lists compare: the role's
	// arn:aws:iam::ACCOUNT:role/NAME for a role session (whatever the
	// session), the ARN itself otherwise (see arn.Principal.Canonical).
	CanonicalARN string
	// Principal is ARN taken apart: kind, name, path, session name.
	Principal arn.Principal
	// Account is the 12-digit account id.
	Account string
	// UserID is the caller's unique id, as STS returned it: AIDA… for a
	// user, AROA…:SESSION for a role session.
	UserID string
	// SessionName is the role session name of a role session, empty
	// otherwise. The caller chose it: it identifies nothing by itself.
	SessionName string
	// AccessKeyID is the access key the proof was signed with.
	AccessKeyID string
	// Host is the STS host the proof named.
	Host string
	// SignedAt is the proof's signing time (X-Amz-Date).
	SignedAt time.Time
	// Expires is when the proof stops being accepted: SignedAt plus
	// MaxAge. A verified proof is cached until then, no longer.
	Expires time.Time
	// RequestID is the request id of STS's answer.
	RequestID string
}
