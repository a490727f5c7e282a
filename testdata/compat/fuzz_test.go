package compat

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
)

// FuzzDifferentialSign signs fuzzed requests with callerid and with
// aws-sdk-go-v2, in both forms, and wants the same results, within the part
// of the specification both follow (see DIFFERENCES.md): inputs outside it
// are skipped, each for the reason given. Run it with
//
//	go test -run '^$' -fuzz FuzzDifferentialSign
func FuzzDifferentialSign(f *testing.F) {
	f.Add("POST", "/", "", "Content-Type", "application/x-www-form-urlencoded; charset=utf-8", []byte("Action=GetCallerIdentity&Version=2011-06-15"), "", int64(1440938160), false, false)
	f.Add("GET", "/", "Action=GetCallerIdentity&Version=2011-06-15", "X-K8s-Aws-Id", "my-cluster", []byte(nil), "FQoGZXIvYXdzEBYaDHhBTEXAMPLE/+=", int64(1700000000), false, false)
	f.Add("GET", "/a/./b/../c//d/", "b&a=&=c&a=2&a=1", "My-Header", "  a   b  ", []byte{}, "", int64(0), false, false)
	f.Add("PUT", "/caf\u00e9/\u1234 x/%/+", "%C3%A9=2&z=1&a%3A=3&a9=4", "X-Amz-Meta-Foo", "\u65e5\u672c", []byte("body"), "tok", int64(4102444799), true, false)
	f.Add("DELETE", "/a$b/c:d@e", "a=b+c&x=%c3%a9", "X-Amz-Acl", "", make([]byte, 70000), "t", int64(951782400), true, true)
	// Found by fuzzing: a header name with a token character that must be
	// escaped in X-Amz-SignedHeaders (a sigv4 bug, since fixed).
	f.Add("GET", "/0", "0", "!", "0", []byte(nil), "", int64(0), false, true)
	f.Add("GET", "/", "", "X-Foo&", "1", []byte(nil), "", int64(1440938160), false, false)
	f.Fuzz(func(t *testing.T, method, path, query, hname, hvalue string, body []byte, token string, unix int64, s3, unsigned bool) {
		c, reason := fuzzCase(method, path, query, hname, hvalue, body, token, unix, s3, unsigned)
		if reason != "" {
			t.Skip(reason)
		}
		for _, form := range []struct {
			name      string
			ours, sdk func(*Case) (Signed, error)
		}{
			{"header", OursSign, SDKSign},
			{"presign", OursPresign, SDKPresign},
		} {
			want, err := form.sdk(c)
			if err != nil {
				t.Skipf("the SDK refuses the input: %v", err)
			}
			got, err := form.ours(c)
			if err != nil {
				t.Fatalf("%v\ncallerid %s: %v", c, form.name, err)
			}
			if form.name == "presign" {
				want, got = PresignedView(want, false), PresignedView(got, !c.S3Paths)
			}
			if diff := cmp.Diff(want, got, ignoreCanonical); diff != "" {
				t.Errorf("%v\n%s differs (-sdk +callerid):\n%s\nSDK canonical request:\n%s\ncallerid canonical request:\n%s",
					c, form.name, diff, want.CanonicalRequest, got.CanonicalRequest)
			}
		}
	})
}

// fuzzCase makes a Case of fuzzed inputs, or says why they are outside
// what both signers sign alike.
func fuzzCase(method, path, query, hname, hvalue string, body []byte, token string, unix int64, s3, unsigned bool) (*Case, string) {
	if method == "" || strings.IndexFunc(method, func(r rune) bool { return !isTokenChar(r) }) >= 0 {
		return nil, "not an HTTP method"
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	// The path is sent strictly encoded for S3 (the SDK signs S3 paths as
	// sent, callerid decodes and encodes them), as Go sends it otherwise.
	wire := (&url.URL{Path: path}).EscapedPath()
	if s3 {
		wire = uriEncode(path, false, false)
	}
	if strings.ContainsAny(query, "#;") {
		return nil, "';' in the query: Go's parser, which the SDK uses, drops the pair (DIFFERENCES.md)"
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, "a query Go cannot parse: the SDK drops the pair"
	}
	for k := range q {
		if strings.HasPrefix(strings.ToLower(k), "x-amz-") {
			return nil, "presigning parameters in the query: callerid replaces them, the SDK signs them"
		}
	}
	c := &Case{
		Method:          method,
		URL:             "https://example.amazonaws.com" + wire,
		Body:            body,
		Creds:           credentials.New("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token),
		Region:          "us-east-1",
		Service:         "service",
		Time:            time.Unix(0, 0).UTC().Add(time.Duration(uint64(unix)%(8000*365*24*3600)) * time.Second),
		Expires:         time.Duration(1+uint64(unix)%604800) * time.Second,
		S3Paths:         s3,
		UnsignedPayload: unsigned,
	}
	if query != "" {
		c.URL += "?" + query
	}
	if _, err := url.Parse(c.URL); err != nil {
		return nil, "not a URL Go parses"
	}
	for _, r := range token {
		if r < 0x21 || r > 0x7e {
			return nil, "a session token that is not printable ASCII"
		}
	}
	if hname != "" {
		if strings.IndexFunc(hname, func(r rune) bool { return !isTokenChar(r) }) >= 0 {
			return nil, "not a header name"
		}
		switch http.CanonicalHeaderKey(hname) {
		case "Host", "Content-Length", "Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256",
			"User-Agent", "Expect", "X-Amzn-Trace-Id",
			"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade":
			return nil, "a header that is set by the signer, not signed, or signed by the SDK only (DIFFERENCES.md)"
		}
		for i := 0; i < len(hvalue); i++ {
			if b := hvalue[i]; b < 0x20 && b != '\t' || b == 0x7f {
				return nil, "not a header value"
			}
		}
		c.Header = []Header{{hname, hvalue}}
	}
	return c, ""
}

func isTokenChar(r rune) bool {
	return r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r))
}
