package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/redacttest"
)

// Planted secrets: two sets of keys with the same access key id, so that
// values made with one and the other differ only in what is secret.
var (
	plantedA = credentials.New("AKIDPLANTED", "PLANTEDsecretA/0123456789+abcdefghijklmn", "PLANTEDtokenA/with+odd=bytes&more")
	plantedB = credentials.New("AKIDPLANTED", "PLANTEDsecretB/0123456789+abcdefghijklmn", "PLANTEDtokenB/with+odd=bytes&more")
)

// plantedSecrets lists what no output may show: the secret keys and
// session tokens (raw and URI-encoded), and the signing keys derived from
// them for the test scope and HMAC's padded blocks of those (raw, hex,
// base64).
func plantedSecrets() []string {
	var out []string
	for _, c := range []credentials.Credentials{plantedA, plantedB, testCreds} {
		for _, s := range []string{c.SecretAccessKey(), c.SessionToken()} {
			out = append(out, s, url.QueryEscape(s), string(appendEscaped(nil, s, false)))
		}
		for _, date := range []string{"20150830", time.Now().UTC().Format("20060102")} {
			k := deriveKey(c.SecretAccessKey(), date, stsScope.Region, stsScope.Service)
			var ipad, opad [sha256.BlockSize]byte
			for i := range ipad {
				ipad[i], opad[i] = 0x36, 0x5c
			}
			for i, b := range k {
				ipad[i] ^= b
				opad[i] ^= b
			}
			for _, b := range [][]byte{k[:], ipad[:], opad[:]} {
				out = append(out, string(b), hex.EncodeToString(b), strings.ToUpper(hex.EncodeToString(b)),
					base64.StdEncoding.EncodeToString(b), fmt.Sprint(b[:8]))
			}
		}
	}
	return out
}

// redactCase is a value of an exported type of the package holding (or
// made with) planted secrets, and another that differs from it in the
// secrets alone, for cmp.Diff.
type redactCase struct {
	name string
	a, b any
}

func redactCases(t *testing.T) []redactCase {
	at := func() time.Time { return testTime }
	signed := func(creds credentials.Credentials) (*Signer, *http.Request, *http.Request) {
		s := &Signer{Now: at, Debug: func(string, string) {}}
		req := newTestRequest(t)
		if err := s.Sign(req, creds, stsScope); err != nil {
			t.Fatal(err)
		}
		u, hdr, err := s.Presign(newTestRequest(t), creds, stsScope, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		preq, err := http.NewRequest("POST", u, strings.NewReader(testBody))
		if err != nil {
			t.Fatal(err)
		}
		for k, vs := range hdr {
			preq.Header[k] = vs
		}
		return s, req, preq
	}
	sa, reqA, preqA := signed(plantedA)
	sb, reqB, preqB := signed(plantedB)
	verifier := func(creds credentials.Credentials) *Verifier {
		return &Verifier{Lookup: StaticLookup(creds), Scope: stsScope, Now: at}
	}
	va, vb := verifier(plantedA), verifier(plantedB)
	verified := func(v *Verifier, req *http.Request) *Verified {
		got, err := v.Verify(req)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	okA, okB := verified(va, reqA), verified(vb, reqB)
	pokA, pokB := verified(va, preqA), verified(vb, preqB)
	failed := func(v *Verifier, req *http.Request) error {
		_, err := v.Verify(req)
		if err == nil {
			t.Fatal("Verify accepted a request signed with other keys")
		}
		return err
	}
	lookupErr := func(context.Context, string) (credentials.Credentials, error) {
		return credentials.Credentials{}, errors.New("backend down")
	}
	signErr := func(creds credentials.Credentials) error {
		return new(Signer).Sign(newTestRequest(t), creds, Scope{Service: "sts", Region: "bad/region"})
	}
	presignErr := func(creds credentials.Credentials) error {
		_, _, err := new(Signer).Presign(newTestRequest(t), creds, stsScope, 0)
		return err
	}
	var veA, veB *VerifyError
	errors.As(failed(va, reqB), &veA)
	errors.As(failed(vb, reqA), &veB)
	return []redactCase{
		{"Scope", stsScope, stsScope},
		{"*Signer", sa, sb},
		{"*Verifier", va, vb},
		{"Verified", *okA, *okB},
		{"*Verified", okA, okB},
		{"presigned *Verified", pokA, pokB},
		{"signature mismatch", failed(va, reqB), failed(vb, reqA)},
		{"presigned signature mismatch", failed(va, preqB), failed(vb, preqA)},
		{"VerifyError", *veA, *veB},
		{"session token mismatch", failed(&Verifier{Lookup: StaticLookup(plantedA), Scope: stsScope, Now: at}, reqB),
			failed(&Verifier{Lookup: StaticLookup(plantedB), Scope: stsScope, Now: at}, reqA)},
		{"lookup fails", failed(&Verifier{Lookup: lookupErr, Scope: stsScope, Now: at}, reqA),
			failed(&Verifier{Lookup: lookupErr, Scope: stsScope, Now: at}, reqB)},
		{"SecretLookup", StaticLookup(plantedA), StaticLookup(plantedB)},
		{"Sign error", signErr(plantedA), signErr(plantedB)},
		{"Presign error", presignErr(plantedA), presignErr(plantedB)},
	}
}

// outputs prints v every way a program may: fmt under every verb,
// encoding/json, log/slog's text and JSON handlers.
func outputs(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%t", "%d", "%T"} {
		out["fmt "+verb] = fmt.Sprintf(verb, v)
	}
	js, err := json.Marshal(v)
	out["json"] = string(js) + fmt.Sprint(err)
	var text, jsonLog bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", v)
	slog.New(slog.NewJSONHandler(&jsonLog, nil)).Info("m", "v", v)
	out["slog text"], out["slog json"] = text.String(), jsonLog.String()
	return out
}

// TestNoSecretsInOutput walks every exported type of the package, made
// with planted secrets, through every printer, and cmp.Diff of two values
// that differ in their secrets alone.
func TestNoSecretsInOutput(t *testing.T) {
	secrets := plantedSecrets()
	everything := cmp.Exporter(func(reflect.Type) bool { return true })
	for _, tc := range redactCases(t) {
		outs := outputs(tc.a)
		outs["cmp.Diff"] = cmp.Diff(tc.a, tc.b, everything)
		if reflect.TypeOf(tc.a).Kind() == reflect.Pointer {
			outs["fmt %v of the value"] = fmt.Sprintf("%v", reflect.ValueOf(tc.a).Elem())
		}
		for how, out := range outs {
			for _, s := range secrets {
				if s != "" && strings.Contains(out, s) {
					t.Errorf("%s: %s shows the planted secret %q:\n%s", tc.name, how, s, out)
				}
			}
		}
	}
}

// TestPrintedVerified checks that what Verified prints is useful: the key,
// the scope, the signed headers.
func TestPrintedVerified(t *testing.T) {
	v, err := atTestTime().Verify(signedTestRequest(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := "sigv4.Verified{Credentials: Credentials{AccessKeyID: AKIDEXAMPLE, SecretAccessKey: <redacted>, SessionToken: <redacted>}, " +
		"Scope: {Service: sts, Region: us-east-1}, Time: 2015-08-30T12:36:00Z, Presigned: false, Expires: 0s, " +
		"SignedHeaders: content-type;host;x-amz-date;x-amz-security-token;x-custom, SessionTokenSigned: true}"
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if got := fmt.Sprintf(verb, v); got != want {
			t.Errorf("%s:\n got %s\nwant %s", verb, got, want)
		}
	}
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"Credentials":{"AccessKeyId":"AKIDEXAMPLE","SecretAccessKey":"\u003credacted\u003e","SessionToken":"\u003credacted\u003e"},` +
		`"Scope":{"Service":"sts","Region":"us-east-1"},"Time":"2015-08-30T12:36:00Z","Presigned":false,"Expires":0,` +
		`"SignedHeaders":["content-type","host","x-amz-date","x-amz-security-token","x-custom"],"SessionTokenSigned":true}`
	if string(js) != wantJSON {
		t.Errorf("JSON:\n got %s\nwant %s", js, wantJSON)
	}
}

// assertNoSecrets fails t if any printing of vals shows a secret.
func assertNoSecrets(t *testing.T, vals ...any) {
	t.Helper()
	secrets := plantedSecrets()
	for _, v := range vals {
		for how, out := range outputs(v) {
			for _, s := range secrets {
				if s != "" && strings.Contains(out, s) {
					t.Errorf("%s of %T shows a secret: %s", how, v, out)
				}
			}
		}
	}
}

// TestNoSecretsThroughAnyPrinter runs the same values through the
// module's common check (internal/redacttest), which adds structs holding
// them in exported and unexported fields, slices and maps.
func TestNoSecretsThroughAnyPrinter(t *testing.T) {
	secrets := plantedSecrets()
	for _, tc := range redactCases(t) {
		redacttest.Check(t, redacttest.Case{Name: tc.name, Value: tc.a, Other: tc.b, Secrets: secrets})
	}
}
