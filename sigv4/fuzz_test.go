package sigv4

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// Reference implementations, written the slow and obvious way, that the
// fuzz targets compare the fast ones with.

func refEscape(s string, keepSlash bool) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			strings.IndexByte("-_.~", c) >= 0 || keepSlash && c == '/' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func refCanonicalPath(p string, s3 bool) (string, bool) {
	if s3 {
		// A path sent without its leading slash is signed as if it had
		// one: the slash goes before the path as sent, not before what it
		// decodes to ("%2f" is "/%2f", decoded "//").
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		d, err := url.PathUnescape(p)
		if err != nil {
			return "", false
		}
		return refEscape(d, true), true
	}
	segs := strings.Split(p, "/")
	var stack []string
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		default:
			stack = append(stack, refEscape(s, false))
		}
	}
	last := segs[len(segs)-1]
	out := "/" + strings.Join(stack, "/")
	if len(stack) > 0 && p != "" && (last == "" || last == "." || last == "..") {
		out += "/"
	}
	return out, true
}

func refCanonicalQuery(raw string) (string, bool) {
	var pairs []string
	for _, piece := range strings.Split(raw, "&") {
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return "", false
		}
		pairs = append(pairs, refEscape(dk, false)+"\x00"+refEscape(dv, false))
	}
	sort.Strings(pairs) // '\x00' sorts below every encoded byte: by name, then value
	for i, p := range pairs {
		pairs[i] = strings.Replace(p, "\x00", "=", 1)
	}
	return strings.Join(pairs, "&"), true
}

func refHeaderValue(v string) (string, bool) {
	if strings.ContainsAny(v, "\r\n") {
		return "", false
	}
	v = strings.Trim(v, " \t")
	for strings.Contains(v, "  ") {
		v = strings.ReplaceAll(v, "  ", " ")
	}
	return v, true
}

// isCanonicalEncoded reports whether s holds only unreserved bytes, the
// extra bytes allowed, and %XX escapes with uppercase hex.
func isCanonicalEncoded(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case unreserved[c], strings.IndexByte(extra, c) >= 0:
		case c == '%' && i+2 < len(s) && strings.IndexByte(upperHex, s[i+1]) >= 0 && strings.IndexByte(upperHex, s[i+2]) >= 0:
			i += 2
		default:
			return false
		}
	}
	return true
}

func FuzzCanonicalPath(f *testing.F) {
	for _, s := range []string{"", "/", "//", "/./", "/a/../b/", "/example space/", "/\xe1\x88\xb4", "/a%20b", "/a%zz", "a/b/..", "/%2e%2E/",
		"%2f", // S3: once failed against a reference that added the slash after decoding
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, p string, s3 bool) {
		got, err := canonicalPath(p, s3)
		want, ok := refCanonicalPath(p, s3)
		if (err == nil) != ok {
			t.Fatalf("canonical path %q (s3 %v): error %v, reference ok %v", p, s3, err, ok)
		}
		if err != nil {
			if !strings.Contains(err.Error(), "in path at byte") {
				t.Fatalf("error %q does not say where", err)
			}
			return
		}
		if got != want {
			t.Fatalf("canonical path %q (s3 %v) = %q, reference %q", p, s3, got, want)
		}
		if !strings.HasPrefix(got, "/") || !isCanonicalEncoded(got, "/") {
			t.Fatalf("canonical path %q is not canonical", got)
		}
		if !s3 && got != "/" && (strings.Contains(got, "//") || strings.Contains(got+"/", "/./") || strings.Contains(got+"/", "/../")) {
			t.Fatalf("normalized path %q has empty or dot segments", got)
		}
		if s3 {
			if again, err := canonicalPath(got, true); err != nil || again != got {
				t.Fatalf("S3 canonical path not stable: %q -> %q, %v", got, again, err)
			}
		}
	})
}

func FuzzCanonicalQuery(f *testing.F) {
	for _, s := range []string{"", "a=1", "b=2&a=1&a=0", "a", "=", "&&", "a=b+c%20d", "%zz", "a=%", "X-Amz-Signature=x&x=%2F", "-._~=-._~"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := canonicalQuery(raw)
		want, ok := refCanonicalQuery(raw)
		if (err == nil) != ok {
			t.Fatalf("canonical query %q: error %v, reference ok %v", raw, err, ok)
		}
		if err != nil {
			if !strings.Contains(err.Error(), "in query at byte") {
				t.Fatalf("error %q does not say where", err)
			}
			return
		}
		if got != want {
			t.Fatalf("canonical query %q = %q, reference %q", raw, got, want)
		}
		if !isCanonicalEncoded(got, "=&") {
			t.Fatalf("canonical query %q is not canonical", got)
		}
		if again, err := canonicalQuery(got); err != nil || again != got {
			t.Fatalf("canonical query not stable: %q -> %q, %v", got, again, err)
		}
	})
}

func FuzzHeaderValue(f *testing.F) {
	for _, s := range []string{"", " ", "a", "  a   b  ", "\ta\t", "a\nb", strings.Repeat("x ", 40) + "  y", "\"a   b   c\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got, err := canonicalHeaderValue(v)
		want, ok := refHeaderValue(v)
		if (err == nil) != ok {
			t.Fatalf("header value %q: error %v, reference ok %v", v, err, ok)
		}
		if err == nil && got != want {
			t.Fatalf("header value %q = %q, reference %q", v, got, want)
		}
		if err == nil {
			if again, _ := canonicalHeaderValue(got); again != got {
				t.Fatalf("header value not stable: %q -> %q", got, again)
			}
		}
	})
}

// FuzzSignVerify signs a request built from the fuzzer's input, header or
// presigned, and checks that Verify accepts it, as the client built it and
// as a server reads it from the wire.
func FuzzSignVerify(f *testing.F) {
	f.Add("POST", "", "Action=GetCallerIdentity&Version=2011-06-15", "Content-Type", "application/x-www-form-urlencoded", "body", false, false, uint32(60))
	f.Add("GET", "a b/../c", "x=1&x=0&y", "X-K8s-Aws-Id", "my-cluster", "", true, false, uint32(900))
	f.Add("PUT", "key/./with//dots", "a=%2F+b", "X-Amz-Meta-A", "  a   b ", "payload", false, true, uint32(1))
	f.Add("", "\xe1\x88\xb4", "", "my-header1", "VALUE1", "", true, true, uint32(604799))
	f.Fuzz(func(t *testing.T, method, path, query, hname, hval, body string, presign, s3 bool, expires uint32) {
		u := &url.URL{Scheme: "https", Host: "example.amazonaws.com", Path: "/" + path, RawQuery: query}
		req, err := http.NewRequest("GET", "https://example.amazonaws.com/", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Method, req.URL = method, u
		req.Header[hname] = []string{hval}
		creds := testCreds
		clock := func() time.Time { return testTime }
		s := &Signer{S3Paths: s3, Now: clock}
		scope := Scope{Service: "service", Region: "us-east-1"}
		v := &Verifier{Lookup: StaticLookup(creds), Scope: scope, Now: clock, S3Paths: s3}
		if presign {
			d := time.Duration(1+expires%604800) * time.Second
			signed, hdr, err := s.Presign(req, creds, scope, d)
			dst := []byte("dst")
			appended, aerr := s.AppendPresign(dst, req, creds, scope, d)
			if (err == nil) != (aerr == nil) || err != nil && err.Error() != aerr.Error() {
				t.Fatalf("Presign: %v; AppendPresign: %v", err, aerr)
			}
			if err != nil && string(appended) != "dst" {
				t.Fatalf("AppendPresign failed and returned %q, not dst", appended)
			}
			if err == nil && string(appended) != "dst"+signed {
				t.Fatalf("AppendPresign appended %q; Presign made %q", appended, signed)
			}
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error")
				}
				return
			}
			pu, err := url.Parse(signed)
			if err != nil {
				t.Fatalf("Presign made an URL that does not parse: %q: %v", signed, err)
			}
			req.URL = pu
			for k := range req.Header {
				if _, ok := hdr[k]; !ok && headerClass([]byte(strings.ToLower(k))) != hdrIgnored {
					t.Fatalf("header %q not in the signed headers %v", k, hdr)
				}
			}
		} else if hname != HeaderContentSHA256 {
			// SignHash with the body's hash signs as Sign does (which
			// takes an X-Amz-Content-Sha256 header for the hash).
			hreq := req.Clone(req.Context())
			hreq.Header = req.Header.Clone()
			herr := s.SignHash(hreq, sha256Hex(body), creds, scope)
			if err := s.Sign(req, creds, scope); err != nil {
				if err.Error() == "" {
					t.Fatal("empty error")
				}
				if herr == nil {
					t.Fatalf("SignHash signed what Sign refuses (%v)", err)
				}
				return
			}
			if herr != nil {
				t.Fatalf("SignHash: %v; Sign signed", herr)
			}
			if got, want := hreq.Header.Get(HeaderAuthorization), req.Header.Get(HeaderAuthorization); got != want {
				t.Fatalf("SignHash Authorization %q, Sign %q", got, want)
			}
		} else if err := s.Sign(req, creds, scope); err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if _, err := v.Verify(req); err != nil {
			t.Fatalf("Verify of the request as signed: %v\n%s %s %v", err, req.Method, req.URL, req.Header)
		}
		sreq, err := wireRoundTrip(t, req)
		if err != nil {
			return // not a request that HTTP can carry
		}
		if _, err := v.Verify(sreq); err != nil {
			t.Fatalf("Verify of the request as received: %v\nsent %s %s %v\nreceived %s %s %v",
				err, req.Method, req.URL, req.Header, sreq.Method, sreq.URL, sreq.Header)
		}
	})
}

// FuzzVerifyForged hands Verify requests whose Authorization header,
// X-Amz-Date, session token, query (the presigned form's parameters) and
// body are the fuzzer's: nothing signed them, so every one must be
// refused, with a *VerifyError whose text is bounded, one line, and
// holds neither the secret key nor the session token. It reaches the
// parsers a signer's own output never exercises: the Authorization
// header's fields, the credential scope, SignedHeaders, the date and the
// presigned parameters.
func FuzzVerifyForged(f *testing.F) {
	const auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=" +
		"5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
	f.Add(auth, "20150830T123600Z", "", "x=1", "", false)
	f.Add(strings.Replace(auth, "sts", "s3", 1), "20150830T123600Z", "tok", "", "body", true)
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request,SignedHeaders=host,Signature=00", "", "", "", "", false)
	f.Add(strings.Replace(auth, "AKIDEXAMPLE", strings.Repeat("A", 2000), 1), "20150830T123600Z", "", "", "", false)
	f.Add("", "", "", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request"+
		"&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature="+strings.Repeat("0", 64), "", false)
	f.Add("", "", "", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="+strings.Repeat("A", 300)+"%2F20150830%2Fus-east-1%2Fsts%2Faws4_request"+
		"&X-Amz-Date=20150830T123600Z&X-Amz-Expires=99999999999999999999&X-Amz-SignedHeaders=host&X-Amz-Security-Token=t&X-Amz-Signature=zz", "", true)
	f.Fuzz(func(t *testing.T, authorization, amzDate, token, query, body string, anyRegion bool) {
		req, err := http.NewRequest("POST", "https://sts.amazonaws.com/", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = query
		for name, v := range map[string]string{"Authorization": authorization, "X-Amz-Date": amzDate, "X-Amz-Security-Token": token} {
			if v != "" {
				req.Header.Set(name, v)
			}
		}
		v := atTestTime()
		if anyRegion {
			v.Scope.Region, v.AnyRegion = "", true
		}
		got, err := v.Verify(req)
		if err == nil {
			t.Fatalf("Verify accepted a request nobody signed: %+v", got)
		}
		var ve *VerifyError
		if !errors.As(err, &ve) {
			t.Fatalf("error %T (%v) is not a *VerifyError", err, err)
		}
		msg := err.Error()
		if len(msg) > 1024 {
			t.Fatalf("the error is %d bytes: %.200s...", len(msg), msg)
		}
		if strings.ContainsAny(msg, "\n\r\x00") {
			t.Fatalf("the error is not one line: %q", msg)
		}
		for _, s := range []string{testCreds.SecretAccessKey(), testCreds.SessionToken()} {
			if strings.Contains(msg, s) {
				t.Fatalf("the error shows a secret: %s", msg)
			}
		}
	})
}
