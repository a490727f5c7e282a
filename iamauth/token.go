package iamauth

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/callerid/callerid/credentials"
)

// EKS tokens.
const (
	// TokenPrefix starts every EKS token; base64url of the presigned URL
	// follows, without padding.
	TokenPrefix = "k8s-aws-v1."
	// ClusterIDHeader is the signed header that names the cluster an EKS
	// token is for.
	ClusterIDHeader = "x-k8s-aws-id"
	// MaxTokenBytes is the longest EKS token accepted, as
	// aws-iam-authenticator accepts.
	MaxTokenBytes = 4096
	// TokenExpiry is the lifetime of a presigned URL as X-Amz-Expires
	// states it in an EKS token: STS ignores it and accepts the URL for
	// MaxAge after its signing time, but verifiers of old refuse more
	// than 60 seconds.
	TokenExpiry = 60 * time.Second
	// TokenLifetime is the lifetime reported for an EKS token: a minute
	// short of MaxAge, as aws eks get-token and aws-iam-authenticator
	// report it, so that a client renews it in time.
	TokenLifetime = MaxAge - time.Minute
)

// An EKSToken is a bearer token for Amazon EKS and other Kubernetes
// clusters that authenticate with aws-iam-authenticator: TokenPrefix and
// a presigned STS GetCallerIdentity URL that names the cluster.
//
// Whoever holds the token can pass for its signer until it expires, so it
// is a secret: Token returns it, and String, GoString, Format, LogValue
// and MarshalJSON never show it.
type EKSToken struct {
	// ClusterID is the cluster the token is for (the x-k8s-aws-id header).
	ClusterID string
	// Host is the STS host the token's URL names (with its port, if an
	// Endpoint URL gave it one).
	Host string
	// SignedAt is when the token was signed (X-Amz-Date).
	SignedAt time.Time
	// Expires is when the token should be renewed: SignedAt plus
	// TokenLifetime, or the credentials' expiry if that is earlier.
	Expires time.Time

	token credentials.Secret
}

// Token returns the token, "k8s-aws-v1.…".
func (t EKSToken) Token() string { return t.token.Reveal() }

// String describes t without the token.
func (t EKSToken) String() string {
	var b strings.Builder
	b.WriteString("iamauth.EKSToken{ClusterID: ")
	b.WriteString(t.ClusterID)
	b.WriteString(", Host: ")
	b.WriteString(t.Host)
	b.WriteString(", SignedAt: ")
	b.WriteString(t.SignedAt.UTC().Format(time.RFC3339))
	b.WriteString(", Expires: ")
	b.WriteString(t.Expires.UTC().Format(time.RFC3339))
	if !t.token.IsZero() {
		b.WriteString(", Token: " + credentials.Redacted)
	}
	b.WriteByte('}')
	return b.String()
}

// GoString is String, so %#v does not show the token.
func (t EKSToken) GoString() string { return t.String() }

// Format writes String for every verb, so no fmt verb shows the token.
func (t EKSToken) Format(f fmt.State, _ rune) { fmt.Fprint(f, t.String()) }

// LogValue logs t as String does.
func (t EKSToken) LogValue() slog.Value { return slog.StringValue(t.String()) }

// MarshalJSON writes the public fields, and "<redacted>" for the token.
func (t EKSToken) MarshalJSON() ([]byte, error) {
	v := struct {
		ClusterID string    `json:"clusterID"`
		Host      string    `json:"host"`
		SignedAt  time.Time `json:"signedAt"`
		Expires   time.Time `json:"expires"`
		Token     string    `json:"token,omitempty"`
	}{t.ClusterID, t.Host, t.SignedAt.UTC(), t.Expires.UTC(), ""}
	if !t.token.IsZero() {
		v.Token = credentials.Redacted
	}
	return json.Marshal(v)
}

// Equal reports whether t and o are the same token, for
// github.com/google/go-cmp.
func (t EKSToken) Equal(o EKSToken) bool {
	return t.ClusterID == o.ClusterID && t.Host == o.Host && t.SignedAt.Equal(o.SignedAt) &&
		t.Expires.Equal(o.Expires) && t.token.Equal(o.token)
}

// encodeToken returns TokenPrefix and the base64url of u, without
// padding, in one allocation.
func encodeToken(u []byte) string {
	var b strings.Builder
	b.Grow(len(TokenPrefix) + base64.RawURLEncoding.EncodedLen(len(u)))
	b.WriteString(TokenPrefix)
	var chunk [1024]byte // the encoding of 768 bytes
	for len(u) > 0 {
		n := min(len(u), len(chunk)/4*3)
		base64.RawURLEncoding.Encode(chunk[:], u[:n])
		b.Write(chunk[:base64.RawURLEncoding.EncodedLen(n)])
		u = u[n:]
	}
	clear(chunk[:])
	return b.String()
}

// base64url without padding, strictly: the alphabet A-Z a-z 0-9 - _, no
// '=', no line breaks, and the unused bits of the last character zero.
var b64urlDecode = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = int8(i)
	}
	return t
}()

// decodeRawURL decodes s, base64url without padding, into dst (which must
// have room for len(s)*3/4 bytes) and returns the bytes written, or the
// offset of the first bad character and false.
func decodeRawURL(dst []byte, s string) (int, int, bool) {
	if len(s)%4 == 1 {
		return 0, len(s) - 1, false
	}
	n, i := 0, 0
	// Eight characters at a time into six bytes (and two written over
	// next time), then four at a time.
	for ; len(s)-i >= 8 && len(dst)-n >= 8; i, n = i+8, n+6 {
		q := s[i : i+8]
		c0, c1, c2, c3 := b64urlDecode[q[0]], b64urlDecode[q[1]], b64urlDecode[q[2]], b64urlDecode[q[3]]
		c4, c5, c6, c7 := b64urlDecode[q[4]], b64urlDecode[q[5]], b64urlDecode[q[6]], b64urlDecode[q[7]]
		if c0|c1|c2|c3|c4|c5|c6|c7 < 0 {
			return 0, i + firstBad(q), false
		}
		v := uint64(c0)<<58 | uint64(c1)<<52 | uint64(c2)<<46 | uint64(c3)<<40 |
			uint64(c4)<<34 | uint64(c5)<<28 | uint64(c6)<<22 | uint64(c7)<<16
		binary.BigEndian.PutUint64(dst[n:], v)
	}
	for ; len(s)-i >= 4 && len(dst)-n >= 3; i, n = i+4, n+3 {
		q := s[i : i+4]
		a, b, c, d := b64urlDecode[q[0]], b64urlDecode[q[1]], b64urlDecode[q[2]], b64urlDecode[q[3]]
		if a|b|c|d < 0 {
			return 0, i + firstBad(q), false
		}
		v := uint(a)<<18 | uint(b)<<12 | uint(c)<<6 | uint(d)
		o := dst[n : n+3 : n+3]
		o[0], o[1], o[2] = byte(v>>16), byte(v>>8), byte(v)
	}
	switch len(s) - i {
	case 0:
	case 2:
		a, b := b64urlDecode[s[i]], b64urlDecode[s[i+1]]
		if a|b < 0 || b&0x0f != 0 || len(dst)-n < 1 {
			return 0, i + firstBad(s[i:]), false
		}
		dst[n] = byte(uint(a)<<2 | uint(b)>>4)
		n++
	case 3:
		a, b, c := b64urlDecode[s[i]], b64urlDecode[s[i+1]], b64urlDecode[s[i+2]]
		if a|b|c < 0 || c&0x03 != 0 || len(dst)-n < 2 {
			return 0, i + firstBad(s[i:]), false
		}
		v := uint(a)<<10 | uint(b)<<4 | uint(c)>>2
		dst[n], dst[n+1] = byte(v>>8), byte(v)
		n += 2
	default: // dst is full
		return 0, i, false
	}
	return n, 0, true
}

// firstBad returns the offset of the first character of s outside the
// alphabet, or the last one (whose unused bits are set).
func firstBad(s string) int {
	for i := 0; i < len(s); i++ {
		if b64urlDecode[s[i]] < 0 {
			return i
		}
	}
	return len(s) - 1
}
