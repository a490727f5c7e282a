package iamauth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/callerid/callerid/arn"
)

// FuzzDecodeRawURL compares the token decoder with encoding/base64's
// strict decoder, which agrees with it but for the line breaks it skips.
func FuzzDecodeRawURL(f *testing.F) {
	for _, s := range []string{"", "A", "AA", "AAA", "AAAA", "aHR0cHM6Ly9zdHM", "aHR0cHM6Ly9zdHN", "ab==", "a+/b", "a\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dst := make([]byte, len(s)*3/4+3)
		n, _, ok := decodeRawURL(dst, s)
		want, err := base64.RawURLEncoding.Strict().DecodeString(s)
		if strings.ContainsAny(s, "\r\n") {
			if ok {
				t.Fatalf("decoded %q, which has a line break", s)
			}
			return
		}
		if ok != (err == nil) || ok && !bytes.Equal(dst[:n], want) {
			t.Fatalf("%q: got %q, %t; encoding/base64: %q, %v", s, dst[:n], ok, want, err)
		}
	})
}

// FuzzReadAnswer feeds STS answers of any status, type and body to the
// answer's checks: no panic, a refusal's text bounded and clean, and what
// is accepted is an identity that holds together.
func FuzzReadAnswer(f *testing.F) {
	const ns = `xmlns="https://sts.amazonaws.com/doc/2011-06-15/"`
	f.Add(200, "text/xml", `<GetCallerIdentityResponse `+ns+`><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`)
	f.Add(200, "application/json", `{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"123456789012","Arn":"arn:aws:sts::123456789012:assumed-role/r/s1","UserId":"AROACKCEVSQ6C2EXAMPLE:s1"},"ResponseMetadata":{"RequestId":"x"}}}`)
	f.Add(400, "text/xml", `<ErrorResponse `+ns+`><Error><Code>Throttling</Code></Error></ErrorResponse>`)
	f.Add(403, "application/json", `{"Error":{"Code":"SignatureDoesNotMatch"}}`)
	f.Add(302, "", "")
	f.Add(503, "text/html", "<html></html>")
	v := &Verifier{hosts: map[string]stsHost{"sts.us-east-1.amazonaws.com": {region: "us-east-1", partition: "aws"}}}
	r := &stsRequest{host: "sts.us-east-1.amazonaws.com", akid: "AKIAIOSFODNN7EXAMPLE"}
	f.Fuzz(func(t *testing.T, status int, contentType, body string) {
		if status < 100 || status > 999 {
			return
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {contentType}}, Body: io.NopCloser(strings.NewReader(body)), ContentLength: -1}
		a, ve := readAnswer(resp, r.secrets)
		if ve != nil {
			if ve.Err == nil || !errors.Is(ve, ve.Err) {
				t.Fatalf("refusal without a sentinel: %v", ve)
			}
			// What the answer holds reaches the error bounded, as one
			// line with no control, separator or format character.
			msg := ve.Error()
			if len(msg) > 2048 || !utf8.ValidString(msg) || strings.IndexFunc(msg, func(r rune) bool {
				return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cf)
			}) >= 0 {
				t.Fatalf("error of %d bytes: %q", len(msg), msg)
			}
			return
		}
		if status != 200 {
			t.Fatalf("accepted an answer of HTTP %d", status)
		}
		id, ve := v.identityOf(a, r)
		if ve != nil {
			return
		}
		p, err := arn.ParsePrincipal(id.ARN)
		if err != nil || p.ARN.AccountID != id.Account || p.ARN.Partition != "aws" || len(id.Account) != 12 {
			t.Fatalf("accepted %+v", id)
		}
		if _, err := strconv.ParseUint(id.Account, 10, 64); err != nil {
			t.Fatalf("account %q", id.Account)
		}
	})
}

// FuzzResultJSON checks the strict JSON reader against encoding/json:
// what it accepts is valid JSON that encoding/json reads the same.
func FuzzResultJSON(f *testing.F) {
	f.Add(`{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/a","UserId":"AIDA"},"ResponseMetadata":{"RequestId":"x"}}}`)
	f.Add(` { "GetCallerIdentityResponse" : { "GetCallerIdentityResult" : { "Arn" : "a\u0041\n" , "UserId" : "\"" , "Account" : "1" } } } `)
	f.Add(`{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Account":"1","Arn":"2","UserId":"3"}},"x":1}`)
	f.Fuzz(func(t *testing.T, body string) {
		var a gciAnswer
		if parseResultJSON([]byte(body), &a) != nil {
			return
		}
		var doc struct {
			GetCallerIdentityResponse struct {
				GetCallerIdentityResult struct{ Account, Arn, UserId string }
				ResponseMetadata        struct{ RequestId string }
			}
		}
		if !json.Valid([]byte(body)) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatalf("accepted %q, which encoding/json refuses: %v", body, err)
		}
		r := doc.GetCallerIdentityResponse
		if r.GetCallerIdentityResult.Account != a.account || r.GetCallerIdentityResult.Arn != a.arn ||
			r.GetCallerIdentityResult.UserId != a.userID || r.ResponseMetadata.RequestId != a.requestID {
			t.Fatalf("%q: read %+v, encoding/json %+v", body, a, r)
		}
	})
}

// FuzzEncodeToken checks the token encoder against encoding/base64.
func FuzzEncodeToken(f *testing.F) {
	for _, s := range []string{"", "a", "ab", "abc", "https://sts.amazonaws.com/?Action=GetCallerIdentity", strings.Repeat("x", 767), strings.Repeat("y", 768), strings.Repeat("z", 2000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := encodeToken([]byte(s)), TokenPrefix+base64.RawURLEncoding.EncodeToString([]byte(s)); got != want {
			t.Fatalf("%q: %s, want %s", s, got, want)
		}
	})
}
