package iamauth_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/sigv4"
	"github.com/callerid/callerid/sts/ststest"
)

// param returns the raw value of the query parameter name of u.
func param(u, name string) string {
	_, rest, ok := strings.Cut(u, "?")
	if !ok {
		return ""
	}
	for _, p := range strings.Split(rest, "&") {
		if k, v, _ := strings.Cut(p, "="); k == name {
			return v
		}
	}
	return ""
}

// setParam sets the raw value of the query parameter name of u.
func setParam(u, name, value string) string {
	old := name + "=" + param(u, name)
	return strings.Replace(u, old, name+"="+value, 1)
}

// dropParam removes the query parameter name from u.
func dropParam(u, name string) string {
	old := name + "=" + param(u, name)
	u = strings.Replace(u, "&"+old, "", 1)
	return strings.Replace(u, old+"&", "", 1)
}

// presignRaw presigns a GET of query to host with the headers signed, as
// a token generator that does not check what it signs would: it lets a
// test make tokens whose signature is good but whose content a verifier
// must refuse.
func presignRaw(t *testing.T, key ststest.Key, host, region, query string, hdr http.Header, at time.Time, expires time.Duration) string {
	t.Helper()
	req := &http.Request{Method: http.MethodGet, URL: &url.URL{Scheme: "https", Host: host, Path: "/", RawQuery: query}, Host: host, Header: hdr}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	s := sigv4.Signer{Now: func() time.Time { return at }}
	u, _, err := s.Presign(req, key.Credentials, sigv4.Scope{Service: "sts", Region: region}, expires)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// secretsOf are what no error may show: the secret key, the session
// token, the signature, the token.
func secretsOf(key ststest.Key, proofs ...string) []string {
	out := []string{key.SecretAccessKey(), key.SessionToken(), url.QueryEscape(key.SessionToken())}
	for _, p := range proofs {
		out = append(out, p)
		if strings.HasPrefix(p, iamauth.TokenPrefix) {
			if b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(p, iamauth.TokenPrefix)); err == nil {
				if sig := param(string(b), "X-Amz-Signature"); sig != "" {
					out = append(out, sig)
				}
			}
		}
	}
	return out
}

func checkRefusal(t *testing.T, err, want error, secrets []string) {
	t.Helper()
	var ve *iamauth.VerifyError
	if !errors.Is(err, want) || !errors.As(err, &ve) {
		t.Fatalf("error %v, want a *VerifyError wrapping %v", err, want)
	}
	msg := err.Error()
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			t.Errorf("the error shows a secret: %s", msg)
		}
	}
	if len(ve.Reason) > 400 {
		t.Errorf("reason of %d bytes: %s", len(ve.Reason), ve.Reason)
	}
	checkErrorText(t, err)
}

// checkErrorText checks that what the presenter or the peer sent reaches
// an error's text bounded, and quoted or cleaned: one line, with no
// control character, separator or format character (a bidirectional
// override makes a log line read other than it is).
func checkErrorText(t testing.TB, err error) {
	t.Helper()
	msg := err.Error()
	if len(msg) > 2048 {
		t.Errorf("an error of %d bytes: %.200s...", len(msg), msg)
	}
	if !utf8.ValidString(msg) {
		t.Errorf("the error is not UTF-8: %q", msg)
	}
	for _, r := range msg {
		if unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cf) {
			t.Errorf("the error holds %U: %q", r, msg)
			return
		}
	}
}

// TestAdversarialTokens refuses every kind of bad EKS token found in the
// CVEs and issues of aws-iam-authenticator, Vault, Consul and Teleport,
// each with its check's sentinel, and all but those STS must judge without
// a call to STS.
func TestAdversarialTokens(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	valid := e.token(t)
	u := urlOf(t, valid)
	host := "sts.us-east-1.amazonaws.com"
	rest := strings.TrimPrefix(u, "https://"+host)
	cred := param(u, "X-Amz-Credential")
	evilCred := strings.Replace(cred, e.key.AccessKeyID, "AKIAEVILEVILEVILEVIL", 1)
	noCluster := presignRaw(t, e.key, host, "us-east-1", "Action=GetCallerIdentity&Version=2011-06-15", nil, testTime, time.Minute)
	otherRegion := presignRaw(t, e.key, host, "eu-west-1", "Action=GetCallerIdentity&Version=2011-06-15",
		http.Header{"X-K8s-Aws-Id": {testCluster}}, testTime, time.Minute)
	assumeRole := presignRaw(t, e.key, host, "us-east-1", "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fadmin&RoleSessionName=x&Version=2011-06-15",
		http.Header{"X-K8s-Aws-Id": {testCluster}}, testTime, time.Minute)
	std := iamauth.TokenPrefix + base64.StdEncoding.EncodeToString([]byte(u+"&"))

	tests := []struct {
		name  string
		token string
		want  error
		sts   bool // refused by STS, not locally
	}{
		// Size, prefix, encoding.
		{"oversized", valid + strings.Repeat("A", iamauth.MaxTokenBytes), iamauth.ErrTooLarge, false},
		{"oversized by one", iamauth.TokenPrefix + strings.Repeat("A", iamauth.MaxTokenBytes-len(iamauth.TokenPrefix)+1), iamauth.ErrTooLarge, false},
		{"oversized query", tokenOf(u + "&X-Amz-Pad=" + strings.Repeat("x", 3000)), iamauth.ErrTooLarge, false},
		{"no prefix", strings.TrimPrefix(valid, iamauth.TokenPrefix), iamauth.ErrPrefix, false},
		{"v2 prefix", "k8s-aws-v2." + strings.TrimPrefix(valid, iamauth.TokenPrefix), iamauth.ErrPrefix, false},
		{"upper-case prefix", "K8S-AWS-V1." + strings.TrimPrefix(valid, iamauth.TokenPrefix), iamauth.ErrPrefix, false},
		{"space before prefix", " " + valid, iamauth.ErrPrefix, false},
		{"padded base64", tokenOf(u+"&") + "==", iamauth.ErrEncoding, false},
		{"standard base64", std, iamauth.ErrEncoding, false},
		{"line break", valid[:40] + "\n" + valid[40:], iamauth.ErrEncoding, false},
		{"CRLF", valid[:40] + "\r\n" + valid[40:], iamauth.ErrEncoding, false},
		{"one character too many", valid + "A", iamauth.ErrEncoding, false},
		{"stray bits", strayBits(u), iamauth.ErrEncoding, false},
		{"empty", iamauth.TokenPrefix, iamauth.ErrScheme, false},
		{"NUL in URL", tokenOf(strings.Replace(u, "Version=", "Version\x00=", 1)), iamauth.ErrEncoding, false},
		{"space in URL", tokenOf(strings.Replace(u, "Version=", "Version =", 1)), iamauth.ErrEncoding, false},
		{"non-ASCII host", tokenOf(strings.Replace(u, "sts.", "stѕ.", 1)), iamauth.ErrEncoding, false},

		// Scheme.
		{"http", tokenOf(strings.Replace(u, "https://", "http://", 1)), iamauth.ErrScheme, false},
		{"HTTPS", tokenOf(strings.Replace(u, "https://", "HTTPS://", 1)), iamauth.ErrScheme, false},
		{"scheme-relative", tokenOf(strings.Replace(u, "https://", "//", 1)), iamauth.ErrScheme, false},
		{"file", tokenOf("file:///etc/passwd?" + strings.SplitN(u, "?", 2)[1]), iamauth.ErrScheme, false},

		// Host: lookalikes, suffixes, user information, ports, IPs.
		{"suffix host", tokenOf("https://sts.amazonaws.com.evil.example" + rest), iamauth.ErrHost, false},
		{"suffix host, regional", tokenOf("https://" + host + ".evil.example" + rest), iamauth.ErrHost, false},
		{"user information", tokenOf("https://sts.amazonaws.com@evil.example" + rest), iamauth.ErrHost, false},
		{"user information, reversed", tokenOf("https://evil.example@" + host + rest), iamauth.ErrHost, false},
		{"user and password", tokenOf("https://user:pass@" + host + rest), iamauth.ErrHost, false},
		{"backslash", tokenOf("https://evil.example\\@" + host + rest), iamauth.ErrHost, false},
		{"port 443", tokenOf("https://" + host + ":443" + rest), iamauth.ErrHost, false},
		{"other port", tokenOf("https://" + host + ":8443" + rest), iamauth.ErrHost, false},
		{"trailing dot", tokenOf("https://" + host + "." + rest), iamauth.ErrHost, false},
		{"upper case", tokenOf("https://STS.US-EAST-1.AMAZONAWS.COM" + rest), iamauth.ErrHost, false},
		{"IPv4 literal", tokenOf("https://52.94.0.1" + rest), iamauth.ErrHost, false},
		{"loopback", tokenOf("https://127.0.0.1" + rest), iamauth.ErrHost, false},
		{"IPv6 literal", tokenOf("https://[::1]" + rest), iamauth.ErrHost, false},
		{"escaped host", tokenOf("https://sts%2eus-east-1.amazonaws.com" + rest), iamauth.ErrHost, false},
		{"made-up region", tokenOf("https://sts.evil-1.amazonaws.com" + rest), iamauth.ErrHost, false},
		{"other service", tokenOf("https://iam.amazonaws.com" + rest), iamauth.ErrHost, false},
		{"other partition", tokenOf("https://sts.cn-north-1.amazonaws.com.cn" + rest), iamauth.ErrHost, false},
		{"lookalike prefix", tokenOf("https://xsts.amazonaws.com" + rest), iamauth.ErrHost, false},
		{"empty host", tokenOf("https://" + rest), iamauth.ErrHost, false},

		// Path and fragment.
		{"other path", tokenOf("https://" + host + "/evil" + rest[1:]), iamauth.ErrPath, false},
		{"double slash", tokenOf("https://" + host + "/" + rest), iamauth.ErrPath, false},
		{"dot segment", tokenOf("https://" + host + "/." + rest), iamauth.ErrPath, false},
		{"escaped slash", tokenOf("https://" + host + "/%2F" + rest[1:]), iamauth.ErrPath, false},
		{"no path", tokenOf("https://" + host + rest[1:]), iamauth.ErrPath, false},
		{"fragment", tokenOf(u + "#frag"), iamauth.ErrPath, false},
		{"fragment before query", tokenOf("https://" + host + "/#" + rest[1:]), iamauth.ErrPath, false},

		// Duplicates, case-variant or escaped (CVE-2022-2385).
		{"case-variant credential", tokenOf(u + "&x-amz-credential=" + evilCred), iamauth.ErrDuplicateParameter, false},
		{"case-variant credential first", tokenOf(strings.Replace(u, "?", "?x-amz-credential="+evilCred+"&", 1)), iamauth.ErrDuplicateParameter, false},
		{"same credential twice", tokenOf(u + "&X-Amz-Credential=" + evilCred), iamauth.ErrDuplicateParameter, false},
		{"escaped duplicate", tokenOf(u + "&X-Amz-%43redential=" + evilCred), iamauth.ErrDuplicateParameter, false},
		{"action twice", tokenOf(u + "&Action=GetCallerIdentity"), iamauth.ErrDuplicateParameter, false},
		{"ACTION", tokenOf(u + "&ACTION=AssumeRole"), iamauth.ErrDuplicateParameter, false},
		{"signature twice", tokenOf(u + "&X-AMZ-SIGNATURE=" + strings.Repeat("0", 64)), iamauth.ErrDuplicateParameter, false},
		{"date twice", tokenOf(u + "&x-amz-date=20261123T080000Z"), iamauth.ErrDuplicateParameter, false},
		{"signed headers twice", tokenOf(u + "&X-Amz-Signedheaders=host"), iamauth.ErrDuplicateParameter, false},
		{"session token twice", tokenOf(u + "&x-amz-security-token=x"), iamauth.ErrDuplicateParameter, false},
		{"unknown twice", tokenOf(u + "&Foo=1&foo=2"), iamauth.ErrDuplicateParameter, false},

		// Parameters off the allowlist.
		{"extra parameter", tokenOf(u + "&Foo=bar"), iamauth.ErrParameterNotAllowed, false},
		{"extra X-Amz parameter", tokenOf(u + "&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD"), iamauth.ErrParameterNotAllowed, false},
		{"AssumeRole's parameters", tokenOf(u + "&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa"), iamauth.ErrParameterNotAllowed, false},
		{"lower-case name", tokenOf(strings.Replace(u, "?Action=", "?action=", 1)), iamauth.ErrParameterNotAllowed, false},
		{"escaped name", tokenOf(strings.Replace(u, "?Action=", "?Act%69on=", 1)), iamauth.ErrParameterNotAllowed, false},
		{"empty name", tokenOf(u + "&=x"), iamauth.ErrParameterNotAllowed, false},
		{"too many parameters", tokenOf(u + strings.Repeat("&a=b", 10)), iamauth.ErrParameterNotAllowed, false},

		// Action and Version.
		{"AssumeRole", tokenOf(setParam(u, "Action", "AssumeRole")), iamauth.ErrAction, false},
		{"AssumeRole, well signed", tokenOf(assumeRole), iamauth.ErrParameterNotAllowed, false},
		{"action with a suffix", tokenOf(setParam(u, "Action", "GetCallerIdentityX")), iamauth.ErrAction, false},
		{"escaped NUL after the action", tokenOf(setParam(u, "Action", "GetCallerIdentity%00")), iamauth.ErrAction, false},
		{"plus in the action", tokenOf(setParam(u, "Action", "Get+CallerIdentity")), iamauth.ErrAction, false},
		{"empty action", tokenOf(setParam(u, "Action", "")), iamauth.ErrAction, false},
		{"no action", tokenOf(dropParam(u, "Action")), iamauth.ErrAction, false},
		{"other version", tokenOf(setParam(u, "Version", "2011-06-16")), iamauth.ErrAction, false},
		{"no version", tokenOf(dropParam(u, "Version")), iamauth.ErrAction, false},
		{"no query", tokenOf("https://" + host + "/"), iamauth.ErrAction, false},

		// Escape games.
		{"malformed escape", tokenOf(setParam(u, "X-Amz-Security-Token", "%zz")), iamauth.ErrMalformed, false},
		{"truncated escape", tokenOf(u + "%2"), iamauth.ErrMalformed, false},
		{"semicolon", tokenOf(u + ";Foo=bar"), iamauth.ErrMalformed, false},
		{"empty parameter", tokenOf(strings.Replace(u, "&Version", "&&Version", 1)), iamauth.ErrMalformed, false},
		{"parameter without =", tokenOf(u + "&Foo"), iamauth.ErrMalformed, false},
		{"escaped access key", tokenOf(setParam(u, "X-Amz-Credential", "%41"+cred[1:])), iamauth.ErrMalformed, false},

		// The signature's parameters.
		{"other algorithm", tokenOf(setParam(u, "X-Amz-Algorithm", "AWS4-HMAC-SHA512")), iamauth.ErrMalformed, false},
		{"no signature", tokenOf(dropParam(u, "X-Amz-Signature")), iamauth.ErrMalformed, false},
		{"upper-case signature", tokenOf(setParam(u, "X-Amz-Signature", strings.ToUpper(param(u, "X-Amz-Signature")))), iamauth.ErrMalformed, false},
		{"short signature", tokenOf(setParam(u, "X-Amz-Signature", "abc")), iamauth.ErrMalformed, false},
		{"empty session token", tokenOf(setParam(u, "X-Amz-Security-Token", "")), iamauth.ErrMalformed, false},
		{"no credential", tokenOf(dropParam(u, "X-Amz-Credential")), iamauth.ErrMalformed, false},
		{"credential with too few parts", tokenOf(setParam(u, "X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE%2F20261123")), iamauth.ErrMalformed, false},
		{"credential without terminator", tokenOf(setParam(u, "X-Amz-Credential", strings.Replace(cred, "aws4_request", "aws5_request", 1))), iamauth.ErrMalformed, false},

		// Bound headers.
		{"unsigned cluster header", tokenOf(noCluster), iamauth.ErrHeaderNotSigned, false},
		{"host not signed", tokenOf(setParam(u, "X-Amz-SignedHeaders", "x-k8s-aws-id")), iamauth.ErrHeaderNotSigned, false},
		{"another header signed", tokenOf(setParam(u, "X-Amz-SignedHeaders", "host%3Bx-k8s-aws-id%3Bx-other")), iamauth.ErrHeaderNotAllowed, false},
		{"unsorted signed headers", tokenOf(setParam(u, "X-Amz-SignedHeaders", "x-k8s-aws-id%3Bhost")), iamauth.ErrMalformed, false},
		{"upper-case signed header", tokenOf(setParam(u, "X-Amz-SignedHeaders", "host%3BX-K8s-Aws-Id")), iamauth.ErrMalformed, false},
		{"empty signed header", tokenOf(setParam(u, "X-Amz-SignedHeaders", "host%3B%3Bx-k8s-aws-id")), iamauth.ErrMalformed, false},

		// X-Amz-Expires.
		{"X-Amz-Expires 9999999", tokenOf(setParam(u, "X-Amz-Expires", "9999999")), iamauth.ErrExpires, false},
		{"X-Amz-Expires 901", tokenOf(setParam(u, "X-Amz-Expires", "901")), iamauth.ErrExpires, false},
		{"negative X-Amz-Expires", tokenOf(setParam(u, "X-Amz-Expires", "-1")), iamauth.ErrExpires, false},
		{"X-Amz-Expires with a unit", tokenOf(setParam(u, "X-Amz-Expires", "60s")), iamauth.ErrExpires, false},
		{"escaped X-Amz-Expires", tokenOf(setParam(u, "X-Amz-Expires", "%360")), iamauth.ErrExpires, false},
		{"no X-Amz-Expires", tokenOf(dropParam(u, "X-Amz-Expires")), iamauth.ErrMalformed, false},

		// X-Amz-Date.
		{"future date", tokenOf(setParam(u, "X-Amz-Date", "20261123T080600Z")), iamauth.ErrNotYetValid, false},
		{"far future date", tokenOf(setParam(u, "X-Amz-Date", "20991231T235959Z")), iamauth.ErrNotYetValid, false},
		{"old date", tokenOf(setParam(u, "X-Amz-Date", "20261123T074459Z")), iamauth.ErrExpired, false},
		{"ISO date", tokenOf(setParam(u, "X-Amz-Date", "2026-11-23T08:00:00Z")), iamauth.ErrMalformed, false},
		{"February 30th", tokenOf(setParam(u, "X-Amz-Date", "20260230T080000Z")), iamauth.ErrMalformed, false},
		{"no date", tokenOf(dropParam(u, "X-Amz-Date")), iamauth.ErrMalformed, false},

		// Credential scope.
		{"scope of another region", tokenOf(otherRegion), iamauth.ErrScope, false},
		{"scope of another service", tokenOf(setParam(u, "X-Amz-Credential", strings.Replace(cred, "%2Fsts%2F", "%2Fiam%2F", 1))), iamauth.ErrScope, false},
		{"scope of another day", tokenOf(setParam(u, "X-Amz-Credential", strings.Replace(cred, "20261123", "20261122", 1))), iamauth.ErrScope, false},

		// What only STS can tell.
		{"tampered signature", tokenOf(setParam(u, "X-Amz-Signature", strings.Repeat("0", 64))), iamauth.ErrRejected, true},
		{"tampered session token", tokenOf(setParam(u, "X-Amz-Security-Token", "x"+param(u, "X-Amz-Security-Token"))), iamauth.ErrRejected, true},
		{"unknown key", tokenOf(setParam(u, "X-Amz-Credential", evilCred)), iamauth.ErrRejected, true},
		{"X-Amz-Expires changed", tokenOf(setParam(u, "X-Amz-Expires", "900")), iamauth.ErrRejected, true},
	}
	secrets := secretsOf(e.key, valid)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.calls()
			_, err := e.verifier.VerifyEKSToken(ctx, tt.token)
			checkRefusal(t, err, tt.want, secrets)
			calls := e.calls() - before
			if !tt.sts && calls != 0 {
				t.Errorf("refused after %d calls to STS; want a local refusal", calls)
			}
			if tt.sts && calls != 1 {
				t.Errorf("%d calls to STS, want 1", calls)
			}
			if cerr := e.verifier.CheckEKSToken(tt.token); tt.sts == (cerr != nil) {
				t.Errorf("CheckEKSToken: %v", cerr)
			}
		})
	}
	// The valid token still verifies, as does every variant that keeps
	// what was signed.
	for name, tok := range map[string]string{
		"valid":                valid,
		"escaped action":       tokenOf(setParam(u, "Action", "GetCallerIdentit%79")),
		"parameters reordered": tokenOf("https://" + host + "/?" + reorder(strings.SplitN(u, "?", 2)[1])),
	} {
		if id, err := e.verifier.VerifyEKSToken(ctx, tok); err != nil || id.ARN != e.key.Identity.ARN {
			t.Errorf("%s: %v, %v", name, id.ARN, err)
		}
	}
}

// strayBits encodes u and sets the unused low bits of the last character.
func strayBits(u string) string {
	for len(u)%3 != 1 {
		u += "&"
	}
	tok := tokenOf(u)
	last := tok[len(tok)-1]
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, last)
	return tok[:len(tok)-1] + string(alphabet[i|1])
}

// reorder reverses the parameters of a query.
func reorder(q string) string {
	ps := strings.Split(q, "&")
	for i, j := 0, len(ps)-1; i < j; i, j = i+1, j-1 {
		ps[i], ps[j] = ps[j], ps[i]
	}
	return strings.Join(ps, "&")
}

// TestAdversarialPayloads does the same for login payloads.
func TestAdversarialPayloads(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	post := decodePayload(t, e.payload(t, iamauth.LoginOptions{}))
	get := decodePayload(t, e.payload(t, iamauth.LoginOptions{Presign: true}))
	host := "sts.us-east-1.amazonaws.com"
	auth := post.header["Authorization"][0]
	unsignedServerID := func() decoded {
		p, err := e.prover.LoginPayload(ctx, iamauth.LoginOptions{})
		if err != nil {
			t.Fatal(err)
		}
		d := decodePayload(t, p)
		d.header[iamauth.VaultServerIDHeader] = []string{testServerID}
		return d
	}()

	edit := func(d decoded, f func(d *decoded)) iamauth.LoginPayload {
		d = d.clone()
		f(&d)
		return d.encode(t)
	}
	withHeader := func(name, value string) func(d *decoded) {
		return func(d *decoded) { d.header[name] = []string{value} }
	}
	enc := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	f := post.encode(t).Fields()

	tests := []struct {
		name string
		p    iamauth.LoginPayload
		want error
		sts  bool
	}{
		{"oversized", edit(post, withHeader("X-Pad", strings.Repeat("x", iamauth.MaxPayloadBytes))), iamauth.ErrTooLarge, false},
		{"PUT", edit(post, func(d *decoded) { d.method = "PUT" }), iamauth.ErrMethod, false},
		{"lower-case post", edit(post, func(d *decoded) { d.method = "post" }), iamauth.ErrMethod, false},
		{"URL-safe base64", iamauth.NewLoginPayload("POST", strings.NewReplacer("+", "-", "/", "_").Replace(f[iamauth.FieldURL])+"-_",
			f[iamauth.FieldBody], f[iamauth.FieldHeaders]), iamauth.ErrEncoding, false},
		{"unpadded base64", iamauth.NewLoginPayload("POST", f[iamauth.FieldURL], strings.TrimRight(f[iamauth.FieldBody], "="), f[iamauth.FieldHeaders]), iamauth.ErrEncoding, false},
		{"line break in base64", iamauth.NewLoginPayload("POST", f[iamauth.FieldURL][:8]+"\n"+f[iamauth.FieldURL][8:], f[iamauth.FieldBody], f[iamauth.FieldHeaders]), iamauth.ErrEncoding, false},
		{"headers not JSON", post.encodeRaw(`Authorization: x`), iamauth.ErrEncoding, false},
		{"headers an array", post.encodeRaw(`[]`), iamauth.ErrEncoding, false},
		{"headers with text after", post.encodeRaw(`{"A":"b"}{}`), iamauth.ErrEncoding, false},
		{"header value a number", post.encodeRaw(`{"A":1}`), iamauth.ErrEncoding, false},
		{"header with a newline", edit(post, withHeader("X-Evil", "a\r\nHost: evil.example")), iamauth.ErrEncoding, false},
		{"headers a long string with line breaks", post.encodeRaw(`"evil\nINJECTED log line\u001b[31m\u202e` + strings.Repeat("x", 5000) + `"`), iamauth.ErrEncoding, false},
		{"header name with line breaks", post.encodeRaw(`{"X-Evil\nINJECTED\u2028` + strings.Repeat("x", 5000) + `":"a"}`), iamauth.ErrEncoding, false},
		{"header name with a space", edit(post, withHeader("X Evil", "a")), iamauth.ErrEncoding, false},
		{"duplicate header, case-variant", edit(post, withHeader("x-amz-date", "20261123T080000Z")), iamauth.ErrDuplicateParameter, false},
		{"duplicate header in JSON", post.encodeRaw(`{"X-Amz-Date":["20261123T080000Z"],"X-Amz-Date":["20261123T080000Z"]}`), iamauth.ErrDuplicateParameter, false},
		{"two values", edit(post, func(d *decoded) { d.header["X-Amz-Date"] = []string{"20261123T080000Z", "20261123T080000Z"} }), iamauth.ErrDuplicateParameter, false},

		{"http", edit(post, func(d *decoded) { d.url = "http://" + host + "/" }), iamauth.ErrScheme, false},
		{"evil host", edit(post, func(d *decoded) { d.url = "https://sts.amazonaws.com.evil.example/" }), iamauth.ErrHost, false},
		{"user information", edit(post, func(d *decoded) { d.url = "https://sts.amazonaws.com@evil.example/" }), iamauth.ErrHost, false},
		{"port", edit(post, func(d *decoded) { d.url = "https://" + host + ":443/" }), iamauth.ErrHost, false},
		{"Host header of another host", edit(post, withHeader("Host", "evil.example")), iamauth.ErrHost, false},
		{"other path", edit(post, func(d *decoded) { d.url = "https://" + host + "/x" }), iamauth.ErrPath, false},
		{"no path", edit(post, func(d *decoded) { d.url = "https://" + host }), iamauth.ErrPath, false},
		{"Action in query and body", edit(post, func(d *decoded) { d.url += "?Action=GetCallerIdentity" }), iamauth.ErrAction, false},
		{"other action in the query", edit(post, func(d *decoded) { d.url += "?Action=AssumeRole&RoleArn=x" }), iamauth.ErrAction, false},
		{"other query", edit(post, func(d *decoded) { d.url += "?Foo=1" }), iamauth.ErrParameterNotAllowed, false},

		{"extra body parameter", edit(post, func(d *decoded) { d.body += "&Foo=1" }), iamauth.ErrParameterNotAllowed, false},
		{"signature in the body", edit(post, func(d *decoded) { d.body += "&X-Amz-Signature=" + strings.Repeat("0", 64) }), iamauth.ErrParameterNotAllowed, false},
		{"AssumeRole in the body", edit(post, func(d *decoded) { d.body = "Action=AssumeRole&Version=2011-06-15" }), iamauth.ErrAction, false},
		{"case-variant duplicate in the body", edit(post, func(d *decoded) { d.body += "&action=AssumeRole" }), iamauth.ErrDuplicateParameter, false},
		{"empty body", edit(post, func(d *decoded) { d.body = "" }), iamauth.ErrAction, false},
		{"no Version", edit(post, func(d *decoded) { d.body = "Action=GetCallerIdentity" }), iamauth.ErrAction, false},

		{"X-Amz header off the allowlist", edit(post, withHeader("X-Amz-Target", "AWSSecurityTokenServiceV20110615.AssumeRole")), iamauth.ErrHeaderNotAllowed, false},
		{"X-Amz-Credential header", edit(post, withHeader("X-Amz-Credential", "x")), iamauth.ErrHeaderNotAllowed, false},
		{"Transfer-Encoding", edit(post, withHeader("Transfer-Encoding", "chunked")), iamauth.ErrHeaderNotAllowed, false},
		{"Connection", edit(post, withHeader("Connection", "close, Authorization")), iamauth.ErrHeaderNotAllowed, false},
		{"JSON content type", edit(post, withHeader("Content-Type", "application/json")), iamauth.ErrBody, false},
		{"other charset", edit(post, withHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-16")), iamauth.ErrBody, false},
		{"no Content-Type", edit(post, func(d *decoded) { delete(d.header, "Content-Type") }), iamauth.ErrBody, false},
		{"wrong Content-Length", edit(post, withHeader("Content-Length", "1000")), iamauth.ErrBody, false},

		{"no Authorization", edit(post, func(d *decoded) { delete(d.header, "Authorization") }), iamauth.ErrMalformed, false},
		{"other algorithm", edit(post, withHeader("Authorization", strings.Replace(auth, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1))), iamauth.ErrMalformed, false},
		{"two signatures", edit(post, withHeader("Authorization", auth+", Signature="+strings.Repeat("0", 64))), iamauth.ErrMalformed, false},
		{"no SignedHeaders", edit(post, withHeader("Authorization", strings.Replace(auth, "SignedHeaders=", "Signed=", 1))), iamauth.ErrMalformed, false},
		{"server id not signed", unsignedServerID.encode(t), iamauth.ErrHeaderNotSigned, false},
		{"no server id", edit(post, func(d *decoded) { delete(d.header, iamauth.VaultServerIDHeader) }), iamauth.ErrHeaderNotSigned, false},
		{"other server id", edit(post, withHeader(iamauth.VaultServerIDHeader, "evil.example")), iamauth.ErrBindingMismatch, false},
		{"signed header not in the payload", edit(post, withHeader("Authorization", strings.Replace(auth, ";x-vault-aws-iam-server-id,", ";x-other;x-vault-aws-iam-server-id,", 1))), iamauth.ErrHeaderNotAllowed, false},
		{"date not signed", edit(post, withHeader("Authorization", strings.Replace(auth, ";x-amz-date;", ";", 1))), iamauth.ErrHeaderNotSigned, false},
		{"no X-Amz-Date", edit(post, func(d *decoded) {
			delete(d.header, "X-Amz-Date")
			d.header["Authorization"] = []string{strings.Replace(auth, ";x-amz-date;", ";", 1)}
		}), iamauth.ErrHeaderNotSigned, false},
		{"old date", edit(post, withHeader("X-Amz-Date", "20261123T074400Z")), iamauth.ErrExpired, false},
		{"future date", edit(post, withHeader("X-Amz-Date", "20261123T081000Z")), iamauth.ErrNotYetValid, false},
		{"malformed date", edit(post, withHeader("X-Amz-Date", "Mon, 23 Nov 2026 08:00:00 GMT")), iamauth.ErrMalformed, false},
		{"scope of another region", edit(post, withHeader("Authorization", strings.Replace(auth, "/us-east-1/", "/eu-west-1/", 1))), iamauth.ErrScope, false},
		{"tampered signature", edit(post, withHeader("Authorization", auth[:len(auth)-64]+strings.Repeat("0", 64))), iamauth.ErrRejected, true},
		{"tampered body", edit(post, func(d *decoded) { d.body = "Version=2011-06-15&Action=GetCallerIdentity" }), iamauth.ErrRejected, true},

		// Presigned payloads.
		{"GET with a body", edit(get, func(d *decoded) { d.body = "Action=GetCallerIdentity&Version=2011-06-15" }), iamauth.ErrBody, false},
		{"GET with an X-Amz header", edit(get, withHeader("X-Amz-Date", "20261123T080000Z")), iamauth.ErrHeaderNotAllowed, false},
		{"GET with an Authorization", edit(get, withHeader("Authorization", auth)), iamauth.ErrHeaderNotAllowed, false},
		{"GET without the server id", edit(get, func(d *decoded) { delete(d.header, iamauth.VaultServerIDHeader) }), iamauth.ErrHeaderNotSigned, false},
		{"GET with another server id", edit(get, withHeader(iamauth.VaultServerIDHeader, "evil.example")), iamauth.ErrBindingMismatch, false},
		{"GET to another host", edit(get, func(d *decoded) { d.url = strings.Replace(d.url, host, "sts.amazonaws.com.evil.example", 1) }), iamauth.ErrHost, false},
		{"GET with a duplicate", edit(get, func(d *decoded) { d.url += "&x-amz-credential=x" }), iamauth.ErrDuplicateParameter, false},
		{"GET with a Host header of another host", edit(get, withHeader("Host", "evil.example")), iamauth.ErrHost, false},
	}
	secrets := secretsOf(e.key, f[iamauth.FieldHeaders], auth[len(auth)-64:], enc(e.key.SessionToken()))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.calls()
			_, err := e.verifier.VerifyLogin(ctx, tt.p)
			checkRefusal(t, err, tt.want, secrets)
			calls := e.calls() - before
			if !tt.sts && calls != 0 || tt.sts && calls != 1 {
				t.Errorf("%d calls to STS (refused by STS: %t)", calls, tt.sts)
			}
		})
	}
	for _, p := range []iamauth.LoginPayload{post.encode(t), get.encode(t)} {
		if _, err := e.verifier.VerifyLogin(ctx, p); err != nil {
			t.Errorf("%s payload: %v", p.Method, err)
		}
	}
}

// fakeSTS answers every request with status, content type and body.
func fakeSTS(t *testing.T, status int, contentType, body string, hdr ...string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(hdr); i += 2 {
			w.Header().Set(hdr[i], hdr[i+1])
		}
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestAdversarialAnswers refuses every answer that is not STS's
// GetCallerIdentity result for the proof: redirects, other documents,
// other actions (CVE-2020-16250), doubled or missing results.
func TestAdversarialAnswers(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	tok := e.token(t)
	const (
		ns     = `xmlns="https://sts.amazonaws.com/doc/2011-06-15/"`
		result = `<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>`
		meta   = `<ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>`
		good   = `<GetCallerIdentityResponse ` + ns + `>` + result + meta + `</GetCallerIdentityResponse>`
		jres   = `"GetCallerIdentityResult":{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/alice","UserId":"AIDACKCEVSQ6C2EXAMPLE"}`
		jmeta  = `"ResponseMetadata":{"RequestId":"01234567-89ab-cdef-0123-456789abcdef"}`
		jgood  = `{"GetCallerIdentityResponse":{` + jres + `,` + jmeta + `}}`
		xmlCT  = "text/xml"
		jsonCT = "application/json"
	)
	replace := func(s, old, new string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("%s has no %s", s, old)
		}
		return strings.Replace(s, old, new, 1)
	}
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        error
		hdr         []string
	}{
		{"good XML", 200, xmlCT, good, nil, nil},
		{"good XML with a declaration", 200, "text/xml; charset=utf-8", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + good + "\n", nil, nil},
		{"good JSON", 200, jsonCT, jgood, nil, nil},

		{"redirect", 302, "", "", iamauth.ErrBadResponse, []string{"Location", e.srv.URL + "/"}},
		{"permanent redirect", 308, xmlCT, good, iamauth.ErrBadResponse, []string{"Location", e.srv.URL + "/"}},
		{"redirect echoing the signature", 307, "", "", iamauth.ErrBadResponse,
			[]string{"Location", e.srv.URL + "/?X-Amz-Signature=" + param(urlOf(t, tok), "X-Amz-Signature")}},
		{"redirect without Location", 302, xmlCT, good, iamauth.ErrBadResponse, nil},
		{"multiple choices", 300, xmlCT, good, iamauth.ErrBadResponse, []string{"Location", e.srv.URL + "/"}},
		{"HTML page", 200, "text/html", "<html><body>" + good + "</body></html>", iamauth.ErrBadResponse, nil},
		{"no content type", 200, "", jgood, iamauth.ErrBadResponse, nil},
		{"plain text", 200, "text/plain", jgood, iamauth.ErrBadResponse, nil},
		{"JSON carrying XML", 200, jsonCT, good, iamauth.ErrBadResponse, nil},
		{"XML carrying JSON", 200, xmlCT, jgood, iamauth.ErrBadResponse, nil},
		{"leading garbage, XML", 200, xmlCT, "garbage" + good, iamauth.ErrBadResponse, nil},
		{"leading garbage, JSON", 200, jsonCT, "garbage" + jgood, iamauth.ErrBadResponse, nil},
		{"trailing garbage, XML", 200, xmlCT, good + "<x/>", iamauth.ErrBadResponse, nil},
		{"trailing garbage, JSON", 200, jsonCT, jgood + `{}`, iamauth.ErrBadResponse, nil},
		{"another action's answer", 200, xmlCT, `<AssumeRoleResponse ` + ns + `>` + result + `</AssumeRoleResponse>`, iamauth.ErrBadResponse, nil},
		{"another API's answer (CVE-2020-16250)", 200, xmlCT,
			`<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><Users><member><UserName>` + result + `</UserName></member></Users></ListUsersResult></ListUsersResponse>`, iamauth.ErrBadResponse, nil},
		{"result nested deeper", 200, xmlCT, `<GetCallerIdentityResponse ` + ns + `><Wrapper>` + result + `</Wrapper></GetCallerIdentityResponse>`, iamauth.ErrBadResponse, nil},
		{"no namespace", 200, xmlCT, replace(good, " "+ns, ""), iamauth.ErrBadResponse, nil},
		{"other namespace", 200, xmlCT, replace(good, "sts.amazonaws.com/doc/2011-06-15/", "evil.example/"), iamauth.ErrBadResponse, nil},
		{"prefixed namespace", 200, xmlCT, replace(good, "<GetCallerIdentityResult>", `<x:GetCallerIdentityResult xmlns:x="https://sts.amazonaws.com/doc/2011-06-15/">`), iamauth.ErrBadResponse, nil},
		{"hostile element names", 200, xmlCT, `<GetCallerIdentityResponse ` + ns + `><GetCallerIdentityResult><Arn>x</Arn` + "\u202e\u2028" + strings.Repeat("A", 60000) + `></GetCallerIdentityResult></GetCallerIdentityResponse>`, iamauth.ErrBadResponse, nil},
		{"DOCTYPE", 200, xmlCT, `<!DOCTYPE x [<!ENTITY a "arn">]>` + good, iamauth.ErrBadResponse, nil},
		{"comment", 200, xmlCT, replace(good, "<Arn>", "<!-- x --><Arn>"), iamauth.ErrBadResponse, nil},
		{"attribute", 200, xmlCT, replace(good, "<Arn>", `<Arn evil="1">`), iamauth.ErrBadResponse, nil},
		{"element in a value", 200, xmlCT, replace(good, "<Arn>", "<Arn><b/>"), iamauth.ErrBadResponse, nil},
		{"empty result", 200, xmlCT, `<GetCallerIdentityResponse ` + ns + `><GetCallerIdentityResult></GetCallerIdentityResult>` + meta + `</GetCallerIdentityResponse>`, iamauth.ErrBadResponse, nil},
		{"no result", 200, xmlCT, `<GetCallerIdentityResponse ` + ns + `>` + meta + `</GetCallerIdentityResponse>`, iamauth.ErrBadResponse, nil},
		{"doubled result", 200, xmlCT, replace(good, result, result+strings.Replace(result, "alice", "admin", 1)), iamauth.ErrBadResponse, nil},
		{"doubled Arn", 200, xmlCT, replace(good, "<UserId>", "<Arn>arn:aws:iam::123456789012:user/admin</Arn><UserId>"), iamauth.ErrBadResponse, nil},
		{"unknown element", 200, xmlCT, replace(good, "<UserId>", "<Admin>true</Admin><UserId>"), iamauth.ErrBadResponse, nil},
		{"empty Arn", 200, xmlCT, replace(good, "arn:aws:iam::123456789012:user/alice", ""), iamauth.ErrBadResponse, nil},
		{"empty Account", 200, xmlCT, replace(good, "<Account>123456789012</Account>", "<Account></Account>"), iamauth.ErrBadResponse, nil},
		{"Arn of another account", 200, xmlCT, replace(good, "<Account>123456789012</Account>", "<Account>210987654321</Account>"), iamauth.ErrBadResponse, nil},
		{"Arn of another partition", 200, xmlCT, replace(good, "arn:aws:iam::", "arn:aws-cn:iam::"), iamauth.ErrBadResponse, nil},
		{"Arn of a role", 200, xmlCT, replace(good, "user/alice", "role/admin"), iamauth.ErrBadResponse, nil},
		{"Arn not a principal", 200, xmlCT, replace(good, "iam::123456789012:user/alice", "s3:::bucket"), iamauth.ErrBadResponse, nil},
		{"UserId of a role session", 200, xmlCT, replace(good, "AIDACKCEVSQ6C2EXAMPLE", "AROACKCEVSQ6C2EXAMPLE:alice"), iamauth.ErrBadResponse, nil},
		{"JSON doubled result", 200, jsonCT, `{"GetCallerIdentityResponse":{` + jres + `,` + jres + `}}`, iamauth.ErrBadResponse, nil},
		{"JSON empty result", 200, jsonCT, `{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{}}}`, iamauth.ErrBadResponse, nil},
		{"JSON no result", 200, jsonCT, `{"GetCallerIdentityResponse":{` + jmeta + `}}`, iamauth.ErrBadResponse, nil},
		{"JSON another action", 200, jsonCT, `{"AssumeRoleResponse":{` + jres + `}}`, iamauth.ErrBadResponse, nil},
		{"JSON two responses", 200, jsonCT, `{"GetCallerIdentityResponse":{` + jres + `},"GetCallerIdentityResponse":{` + jres + `}}`, iamauth.ErrBadResponse, nil},
		{"JSON doubled Arn", 200, jsonCT, replace(jgood, `"UserId"`, `"Arn":"arn:aws:iam::123456789012:user/admin","UserId"`), iamauth.ErrBadResponse, nil},
		{"JSON case-variant member", 200, jsonCT, replace(jgood, `"Arn"`, `"arn"`), iamauth.ErrBadResponse, nil},
		{"JSON extra member", 200, jsonCT, replace(jgood, `"UserId"`, `"Admin":true,"UserId"`), iamauth.ErrBadResponse, nil},
		{"JSON null Arn", 200, jsonCT, replace(jgood, `"arn:aws:iam::123456789012:user/alice"`, `null`), iamauth.ErrBadResponse, nil},
		{"JSON Arn holding XML", 200, jsonCT, replace(jgood, `"arn:aws:iam::123456789012:user/alice"`, `"<Arn>arn:aws:iam::123456789012:user/alice</Arn>"`), iamauth.ErrBadResponse, nil},
		{"JSON array", 200, jsonCT, `[` + jgood + `]`, iamauth.ErrBadResponse, nil},
		{"empty body", 200, jsonCT, "", iamauth.ErrBadResponse, nil},
		{"oversized", 200, xmlCT, `<GetCallerIdentityResponse ` + ns + `>` + strings.Repeat(" ", 70<<10) + result + `</GetCallerIdentityResponse>`, iamauth.ErrBadResponse, nil},
		{"result with an error status", 403, xmlCT, good, iamauth.ErrBadResponse, nil},
		{"202", 202, xmlCT, good, iamauth.ErrBadResponse, nil},

		{"throttled, XML", 400, xmlCT, `<ErrorResponse ` + ns + `><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>x</RequestId></ErrorResponse>`, iamauth.ErrThrottled, nil},
		{"throttled, JSON", 400, jsonCT, `{"Error":{"Code":"Throttling","Message":"Rate exceeded","Type":"Sender"},"RequestId":"x"}`, iamauth.ErrThrottled, nil},
		{"429 page", 429, "text/html", "<html>slow down</html>", iamauth.ErrThrottled, nil},
		{"503 page", 503, "text/html", "<html>503 Service Temporarily Unavailable</html>", iamauth.ErrUnavailable, nil},
		{"internal failure", 500, xmlCT, `<ErrorResponse ` + ns + `><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>x</Message></Error></ErrorResponse>`, iamauth.ErrUnavailable, nil},
		{"invalid token", 403, xmlCT, `<ErrorResponse ` + ns + `><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>`, iamauth.ErrRejected, nil},
		{"moto's error shape", 403, "text/html", `<ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code></Error></Errors></ErrorResponse>`, iamauth.ErrBadResponse, nil},
		{"403 page", 403, "text/html", "<html>Forbidden</html>", iamauth.ErrBadResponse, nil},
		{"error document of another namespace", 403, xmlCT, `<ErrorResponse xmlns="https://evil.example/"><Error><Code>x</Code></Error></ErrorResponse>`, iamauth.ErrBadResponse, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakeSTS(t, tt.status, tt.contentType, tt.body, tt.hdr...)
			v, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: testCluster, Endpoint: fake.URL, Now: e.clock.Now, CacheSize: -1})
			if err != nil {
				t.Fatal(err)
			}
			before := e.calls()
			id, err := v.VerifyEKSToken(ctx, tok)
			if tt.want == nil {
				if err != nil || id.ARN != "arn:aws:iam::123456789012:user/alice" || id.RequestID != "01234567-89ab-cdef-0123-456789abcdef" {
					t.Errorf("%+v, %v", id, err)
				}
				return
			}
			checkRefusal(t, err, tt.want, secretsOf(e.key, tok))
			if e.calls() != before {
				t.Errorf("the verifier followed the redirect")
			}
			// Go's client sees a redirect in a 301, 302, 303, 307 or 308
			// with a Location; the answer's checks refuse any other 3xx.
			var re *credentials.RedirectError
			if follows := len(tt.hdr) > 0 && tt.status != 300; follows != errors.As(err, &re) {
				t.Errorf("errors.As(*credentials.RedirectError) = %v, want %v: %v", !follows, follows, err)
			} else if follows && (re.StatusCode != tt.status || iamauth.Retryable(err)) {
				t.Errorf("redirect refused as %+v, retryable %v", re, iamauth.Retryable(err))
			}
			if len(err.Error()) > 600 {
				t.Errorf("error of %d bytes", len(err.Error()))
			}
		})
	}
}

// TestRedirectNotFollowedWithUserClient checks that a client given is not
// made to follow redirects, and is not changed.
func TestRedirectNotFollowedWithUserClient(t *testing.T) {
	e := newEnv(t, nil)
	fake := fakeSTS(t, 307, "", "", "Location", e.srv.URL+"/")
	client := &http.Client{Timeout: 5 * time.Second}
	v, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: testCluster, Endpoint: fake.URL, Now: e.clock.Now, HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	var re *credentials.RedirectError
	if _, err := v.VerifyEKSToken(context.Background(), e.token(t)); !errors.Is(err, iamauth.ErrBadResponse) || !errors.As(err, &re) ||
		re.StatusCode != 307 || iamauth.Retryable(err) || !strings.Contains(err.Error(), "redirect") {
		t.Errorf("redirect: %v", err)
	}
	if client.CheckRedirect != nil || e.calls() != 0 {
		t.Errorf("the client was changed, or the redirect followed (%d calls)", e.calls())
	}
}

// TestUnreachable checks that a transport failure is retryable, names the
// endpoint but not the query, and is not cached.
func TestUnreachable(t *testing.T) {
	e := newEnv(t, nil)
	fake := fakeSTS(t, 200, "", "")
	endpoint := fake.URL
	fake.Close()
	v, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: testCluster, Endpoint: endpoint, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	tok := e.token(t)
	for i := 0; i < 2; i++ {
		_, err := v.VerifyEKSToken(context.Background(), tok)
		checkRefusal(t, err, iamauth.ErrUnavailable, secretsOf(e.key, tok))
		if !iamauth.Retryable(err) || !strings.Contains(err.Error(), "GET "+endpoint+"/") || strings.Contains(err.Error(), "X-Amz") {
			t.Errorf("error %v", err)
		}
	}
}

// TestCallTimeout checks that CallTimeout bounds a call to an STS that
// never answers, with the cache and without it, though the client given
// has no timeout and the caller's context a longer one.
func TestCallTimeout(t *testing.T) {
	e := newEnv(t, nil)
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer hang.Close()
	defer close(release)
	tok := e.token(t)
	for _, cacheSize := range []int{0, -1} {
		v, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: testCluster, Endpoint: hang.URL, Now: e.clock.Now,
			HTTPClient: &http.Client{}, CacheSize: cacheSize, CallTimeout: 200 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		start := time.Now()
		_, err = v.VerifyEKSToken(ctx, tok)
		cancel()
		if elapsed := time.Since(start); elapsed > 5*time.Second {
			t.Errorf("CacheSize %d: the call took %v", cacheSize, elapsed)
		}
		checkRefusal(t, err, iamauth.ErrUnavailable, secretsOf(e.key, tok))
		if !errors.Is(err, context.DeadlineExceeded) || !iamauth.Retryable(err) {
			t.Errorf("CacheSize %d: %v, want a retryable deadline", cacheSize, err)
		}
	}
}

func TestNewVerifierErrors(t *testing.T) {
	for name, o := range map[string]iamauth.VerifierOptions{
		"unknown partition":        {Partitions: []string{"aws-mars"}},
		"region of no partition":   {Regions: []string{"mars-1"}},
		"region of another":        {Regions: []string{"cn-north-1"}},
		"aws-global without aws":   {Partitions: []string{"aws-cn"}, Regions: []string{"aws-global"}},
		"http endpoint":            {Endpoint: "http://sts.example.com"},
		"endpoint with a path":     {Endpoint: "https://sts.example.com/x"},
		"endpoint with user info":  {Endpoint: "https://u:p@sts.example.com"},
		"endpoint of another kind": {Endpoint: "ftp://127.0.0.1"},
		"bad cluster id":           {ClusterID: "a b  c"},
		"bad server id header":     {ServerID: "x", ServerIDHeader: "Host"},
		"bad allowed header":       {AllowedAmzHeaders: []string{"X-Other"}},
	} {
		if _, err := iamauth.NewVerifier(o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	v, err := iamauth.NewVerifier(iamauth.VerifierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyEKSToken(context.Background(), "k8s-aws-v1.x"); err == nil || !strings.Contains(err.Error(), "ClusterID") {
		t.Errorf("without a ClusterID: %v", err)
	}
	// Regions restrict the hosts.
	e := newEnv(t, nil)
	v, err = iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: testCluster, Regions: []string{"eu-west-1"}, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.CheckEKSToken(e.token(t)); !errors.Is(err, iamauth.ErrHost) {
		t.Errorf("us-east-1 token with Regions eu-west-1: %v", err)
	}
	e.prover.Endpoint = iamauth.Endpoint{Region: "eu-west-1", DualStack: true}
	if err := v.CheckEKSToken(e.token(t)); err != nil {
		t.Errorf("eu-west-1 dual-stack token: %v", err)
	}
	e.prover.Endpoint = iamauth.Endpoint{Global: true}
	if err := v.CheckEKSToken(e.token(t)); !errors.Is(err, iamauth.ErrHost) {
		t.Errorf("global token without aws-global: %v", err)
	}
}
