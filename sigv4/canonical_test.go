package sigv4

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/callerid/callerid/credentials"
)

// Helpers over the scratch, for tests.

func canonicalPath(p string, s3 bool) (string, error) {
	b, err := appendCanonicalPath(nil, p, s3)
	return string(b), err
}

func canonicalQuery(raw string) (string, error) {
	sc := getScratch()
	defer putScratch(sc)
	if err := sc.addQuery(raw, 0); err != nil {
		return "", err
	}
	return string(sc.appendCanonicalQuery(nil)), nil
}

func canonicalHeaderValue(v string) (string, error) {
	b, bad := appendHeaderValue(nil, v)
	if bad >= 0 {
		return "", errors.New("control byte")
	}
	return string(b), nil
}

// canonicalHeaders returns the canonical headers and signed headers Sign
// would write for h and host.
func canonicalHeaders(h http.Header, host string) (string, string, error) {
	sc := getScratch()
	defer putScratch(sc)
	if err := sc.addHeaders(h, true, false); err != nil {
		return "", "", err
	}
	sc.addHost(host)
	sc.sortHeaders()
	b, err := sc.appendCanonicalHeaders(nil)
	return string(b), string(sc.appendSignedHeaders(nil, ";")), err
}

func TestCanonicalPath(t *testing.T) {
	for _, tc := range []struct {
		in, normal, s3 string
	}{
		{"", "/", "/"},
		{"/", "/", "/"},
		{"/a/b", "/a/b", "/a/b"},
		{"/a//b/", "/a/b/", "/a//b/"},
		{"//", "/", "//"},
		{"/./", "/", "/./"},
		{"/.", "/", "/."},
		{"/..", "/", "/.."},
		{"/a/./b", "/a/b", "/a/./b"},
		{"/a/../b", "/b", "/a/../b"},
		{"/../a", "/a", "/../a"},
		{"/a/b/..", "/a/", "/a/b/.."},
		{"/a/b/.", "/a/b/", "/a/b/."},
		{"/a/b/../../..", "/", "/a/b/../../.."},
		{"/a/.../b", "/a/.../b", "/a/.../b"},
		{"/a/..b/.c", "/a/..b/.c", "/a/..b/.c"},
		{"a/b", "/a/b", "/a/b"},
		{"/-._~AZaz09", "/-._~AZaz09", "/-._~AZaz09"},
		// Escapes: encoded again by default, decoded and re-encoded for S3.
		{"/a%20b", "/a%2520b", "/a%20b"},
		{"/a%2fb", "/a%252fb", "/a/b"},
		{"/%7Euser", "/%257Euser", "/~user"},
		{"/%2e%2e/x", "/%252e%252e/x", "/../x"},
		{"%2f", "/%252f", "//"}, // no leading slash: one is put before the path as sent
		{"%2fa", "/%252fa", "//a"},
		// Bytes sent raw (as the test suite's request lines).
		{"/example space/", "/example%20space/", "/example%20space/"},
		{"/\xe1\x88\xb4", "/%E1%88%B4", "/%E1%88%B4"},
		{"/a+b=c;d:e@f!g$h&i'j(k)l*m,n", "/a%2Bb%3Dc%3Bd%3Ae%40f%21g%24h%26i%27j%28k%29l%2Am%2Cn",
			"/a%2Bb%3Dc%3Bd%3Ae%40f%21g%24h%26i%27j%28k%29l%2Am%2Cn"},
		{"/\x00\x7f\xff", "/%00%7F%FF", "/%00%7F%FF"},
	} {
		if got, err := canonicalPath(tc.in, false); err != nil || got != tc.normal {
			t.Errorf("canonical path %q = %q, %v; want %q", tc.in, got, err, tc.normal)
		}
		if got, err := canonicalPath(tc.in, true); err != nil || got != tc.s3 {
			t.Errorf("S3 canonical path %q = %q, %v; want %q", tc.in, got, err, tc.s3)
		}
	}
	for _, bad := range []struct{ in, msg string }{
		{"/a%zz", `invalid percent-escape "%zz" in path at byte 2`},
		{"/a%2", `invalid percent-escape "%2" in path at byte 2`},
		{"/a/%", `invalid percent-escape "%" in path at byte 3`},
	} {
		_, err := canonicalPath(bad.in, true)
		if err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("S3 canonical path %q: error %v, want %q", bad.in, err, bad.msg)
		}
		if _, err := canonicalPath(bad.in, false); err != nil {
			t.Errorf("canonical path %q: %v (the escape is encoded again)", bad.in, err)
		}
	}
}

// TestCanonicalPathOfURL checks which path of a url.URL is signed: the
// path as it is sent, so that the example of the AWS documentation,
// "/documents and settings/", is signed double-encoded.
func TestCanonicalPathOfURL(t *testing.T) {
	for _, tc := range []struct {
		u    *url.URL
		wire string
		want string
	}{
		{&url.URL{Path: "/documents and settings/"}, "/documents%20and%20settings/", "/documents%2520and%2520settings/"},
		{&url.URL{Path: "/a+b"}, "/a+b", "/a%2Bb"},
		{&url.URL{Path: "/a/b", RawPath: "/a%2Fb"}, "/a%2Fb", "/a%252Fb"}, // sent as RawPath
		{&url.URL{Path: "/a/c", RawPath: "/a%2Fb"}, "/a/c", "/a/c"},       // RawPath is not Path's: ignored
		{&url.URL{Path: "/a/b c", RawPath: "/a/b%20c"}, "/a/b%20c", "/a/b%2520c"},
		{&url.URL{Opaque: "/raw path"}, "/raw path", "/raw%20path"},
		{&url.URL{Opaque: "//host.example/x/y"}, "/x/y", "/x/y"},
		{&url.URL{Opaque: "//host.example"}, "/", "/"},
		{&url.URL{}, "", "/"},
	} {
		if got := wirePath(tc.u); got != tc.wire {
			t.Errorf("wirePath(%#v) = %q, want %q", tc.u, got, tc.wire)
		}
		if got, _ := canonicalPath(wirePath(tc.u), false); got != tc.want {
			t.Errorf("canonical path of %#v = %q, want %q", tc.u, got, tc.want)
		}
	}
}

func TestCanonicalQuery(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"b=2&a=1", "a=1&b=2"},
		{"a=2&a=1&a=10", "a=1&a=10&a=2"},
		{"a", "a="},
		{"a=", "a="},
		{"=x", "=x"},
		{"a=1&&b=2&", "a=1&b=2"},
		{"&", ""},
		{"a=b c", "a=b%20c"},
		{"a=b+c", "a=b%20c"},
		{"a=b%2Bc", "a=b%2Bc"},
		{"a=b%2bc", "a=b%2Bc"},
		{"a=%7e", "a=~"},
		{"a=%e1%88%b4", "a=%E1%88%B4"},
		{"k%20ey=v", "k%20ey=v"},
		{"a=1;b=2", "a=1%3Bb%3D2"},
		{"a=x=y", "a=x%3Dy"},
		{"B=1&a=1&_=1&~=1&-=1", "-=1&B=1&_=1&a=1&~=1"},
		{"a=%2B&a=%20", "a=%20&a=%2B"},
		{"a=/?#[]@", "a=%2F%3F%23%5B%5D%40"},
		{"Action=GetCallerIdentity&Version=2011-06-15", "Action=GetCallerIdentity&Version=2011-06-15"},
		{"-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
			"-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"},
	} {
		if got, err := canonicalQuery(tc.in); err != nil || got != tc.want {
			t.Errorf("canonical query %q = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []struct{ in, msg string }{
		{"a=%zz", `invalid percent-escape "%zz" in query at byte 2`},
		{"ok=1&b%=1", `invalid percent-escape "%=1" in query at byte 6`},
		{"a=%", `invalid percent-escape "%" in query at byte 2`},
	} {
		if _, err := canonicalQuery(bad.in); err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("canonical query %q: error %v, want %q", bad.in, err, bad.msg)
		}
	}
}

func TestCanonicalHeaderValue(t *testing.T) {
	long := strings.Repeat("x", 40)
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"\t \t", ""},
		{"value", "value"},
		{"  a   b  ", "a b"},
		{`"a   b   c"`, `"a b c"`},
		{"\ta\t b\t", "a\t b"},
		{"a b", "a b"},
		{"VALUE1", "VALUE1"},
		{long + "   " + long + "  " + long + " " + long, long + " " + long + " " + long + " " + long},
		{"  " + long + "  ", long},
		{"a\x01b\xff", "a\x01b\xff"},
	} {
		if got, err := canonicalHeaderValue(tc.in); err != nil || got != tc.want {
			t.Errorf("canonical header value %q = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"a\nb", "a\rb", long + "\n", "\r" + long + "x"} {
		if _, err := canonicalHeaderValue(bad); err == nil {
			t.Errorf("canonical header value %q: no error", bad)
		}
	}
}

func TestCanonicalHeaders(t *testing.T) {
	for _, tc := range []struct {
		name           string
		h              http.Header
		canon, signed  string
		wantErrContain string
	}{
		{"none", http.Header{}, "host:h\n", "host", ""},
		{"multi-value order kept", http.Header{"My-Header1": {"value4", "value1", "value3"}},
			"host:h\nmy-header1:value4,value1,value3\n", "host;my-header1", ""},
		{"names sorted, lower-cased", http.Header{"Zed": {"z"}, "Alpha": {"a"}, "X-Amz-Date": {"d"}, "content-type": {"c"}},
			"alpha:a\ncontent-type:c\nhost:h\nx-amz-date:d\nzed:z\n", "alpha;content-type;host;x-amz-date;zed", ""},
		{"same name in two cases", http.Header{"x-a": {"2"}, "X-A": {"1"}},
			"host:h\nx-a:1,2\n", "host;x-a", ""},
		{"ignored", http.Header{
			"User-Agent": {"ua"}, "Authorization": {"a"}, "Expect": {"100-continue"}, "X-Amzn-Trace-Id": {"t"},
			"Connection": {"close"}, "Transfer-Encoding": {"chunked"}, "Keep-Alive": {"1"}, "Te": {"trailers"},
			"Trailer": {"x"}, "Upgrade": {"h2c"}, "Proxy-Connection": {"x"}, "Proxy-Authorization": {"x"},
		}, "host:h\n", "host", ""},
		{"a Host key is not the host", http.Header{"Host": {"other"}}, "host:h\n", "host", ""},
		{"no values: not sent, not signed", http.Header{"X-Empty": {}}, "host:h\n", "host", ""},
		{"empty value is signed", http.Header{"X-Empty": {""}}, "host:h\nx-empty:\n", "host;x-empty", ""},
		{"names with prefixes", http.Header{"X-Amz-Date": {"1"}, "X-Amz-Date-Extra": {"2"}, "X-Amz-Dat": {"3"}},
			"host:h\nx-amz-dat:3\nx-amz-date:1\nx-amz-date-extra:2\n", "host;x-amz-dat;x-amz-date;x-amz-date-extra", ""},
		{"bad name", http.Header{"Bad Name": {"x"}}, "", "", `header name "Bad Name" has an invalid byte at 3`},
		{"bad name byte", http.Header{"X;Y": {"x"}}, "", "", `header name "X;Y" has an invalid byte at 1`},
		{"empty name", http.Header{"": {"x"}}, "", "", "empty header name"},
		{"newline in value", http.Header{"X-A": {"a\nb"}}, "", "", `value of header "X-A" has a control byte at 1`},
	} {
		canon, signed, err := canonicalHeaders(tc.h, "h")
		if tc.wantErrContain != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErrContain) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.wantErrContain)
			}
			continue
		}
		if err != nil || canon != tc.canon || signed != tc.signed {
			t.Errorf("%s: got %q %q %v, want %q %q", tc.name, canon, signed, err, tc.canon, tc.signed)
		}
	}
}

func TestParseAmzDate(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"20150830T123600Z", true}, {"20000229T000000Z", true}, {"99991231T235959Z", true},
		{"20150830T123600", false}, {"20150830 123600Z", false}, {"2015083OT123600Z", false},
		{"20150230T123600Z", false}, {"20151301T000000Z", false}, {"20150830T240000Z", false},
		{"20150830T126000Z", false}, {"20150830T123660Z", false}, {"", false}, {"-0150830T123600Z", false},
	} {
		got, ok := parseAmzDate(tc.in)
		if ok != tc.ok {
			t.Errorf("parseAmzDate(%q) ok = %v", tc.in, ok)
		}
		if ok {
			var b [amzDateLen]byte
			if err := formatAmzDate(&b, got); err != nil || string(b[:]) != tc.in {
				t.Errorf("formatAmzDate(parseAmzDate(%q)) = %q, %v", tc.in, b, err)
			}
		}
	}
}

// TestSignRejectsBadInput checks that bad input is an error that says what
// is wrong, not a panic.
func TestSignRejectsBadInput(t *testing.T) {
	good := func() *http.Request {
		r, _ := http.NewRequest("GET", "https://example.amazonaws.com/", nil)
		return r
	}
	for _, tc := range []struct {
		name     string
		req      func() *http.Request
		creds    credentials.Credentials
		scope    Scope
		t        time.Time
		s        *Signer
		msg      string
		signOnly bool // Presign takes it
	}{
		{name: "nil request", req: func() *http.Request { return nil }, msg: "nil request"},
		{name: "nil URL", req: func() *http.Request { return &http.Request{Method: "GET"} }, msg: "no URL"},
		{name: "no host", req: func() *http.Request { return &http.Request{Method: "GET", URL: &url.URL{Path: "/"}} }, msg: "no host"},
		{name: "host with space", req: func() *http.Request { r := good(); r.Host = "a b"; return r }, msg: `host "a b" has an invalid byte at 1`},
		{name: "method with space", req: func() *http.Request { r := good(); r.Method = "GE T"; return r }, msg: `method "GE T" has an invalid byte at 2`},
		{name: "no secret", creds: credentials.New("AKID", "", ""), msg: "no secret access key"},
		{name: "no keys", creds: credentials.Credentials{Source: "x"}, msg: "no access key id or no secret access key"},
		{name: "no service", scope: Scope{Region: "us-east-1"}, msg: `scope {Service: Region:us-east-1}: Service and Region must both be set`},
		{name: "no region", scope: Scope{Service: "s3"}, msg: `scope {Service:s3 Region:}: Service and Region must both be set`},
		{name: "slash in region", scope: Scope{Service: "s3", Region: "us/east"}, msg: `region "us/east" has an invalid byte at 2`},
		{name: "comma in key id", creds: credentials.New("AK,ID", "s", ""), msg: `access key id "AK,ID" has an invalid byte at 2`},
		{name: "presign parameter in the query", req: func() *http.Request {
			r := good()
			r.URL.RawQuery = "a=1&X-Amz-Credential=AKIDOTHER%2F20150830%2Fus-east-1%2Fs3%2Faws4_request"
			return r
		}, msg: "the query has a X-Amz-Credential parameter, which is for presigned requests", signOnly: true},
		{name: "year 10000", t: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), msg: "out of range"},
		{name: "bad header name", req: func() *http.Request { r := good(); r.Header["X Y"] = []string{"1"}; return r }, msg: `header name "X Y"`},
		{name: "newline in header", req: func() *http.Request { r := good(); r.Header.Set("X-Y", "1\r\nX-Z: 2"); return r }, msg: `value of header "X-Y" has a control byte at 1`},
		{name: "body not re-readable", req: func() *http.Request {
			r := good()
			r.Body = io.NopCloser(strings.NewReader("x"))
			return r
		}, msg: "body cannot be re-read"},
		{name: "GetBody fails", req: func() *http.Request {
			r := good()
			r.Body = io.NopCloser(strings.NewReader("x"))
			r.GetBody = func() (io.ReadCloser, error) { return nil, errors.New("gone") }
			return r
		}, msg: "re-reading body: gone"},
		{name: "body read fails", req: func() *http.Request {
			r := good()
			r.Body = io.NopCloser(failingReader{})
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(failingReader{}), nil }
			return r
		}, msg: "reading body: connection reset"},
		{name: "S3 path with a bad escape", s: &Signer{S3Paths: true}, req: func() *http.Request {
			r := good()
			r.URL.Opaque = "/key%g1"
			return r
		}, msg: `invalid percent-escape "%g1" in path at byte 4`},
		{name: "query with a bad escape", req: func() *http.Request {
			r := good()
			r.URL.RawQuery = "a=%"
			return r
		}, msg: `invalid percent-escape "%" in query at byte 2`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := good()
			if tc.req != nil {
				req = tc.req()
			}
			creds := tc.creds
			if creds == (credentials.Credentials{}) {
				creds = testCreds
			}
			scope := tc.scope
			if scope == (Scope{}) {
				scope = Scope{Service: "s3", Region: "us-east-1"}
			}
			at := tc.t
			if at.IsZero() {
				at = testTime
			}
			err := signerAt(tc.s, at).Sign(req, creds, scope)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Sign: error %v, want %q", err, tc.msg)
			}
			if req != nil && tc.name != "year 10000" && !tc.signOnly {
				req2 := tc.req
				if req2 != nil {
					req = req2()
				}
				_, _, err = signerAt(tc.s, at).Presign(req, creds, scope, time.Minute)
				if err == nil || !strings.Contains(err.Error(), tc.msg) {
					t.Errorf("Presign: error %v, want %q", err, tc.msg)
				}
			}
		})
	}
}

// seekBody is a body that is an io.Seeker and nothing else.
type seekBody struct{ *strings.Reader }

func (seekBody) Close() error { return nil }

func TestSignSeekerBody(t *testing.T) {
	r, _ := http.NewRequest("PUT", "https://example.amazonaws.com/k", nil)
	body := seekBody{strings.NewReader("0123456789")}
	body.Seek(3, io.SeekStart) // the part from here on is sent
	r.Body = body
	s := &Signer{AddContentSHA256Header: true}
	if err := signerAt(s, testTime).Sign(r, testCreds, Scope{Service: "s3", Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	// sha256("3456789")
	if got := r.Header.Get(HeaderContentSHA256); got != sha256Hex("3456789") {
		t.Errorf("payload hash %s", got)
	}
	if rest, _ := io.ReadAll(r.Body); string(rest) != "3456789" {
		t.Errorf("body after signing reads %q", rest)
	}
}

func sha256Hex(s string) string {
	sc := getScratch()
	defer putScratch(sc)
	sum, _ := sc.hashReader(strings.NewReader(s))
	return string(appendHex(nil, &sum))
}

// TestSignLargeInput signs and verifies requests with many and large
// headers, query parameters and bodies: no hang, no quadratic blow-up.
func TestSignLargeInput(t *testing.T) {
	start := time.Now()
	req, _ := http.NewRequest("PUT", "https://example.amazonaws.com/"+strings.Repeat("seg/", 20000), strings.NewReader(strings.Repeat("b", 3<<20)))
	for i := 0; i < 5000; i++ {
		req.Header.Add("X-Many-"+strings.Repeat("n", i%50)+string(rune('a'+i%26)), "v"+strings.Repeat(" ", i%5)+"w")
	}
	req.Header.Set("X-Huge", strings.Repeat("h  ", 1<<18))
	q := make([]string, 0, 20000)
	for i := 0; i < 20000; i++ {
		q = append(q, "k"+strings.Repeat("x", i%7)+"="+strings.Repeat("v", i%11))
	}
	req.URL.RawQuery = strings.Join(q, "&")
	if err := signerAt(nil, testTime).Sign(req, testCreds, Scope{Service: "s3", Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	v := atTestTime()
	v.Scope.Service, v.MaxBodyBytes = "s3", -1
	if _, err := v.Verify(req); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestSignTwice checks that signing a request again replaces the first
// signature, and removes what it must.
func TestSignTwice(t *testing.T) {
	req := newTestRequest(t)
	if err := signerAt(nil, testTime).Sign(req, testCreds, Scope{Service: "sts", Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	stale := "x-amz-date" // a non-canonical key, which Sign must remove
	req.Header[stale] = []string{"stale"}
	noToken := credentials.New(testCreds.AccessKeyID, testCreds.SecretAccessKey(), "")
	later := testTime.Add(time.Hour)
	if err := signerAt(nil, later).Sign(req, noToken, Scope{Service: "sts", Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := req.Header[stale]; ok {
		t.Error("the non-canonical x-amz-date key is still there")
	}
	if req.Header.Get(HeaderSecurityToken) != "" {
		t.Error("the old session token is still there")
	}
	if got := req.Header.Get(HeaderDate); got != "20150830T133600Z" {
		t.Errorf("X-Amz-Date = %q", got)
	}
	if n := len(req.Header.Values("Authorization")); n != 1 {
		t.Errorf("%d Authorization headers", n)
	}
	v, err := withLookup(&Verifier{Scope: stsScope, Now: func() time.Time { return later }}, StaticLookup(noToken)).Verify(req)
	if err != nil {
		t.Fatal(err)
	}
	if tok := v.Credentials.SessionToken(); tok != "" {
		t.Errorf("token %q", tok)
	}
}

// TestKeyCacheBounded fills the key cache past its bound.
func TestKeyCacheBounded(t *testing.T) {
	keys := newKeyCache()
	for i := 0; i < keyCacheSize+50; i++ {
		k := keys.get("secret", []byte("20150830"), "r"+strings.Repeat("x", i), "s")
		if k == nil {
			t.Fatal("nil key")
		}
	}
	keys.mu.RLock()
	n := len(keys.m)
	keys.mu.RUnlock()
	if n > keyCacheSize {
		t.Errorf("cache holds %d keys, bound %d", n, keyCacheSize)
	}
	a := keys.get("secret", []byte("20150830"), "r", "s")
	b := keys.get("secret2", []byte("20150830"), "r", "s")
	c := keys.get("secret", []byte("20150831"), "r", "s")
	if a == b || a == c || a.key == b.key || a.key == c.key {
		t.Error("different scopes share a key")
	}
	if again := keys.get("secret", []byte("20150830"), "r", "s"); again.key != a.key {
		t.Error("same scope, different key")
	}
}
