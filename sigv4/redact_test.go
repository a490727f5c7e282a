package sigv4

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/callerid/callerid/credentials"
)

// secretsOf lists every secret a test may leak: the secret key, the
// session token, and the derived signing key of the test scopes in hex and
// raw.
func secretsOf() []string {
	var out []string
	for _, c := range []credentials.Credentials{testCreds, benchCreds} {
		out = append(out, c.SecretAccessKey(), c.SessionToken())
		for _, scope := range [][3]string{{"20150830", "us-east-1", "sts"}, {"20150830", "us-east-1", "service"}} {
			k := newSigningKey(c.SecretAccessKey(), scope[0], scope[1], scope[2])
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
	v, err := withLookup(atTestTime(), StaticLookup(testCreds)).Verify(signedTestRequest(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if v.Credentials.SessionToken() == "" {
		t.Fatal("no token to hide")
	}
	s := &Signer{AddContentSHA256Header: true, Debug: func(string, string) {}}
	_, _, presignErr := signerAt(s, testTime).Presign(nil, creds, Scope{Service: "s", Region: "r"}, 0)
	signErr := signerAt(s, testTime).Sign(newTestRequest(t), credentials.New("AKID", creds.SecretAccessKey(), ""), Scope{Service: "sts", Region: "bad/region"})
	assertNoSecrets(t, creds, &creds, v, *v, s, presignErr, signErr, &Verifier{Scope: stsScope}, VerifyError{Check: "x", Reason: "y"})
	for _, err := range []error{presignErr, signErr} {
		if err == nil {
			t.Error("expected an error")
		}
	}
	if got := fmt.Sprintf("%+v", creds); got != "Credentials{AccessKeyID: AKIDEXAMPLE, SecretAccessKey: <redacted>, SessionToken: <redacted>}" {
		t.Errorf("Credentials print as %s", got)
	}
	if got := fmt.Sprint(v); !strings.Contains(got, "SessionToken: <redacted>") || !strings.Contains(got, "AKIDEXAMPLE") {
		t.Errorf("Verified prints as %s", got)
	}
}
