package sts

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/callerid/callerid/credentials"
)

// FuzzCheckInput: no panic; an input refused is an *InputError whose text
// is bounded and one line, and never shows the MFA code or the web
// identity token (planted with a marker, so that no field or fixed text
// that errors do show can hold it by chance); an input taken keeps the
// bounds a caller relies on.
func FuzzCheckInput(f *testing.F) {
	f.Add("arn:aws:iam::123456789012:role/deploy", "ci-session", "", "", "", "", int64(3600))
	f.Add("arn:aws:iam::1:role/x", "a", "x", "arn:aws:iam::123456789012:mfa/u", "123456", "{}", int64(899))
	f.Add(strings.Repeat("r", 3000), "bad name\n", "", "", "TOKENSECRET\n", "", int64(-1))
	const marker = "PLANTEDSECRET"
	f.Fuzz(func(t *testing.T, roleARN, session, externalID, serial, secret, policy string, seconds int64) {
		d := time.Duration(seconds) * time.Second
		shown := strings.Join([]string{roleARN, session, externalID, serial, policy}, "\x00")
		for _, s := range []string{secret, marker + secret} {
			ar := &AssumeRoleInput{RoleARN: roleARN, RoleSessionName: session, ExternalID: externalID, SerialNumber: serial,
				TokenCode: credentials.NewSecret(s), Policy: policy, Duration: d}
			wi := &AssumeRoleWithWebIdentityInput{RoleARN: roleARN, RoleSessionName: session, WebIdentityToken: credentials.NewSecret(s),
				Policy: policy, Duration: d}
			for name, err := range map[string]error{"AssumeRole": ar.check(), "AssumeRoleWithWebIdentity": wi.check()} {
				if err == nil {
					if n := len(session); n < 2 || n > 64 || d != 0 && (d < 900*time.Second || d > 43200*time.Second) {
						t.Fatalf("%s took session %q and duration %v", name, session, d)
					}
					continue
				}
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Fatalf("%s: %T %v is not an *InputError", name, err, err)
				}
				msg := err.Error()
				if strings.Contains(msg, marker) && !strings.Contains(shown, marker) {
					t.Fatalf("%s: the error shows the secret: %s", name, msg)
				}
				if len(msg) > 8192 || strings.ContainsAny(msg, "\n\r") {
					t.Fatalf("%s: an error of %d bytes: %.300q", name, len(msg), msg)
				}
			}
		}
	})
}
