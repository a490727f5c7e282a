package sigv4

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
)

// The AWS SigV4 test suite, in ../testdata/sigv4-testsuite (see its
// README.md): every case is signed in both forms, and the canonical
// request, string to sign, signature and signed request are each compared
// with the expected ones; then Verify must accept what was signed.

const suiteDir = "../testdata/sigv4-testsuite"

type suiteContext struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token"`
	} `json:"credentials"`
	ExpirationInSeconds int       `json:"expiration_in_seconds"`
	Normalize           bool      `json:"normalize"`
	Region              string    `json:"region"`
	Service             string    `json:"service"`
	SignBody            bool      `json:"sign_body"`
	Timestamp           time.Time `json:"timestamp"`
	OmitSessionToken    bool      `json:"omit_session_token"`
}

func (c *suiteContext) creds() credentials.Credentials {
	return credentials.New(c.Credentials.AccessKeyID, c.Credentials.SecretAccessKey, c.Credentials.Token)
}

func (c *suiteContext) scope() Scope { return Scope{Service: c.Service, Region: c.Region} }

// rawRequest is a request as request.txt writes it.
type rawRequest struct {
	method, path, query string // path: raw bytes, not encoded
	hasQuery            bool
	headers             [][2]string // name, value as written after the colon
	body                []byte
}

// parseRawRequest parses the request.txt format: request line, headers
// (a line starting with white space continues the previous header), blank
// line, body. The request target may hold spaces: the method ends at the
// first space, the protocol starts after the last.
func parseRawRequest(data []byte) (*rawRequest, error) {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	head, body, _ := strings.Cut(text, "\n\n")
	lines := strings.Split(head, "\n")
	r := &rawRequest{body: []byte(body)}
	line := lines[0]
	sp1, sp2 := strings.IndexByte(line, ' '), strings.LastIndexByte(line, ' ')
	if sp1 < 0 || sp2 <= sp1 || !strings.HasPrefix(line[sp2+1:], "HTTP/") {
		return nil, fmt.Errorf("bad request line %q", line)
	}
	r.method = line[:sp1]
	target := line[sp1+1 : sp2]
	r.path, r.query, r.hasQuery = strings.Cut(target, "?")
	for _, l := range lines[1:] {
		if l == "" {
			continue
		}
		if l[0] == ' ' || l[0] == '\t' {
			if len(r.headers) == 0 {
				return nil, fmt.Errorf("continuation line %q before any header", l)
			}
			h := &r.headers[len(r.headers)-1]
			h[1] = strings.TrimRight(h[1], " \t") + " " + strings.TrimLeft(l, " \t")
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return nil, fmt.Errorf("header line %q has no colon", l)
		}
		r.headers = append(r.headers, [2]string{name, value})
	}
	return r, nil
}

// suiteURL is the URL of a request.txt path and query. A path that Go
// would escape on the wire (a space, UTF-8) is set as Opaque, which is
// sent as it is: the suite's paths are the bytes of the request line.
func suiteURL(host, path, query string) *url.URL {
	u := &url.URL{Scheme: "https", Host: host, Path: path, RawQuery: query}
	if u.EscapedPath() != path {
		u.Path, u.Opaque = "", path
	}
	return u
}

// httpRequest builds the *http.Request of r, with GetBody set.
func (r *rawRequest) httpRequest(t testing.TB) *http.Request {
	req, err := http.NewRequest(r.method, "https://placeholder/", bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range r.headers {
		if strings.EqualFold(h[0], "host") {
			req.Host = strings.TrimSpace(h[1])
			continue
		}
		req.Header.Add(h[0], h[1])
	}
	req.URL = suiteURL(req.Host, r.path, r.query)
	return req
}

// headerSet is a request's headers as a sorted list of "Name:value", names
// in canonical form and values trimmed, for comparing as sets.
func headerSet(hs [][2]string) []string {
	var out []string
	for _, h := range hs {
		out = append(out, http.CanonicalHeaderKey(h[0])+":"+strings.TrimSpace(h[1]))
	}
	sort.Strings(out)
	return out
}

func querySet(q string) []string {
	if q == "" {
		return nil
	}
	out := strings.Split(q, "&")
	sort.Strings(out)
	return out
}

// compareSigned compares a signed request with the expected one: request
// line (query as a set), headers as a set, body.
func compareSigned(t *testing.T, got, want *rawRequest) {
	t.Helper()
	if got.method != want.method || got.path != want.path {
		t.Errorf("request line: got %s %s, want %s %s", got.method, got.path, want.method, want.path)
	}
	if d := cmp.Diff(querySet(want.query), querySet(got.query)); d != "" {
		t.Errorf("query parameters (-want +got):\n%s", d)
	}
	if d := cmp.Diff(headerSet(want.headers), headerSet(got.headers)); d != "" {
		t.Errorf("headers (-want +got):\n%s", d)
	}
	if !bytes.Equal(got.body, want.body) {
		t.Errorf("body: got %q, want %q", got.body, want.body)
	}
}

// rawOf renders req (signed) as a rawRequest.
func rawOf(req *http.Request, body []byte) *rawRequest {
	r := &rawRequest{method: req.Method, body: body, query: req.URL.RawQuery}
	r.path = req.URL.Opaque
	if r.path == "" {
		r.path = req.URL.EscapedPath()
	}
	r.headers = append(r.headers, [2]string{"Host", req.Host})
	for k, vs := range req.Header {
		for _, v := range vs {
			r.headers = append(r.headers, [2]string{k, v})
		}
	}
	return r
}

type suiteCase struct {
	name string
	ctx  suiteContext
	req  *rawRequest
	dir  string
}

func loadSuite(t testing.TB) []suiteCase {
	dirs, err := filepath.Glob(filepath.Join(suiteDir, "*", "context.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 30 {
		t.Fatalf("found %d suite cases in %s, want 30", len(dirs), suiteDir)
	}
	var cases []suiteCase
	for _, f := range dirs {
		dir := filepath.Dir(f)
		c := suiteCase{name: filepath.Base(dir), dir: dir}
		if err := json.Unmarshal(readFile(t, f), &c.ctx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if c.req, err = parseRawRequest(readFile(t, filepath.Join(dir, "request.txt"))); err != nil {
			t.Fatalf("%s: request.txt: %v", dir, err)
		}
		cases = append(cases, c)
	}
	return cases
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (c *suiteCase) expect(t *testing.T, file string) string {
	return string(readFile(t, filepath.Join(c.dir, file)))
}

func (c *suiteCase) expectRequest(t *testing.T, file string) *rawRequest {
	r, err := parseRawRequest([]byte(c.expect(t, file)))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return r
}

func (c *suiteCase) signer(debug func(string, string)) *Signer {
	return &Signer{
		S3Paths:              !c.ctx.Normalize,
		UnsignedSessionToken: c.ctx.OmitSessionToken,
		Debug:                debug,
	}
}

func (c *suiteCase) verifier() *Verifier {
	return &Verifier{
		Lookup:                    StaticLookup(c.ctx.creds()),
		Scope:                     c.ctx.scope(),
		Now:                       func() time.Time { return c.ctx.Timestamp },
		S3Paths:                   !c.ctx.Normalize,
		AllowUnsignedSessionToken: c.ctx.OmitSessionToken,
	}
}

func TestSuiteHeader(t *testing.T) {
	for _, c := range loadSuite(t) {
		c := c
		t.Run(c.name, func(t *testing.T) {
			var cr, sts string
			calls := 0
			s := c.signer(func(a, b string) { cr, sts = a, b; calls++ })
			s.AddContentSHA256Header = c.ctx.SignBody
			req := c.req.httpRequest(t)
			if err := signerAt(s, c.ctx.Timestamp).Sign(req, c.ctx.creds(), c.ctx.scope()); err != nil {
				t.Fatal(err)
			}
			if calls != 1 {
				t.Fatalf("Debug called %d times, want 1", calls)
			}
			if want := c.expect(t, "header-canonical-request.txt"); cr != want {
				t.Errorf("canonical request:\n%s\nwant:\n%s", cr, want)
			}
			if want := c.expect(t, "header-string-to-sign.txt"); sts != want {
				t.Errorf("string to sign:\n%s\nwant:\n%s", sts, want)
			}
			auth := req.Header.Get("Authorization")
			_, sig, _ := strings.Cut(auth, "Signature=")
			if want := c.expect(t, "header-signature.txt"); sig != want {
				t.Errorf("signature %s, want %s", sig, want)
			}
			compareSigned(t, rawOf(req, c.req.body), c.expectRequest(t, "header-signed-request.txt"))

			// The body is still there to send.
			if got := readBody(t, req); !bytes.Equal(got, c.req.body) {
				t.Errorf("body after signing = %q, want %q", got, c.req.body)
			}

			v, err := c.verifier().Verify(req)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if v.Credentials.AccessKeyID != c.ctx.Credentials.AccessKeyID || v.Scope != c.ctx.scope() ||
				!v.Time.Equal(c.ctx.Timestamp) || v.Presigned {
				t.Errorf("Verify = %+v", v)
			}
		})
	}
}

func TestSuitePresign(t *testing.T) {
	for _, c := range loadSuite(t) {
		c := c
		t.Run(c.name, func(t *testing.T) {
			var cr, sts string
			s := c.signer(func(a, b string) { cr, sts = a, b })
			req := c.req.httpRequest(t)
			before := headerSet(rawOf(req, nil).headers)
			signedURL, hdr, err := signerAt(s, c.ctx.Timestamp).Presign(req, c.ctx.creds(), c.ctx.scope(), time.Duration(c.ctx.ExpirationInSeconds)*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(before, headerSet(rawOf(req, nil).headers)); d != "" {
				t.Errorf("Presign changed the request's headers (-before +after):\n%s", d)
			}
			appended, err := signerAt(c.signer(nil), c.ctx.Timestamp).AppendPresign([]byte("before:"), req, c.ctx.creds(), c.ctx.scope(), time.Duration(c.ctx.ExpirationInSeconds)*time.Second)
			if err != nil {
				t.Fatalf("AppendPresign: %v", err)
			}
			if got, want := string(appended), "before:"+signedURL; got != want {
				t.Errorf("AppendPresign appended\n%s\nwant\n%s", got, want)
			}
			if want := c.expect(t, "query-canonical-request.txt"); cr != want {
				t.Errorf("canonical request:\n%s\nwant:\n%s", cr, want)
			}
			if want := c.expect(t, "query-string-to-sign.txt"); sts != want {
				t.Errorf("string to sign:\n%s\nwant:\n%s", sts, want)
			}
			prefix := "https://" + req.Host
			if !strings.HasPrefix(signedURL, prefix) {
				t.Fatalf("URL %q does not start with %q", signedURL, prefix)
			}
			got := &rawRequest{method: req.Method, body: c.req.body}
			got.path, got.query, _ = strings.Cut(strings.TrimPrefix(signedURL, prefix), "?")
			got.headers = append(got.headers, [2]string{"Host", req.Host})
			for k, vs := range hdr {
				for _, v := range vs {
					got.headers = append(got.headers, [2]string{k, v})
				}
			}
			compareSigned(t, got, c.expectRequest(t, "query-signed-request.txt"))
			q, err := url.ParseQuery(got.query)
			if err != nil {
				t.Fatal(err)
			}
			if want := c.expect(t, "query-signature.txt"); q.Get("X-Amz-Signature") != want {
				t.Errorf("signature %s, want %s", q.Get("X-Amz-Signature"), want)
			}

			// What a server would receive.
			sreq := c.req.httpRequest(t)
			sreq.URL = suiteURL(req.Host, got.path, got.query)
			v, err := c.verifier().Verify(sreq)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !v.Presigned || v.Expires != time.Duration(c.ctx.ExpirationInSeconds)*time.Second {
				t.Errorf("Verify = %+v", v)
			}
		})
	}
}

func readBody(t testing.TB, req *http.Request) []byte {
	t.Helper()
	if req.Body == nil {
		return nil
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(req.Body); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestParseRawRequest checks the request.txt parser on what the suite's
// cases do not all show: continuation lines, a target with spaces, a body.
func TestParseRawRequest(t *testing.T) {
	r, err := parseRawRequest([]byte("GET /a b/?x=1 HTTP/1.1\nHost:h\nMy-Header1:value1\n  value2\n\tvalue3\nX: y \n\nbody\n\nmore"))
	if err != nil {
		t.Fatal(err)
	}
	want := &rawRequest{
		method: "GET", path: "/a b/", query: "x=1", hasQuery: true,
		headers: [][2]string{{"Host", "h"}, {"My-Header1", "value1 value2 value3"}, {"X", " y "}},
		body:    []byte("body\n\nmore"),
	}
	if d := cmp.Diff(want, r, cmp.AllowUnexported(rawRequest{})); d != "" {
		t.Errorf("parse (-want +got):\n%s", d)
	}
	for _, bad := range []string{"GET\n", " continuation\n", "GET / HTTP/1.1\n folded\n", "GET / HTTP/1.1\nnocolon\n"} {
		if _, err := parseRawRequest([]byte(bad)); err == nil {
			t.Errorf("parse %q: no error", bad)
		}
	}
}
