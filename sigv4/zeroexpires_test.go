package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestAllowZeroExpires verifies a presigned request whose X-Amz-Expires
// is 0, as aws-iam-authenticator's EKS tokens have it: refused by
// default, accepted with AllowZeroExpires (at its signing time, and later
// if Now says so).
func TestAllowZeroExpires(t *testing.T) {
	req := presignedTestRequest(t, &Signer{}, time.Second)
	req.URL.RawQuery = strings.Replace(req.URL.RawQuery, "X-Amz-Expires=1&", "X-Amz-Expires=0&", 1)
	if _, err := atTestTime().Verify(req); !errors.Is(err, ErrMalformedAuthorization) {
		t.Fatalf("X-Amz-Expires=0 by default: %v, want ErrMalformedAuthorization", err)
	}

	// Sign the changed request: the string to sign Verify computes, with
	// the scope's key.
	var sts string
	v := atTestTime()
	v.AllowZeroExpires = true
	v.Debug = func(_, stringToSign string) { sts = stringToSign }
	if _, err := v.Verify(req); !errors.Is(err, ErrSignatureMismatch) {
		t.Fatalf("before re-signing: %v", err)
	}
	k := newSigningKey(testCreds.SecretAccessKey(), "20150830", "us-east-1", "sts")
	m := hmac.New(sha256.New, k.key[:])
	m.Write([]byte(sts))
	sig := hex.EncodeToString(m.Sum(nil))
	q := req.URL.RawQuery
	i := strings.Index(q, "X-Amz-Signature=")
	req.URL.RawQuery = q[:i] + "X-Amz-Signature=" + sig + q[i+len("X-Amz-Signature=")+64:]

	v.Debug = nil
	got, err := v.Verify(req)
	if err != nil || !got.Presigned || got.Expires != 0 {
		t.Fatalf("with AllowZeroExpires: %+v, %v", got, err)
	}
	v.Now = func() time.Time { return testTime.Add(time.Second) }
	if _, err := v.Verify(req); !errors.Is(err, ErrPresignExpired) {
		t.Errorf("a second later: %v, want ErrPresignExpired", err)
	}
	for _, bad := range []string{"00", "-0", "+0"} {
		r2 := req.Clone(req.Context())
		r2.URL.RawQuery = strings.Replace(req.URL.RawQuery, "X-Amz-Expires=0&", "X-Amz-Expires="+bad+"&", 1)
		if _, err := v.Verify(r2); !errors.Is(err, ErrMalformedAuthorization) {
			t.Errorf("X-Amz-Expires=%s: %v, want ErrMalformedAuthorization", bad, err)
		}
	}
}
