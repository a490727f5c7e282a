package sigv4

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// secretsOf lists every secret a test may leak: the secret key, the
// session token, and the derived signing key of the test scopes in hex and
// raw.
func secretsOf() []string {
	var out []string
	for _, c := range []Credentials{testCreds, benchCreds} {
		out = append(out, c.SecretAccessKey, c.SessionToken)
		for _, scope := range [][3]string{{"20150830", "us-east-1", "sts"}, {"20150830", "us-east-1", "service"}} {
			k := newSigningKey(c.SecretAccessKey, scope[0], scope[1], scope[2])
			var key [32]byte
			for i := range key {
				key[i] = k.ipad[i] ^ 0x36
			}
			out = append(out, hex.EncodeToString(key[:]), string(key[:]))
		}
	}
	return out
}

func assertNoSecrets(t *testing.T, vals ...any) {
	t.Helper()
	secrets := secretsOf()
	for _, v := range vals {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out := fmt.Sprintf(verb, v)
			for _, s := range secrets {
				if s != "" && strings.Contains(out, s) {
					t.Errorf("fmt %s of %T shows a secret: %s", verb, v, out)
				}
			}
		}
	}
}

func TestNoSecretsInOutput(t *testing.T) {
	creds := testCreds
	v, err := Verify(signedTestRequest(t, nil), StaticLookup(testCreds), atTestTime())
	if err != nil {
		t.Fatal(err)
	}
	if v.SessionToken == "" {
		t.Fatal("no token to hide")
	}
	s := &Signer{AddContentSHA256Header: true, Debug: func(string, string) {}}
	_, _, presignErr := s.Presign(nil, creds, "r", "s", testTime, 0)
	signErr := s.Sign(newTestRequest(t), Credentials{AccessKeyID: "AKID", SecretAccessKey: creds.SecretAccessKey}, "bad/region", "sts", testTime)
	assertNoSecrets(t, creds, &creds, v, *v, s, *s, presignErr, signErr, &VerifyOptions{}, VerifyError{Check: "x", Reason: "y"})
	for _, err := range []error{presignErr, signErr} {
		if err == nil {
			t.Error("expected an error")
		}
	}
	if got := fmt.Sprintf("%+v", creds); got != "sigv4.Credentials{AccessKeyID: AKIDEXAMPLE, SecretAccessKey: <redacted>, SessionToken: <redacted>}" {
		t.Errorf("Credentials print as %s", got)
	}
	if got := fmt.Sprint(v); !strings.Contains(got, "SessionToken: <redacted>") || !strings.Contains(got, "AKIDEXAMPLE") {
		t.Errorf("Verified prints as %s", got)
	}
}
