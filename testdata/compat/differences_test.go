package compat

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sigv4"
)

// docCase returns a Case with the credentials, scope and time of the AWS
// SigV4 test suite, for method and rawURL, with headers given as
// "Name: value".
func docCase(method, rawURL string, headers ...string) Case {
	c := Case{
		Method:  method,
		URL:     rawURL,
		Creds:   credentials.New("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""),
		Region:  "us-east-1",
		Service: "service",
		Time:    time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC),
		Expires: time.Hour,
	}
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		c.Header = append(c.Header, Header{name, strings.TrimPrefix(value, " ")})
	}
	return c
}

// The signers compared, as named in DIFFERENCES.md.
const (
	callerid = "callerid"
	sdk      = "aws-sdk-go-v2"
	botocore = "botocore"
)

// difference is one row of DIFFERENCES.md: an input and, for each signer,
// a piece of the canonical request it builds for it (a line, with the
// newlines around it, where that matters).
type difference struct {
	name    string
	presign bool
	c       Case
	want    map[string]string
}

// differences are the rows of DIFFERENCES.md, and a few points on which
// the signers agree and once did not (or easily might not).
var differences = []difference{
	// Paths.
	{name: "dot segments", c: docCase("GET", "https://example.amazonaws.com/a/./b/../c"),
		want: map[string]string{callerid: "\n/a/c\n", botocore: "\n/a/c\n", sdk: "\n/a/./b/../c\n"}},
	{name: "repeated slashes", c: docCase("GET", "https://example.amazonaws.com/a//b//"),
		want: map[string]string{callerid: "\n/a/b/\n", botocore: "\n/a/b/\n", sdk: "\n/a//b//\n"}},
	{name: "path ending in dot-dot", c: docCase("GET", "https://example.amazonaws.com/a/b/.."),
		want: map[string]string{callerid: "\n/a/\n", botocore: "\n/a\n", sdk: "\n/a/b/..\n"}},
	{name: "path ending in dot", c: docCase("GET", "https://example.amazonaws.com/a/."),
		want: map[string]string{callerid: "\n/a/\n", botocore: "\n/a\n", sdk: "\n/a/.\n"}},
	{name: "escapes in the path are encoded again", c: docCase("GET", "https://example.amazonaws.com/caf%C3%A9%20x/%c3%a9"),
		want: map[string]string{callerid: "\n/caf%25C3%25A9%2520x/%25c3%25a9\n", botocore: "\n/caf%25C3%25A9%2520x/%25c3%25a9\n", sdk: "\n/caf%25C3%25A9%2520x/%25c3%25a9\n"}},
	{name: "S3 path with a sub-delim Go leaves unescaped", c: s3Case(docCase("GET", "https://bucket.s3.amazonaws.com/a$b/c:d")),
		want: map[string]string{callerid: "\n/a%24b/c%3Ad\n", botocore: "\n/a$b/c:d\n", sdk: "\n/a$b/c:d\n"}},
	{name: "S3 path with lower-case escapes", c: s3Case(docCase("GET", "https://bucket.s3.amazonaws.com/caf%c3%a9")),
		want: map[string]string{callerid: "\n/caf%C3%A9\n", botocore: "\n/caf%c3%a9\n", sdk: "\n/caf%c3%a9\n"}},
	{name: "S3 empty path", c: s3Case(docCase("GET", "https://bucket.s3.amazonaws.com")),
		want: map[string]string{callerid: "GET\n/\n", botocore: "GET\n\n", sdk: "GET\n/\n"}},

	// Query strings.
	{name: "query sorted by encoded name", c: docCase("GET", "https://example.amazonaws.com/?z=1&%C3%A9=2&a%3A=3&a9=4&a=2&a=1"),
		want: map[string]string{callerid: "\n%C3%A9=2&a=1&a=2&a%3A=3&a9=4&z=1\n", botocore: "\n%C3%A9=2&a=1&a=2&a%3A=3&a9=4&z=1\n", sdk: "\n%C3%A9=2&a=1&a=2&a%3A=3&a9=4&z=1\n"}},
	{name: "empty query values and keys", c: docCase("GET", "https://example.amazonaws.com/?b&a=&=c"),
		want: map[string]string{callerid: "\n=c&a=&b=\n", botocore: "\n=c&a=&b=\n", sdk: "\n=c&a=&b=\n"}},
	{name: "plus in the query", c: docCase("GET", "https://example.amazonaws.com/?a=b+c"),
		want: map[string]string{callerid: "\na=b%20c\n", botocore: "\na=b+c\n", sdk: "\na=b%20c\n"}},
	{name: "lower-case escapes in the query", c: docCase("GET", "https://example.amazonaws.com/?a=caf%c3%a9"),
		want: map[string]string{callerid: "\na=caf%C3%A9\n", botocore: "\na=caf%c3%a9\n", sdk: "\na=caf%C3%A9\n"}},
	{name: "unescaped reserved characters in the query", c: docCase("GET", "https://example.amazonaws.com/?a=b:c/d!"),
		want: map[string]string{callerid: "\na=b%3Ac%2Fd%21\n", botocore: "\na=b:c/d!\n", sdk: "\na=b%3Ac%2Fd%21\n"}},
	{name: "empty pair in the query", c: docCase("GET", "https://example.amazonaws.com/?a=1&&b=2"),
		want: map[string]string{callerid: "\na=1&b=2\n", botocore: "\n=&a=1&b=2\n", sdk: "\na=1&b=2\n"}},
	manyParams(),
	{name: "semicolon in the query", c: docCase("GET", "https://example.amazonaws.com/?a=1;b=2&c=3"),
		want: map[string]string{callerid: "\na=1%3Bb%3D2&c=3\n", botocore: "\na=1;b=2&c=3\n", sdk: "\nc=3\n"}},

	// Headers.
	{name: "runs of spaces in header values", c: docCase("GET", "https://example.amazonaws.com/", `My-Header2:   "a   b   c"  `),
		want: map[string]string{callerid: "\nmy-header2:\"a b c\"\n", botocore: "\nmy-header2:\"a b c\"\n", sdk: "\nmy-header2:\"a b c\"\n"}},
	{name: "tabs in header values", c: docCase("GET", "https://example.amazonaws.com/", "My-Header: \ta\t\tb \t"),
		want: map[string]string{callerid: "\nmy-header:a\t\tb\n", botocore: "\nmy-header:a b\n", sdk: "\nmy-header:a\t\tb\n"}},
	{name: "no-break spaces in header values", c: docCase("GET", "https://example.amazonaws.com/", "My-Header: a\u00a0\u00a0b"),
		want: map[string]string{callerid: "\nmy-header:a\u00a0\u00a0b\n", botocore: "\nmy-header:a b\n", sdk: "\nmy-header:a\u00a0\u00a0b\n"}},
	{name: "multi-value header with an empty value", c: docCase("GET", "https://example.amazonaws.com/", "My-Header: b", "My-Header: ", "My-Header: a"),
		want: map[string]string{callerid: "\nmy-header:b,,a\n", botocore: "\nmy-header:b,,a\n", sdk: "\nmy-header:b,,a\n"}},
	{name: "Content-Length", c: withBody(docCase("POST", "https://sts.amazonaws.com/", "Content-Type: application/x-www-form-urlencoded; charset=utf-8"), "Action=GetCallerIdentity&Version=2011-06-15"),
		want: map[string]string{callerid: "\ncontent-type;host;x-amz-date\n", botocore: "\ncontent-type;host;x-amz-date\n", sdk: "\ncontent-length;content-type;host;x-amz-date\n"}},
	{name: "hop-by-hop headers", c: docCase("GET", "https://example.amazonaws.com/", "Connection: keep-alive", "Keep-Alive: timeout=5", "Te: trailers", "Upgrade: h2c"),
		want: map[string]string{callerid: "\nhost;x-amz-date\n", botocore: "\nhost;x-amz-date\n", sdk: "\nconnection;host;keep-alive;te;upgrade;x-amz-date\n"}},
	{name: "Transfer-Encoding", c: docCase("GET", "https://example.amazonaws.com/", "Transfer-Encoding: chunked"),
		want: map[string]string{callerid: "\nhost;x-amz-date\n", botocore: "\nhost;x-amz-date\n", sdk: "\nhost;x-amz-date\n"}},
	{name: "User-Agent, Expect, X-Amzn-Trace-Id", c: docCase("PUT", "https://example.amazonaws.com/", "User-Agent: x/1", "Expect: 100-continue", "X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793"),
		want: map[string]string{callerid: "\nhost;x-amz-date\n", botocore: "\nhost;x-amz-date\n", sdk: "\nhost;x-amz-date\n"}},
	{name: "Date header", c: docCase("GET", "https://example.amazonaws.com/", "Date: Mon, 09 Sep 2011 23:36:00 GMT"),
		want: map[string]string{callerid: "\ndate;host;x-amz-date\n", botocore: "\ndate;host\n", sdk: "\ndate;host;x-amz-date\n"}},
	{name: "stale X-Amz-Security-Token, no session token", c: docCase("GET", "https://example.amazonaws.com/", "X-Amz-Security-Token: stale"),
		want: map[string]string{callerid: "\nhost;x-amz-date\n", botocore: "\nhost;x-amz-date;x-amz-security-token\n", sdk: "\nhost;x-amz-date;x-amz-security-token\n"}},
	{name: "default port in the URL", c: docCase("GET", "https://example.amazonaws.com:443/"),
		want: map[string]string{callerid: "\nhost:example.amazonaws.com:443\n", botocore: "\nhost:example.amazonaws.com\n", sdk: "\nhost:example.amazonaws.com\n"}},
	{name: "upper-case host", c: docCase("GET", "https://EXAMPLE.amazonaws.com/"),
		want: map[string]string{callerid: "\nhost:EXAMPLE.amazonaws.com\n", botocore: "\nhost:example.amazonaws.com\n", sdk: "\nhost:EXAMPLE.amazonaws.com\n"}},

	// Presigning.
	{name: "presign: session token", presign: true, c: withToken(docCase("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"), "token/+="),
		want: map[string]string{
			callerid: "&X-Amz-Security-Token=token%2F%2B%3D&X-Amz-SignedHeaders=host\n",
			botocore: "&X-Amz-Security-Token=token%2F%2B%3D&X-Amz-SignedHeaders=host\n",
			sdk:      "&X-Amz-Security-Token=token%2F%2B%3D&X-Amz-SignedHeaders=host\n"}},
	{name: "presign: signed header (EKS token)", presign: true, c: docCase("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", "x-k8s-aws-id: my-cluster"),
		want: map[string]string{
			callerid: eksTail, botocore: eksTail, sdk: eksTail}},
	{name: "presign: X-Amz-* header", presign: true, c: docCase("GET", "https://example.amazonaws.com/", "X-Amz-Target: a.B"),
		want: map[string]string{callerid: "\nhost;x-amz-target\n", botocore: "\nhost;x-amz-target\n", sdk: "&X-Amz-Target=a.B\nhost:example.amazonaws.com\n\nhost\n"}},
	{name: "presign: repeated query key", presign: true, c: docCase("GET", "https://example.amazonaws.com/?a=2&a=1"),
		want: map[string]string{callerid: "&X-Amz-SignedHeaders=host&a=1&a=2\n", botocore: "&X-Amz-SignedHeaders=host&a=2\n", sdk: "&X-Amz-SignedHeaders=host&a=1&a=2\n"}},
	{name: "presign: form body", presign: true, c: withBody(docCase("POST", "https://sts.amazonaws.com/", "Content-Type: application/x-www-form-urlencoded; charset=utf-8"), "Action=GetCallerIdentity&Version=2011-06-15"),
		want: map[string]string{
			callerid: "\n/\nX-Amz-Algorithm=AWS4-HMAC-SHA256&",
			botocore: "\n/\nAction=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&",
			sdk:      "\n/\nX-Amz-Algorithm=AWS4-HMAC-SHA256&"}},
	{name: "presign: stale Authorization header", presign: true, c: docCase("GET", "https://example.amazonaws.com/", "Authorization: stale"),
		want: map[string]string{callerid: "\nhost\n", botocore: "\nauthorization;host\n", sdk: "\nhost\n"}},
}

// manyParams is a query of 10,001 parameters: Go 1.26's url.ParseQuery
// refuses more than 10,000 (GODEBUG urlmaxqueryparams), and the SDK, which
// ignores the error of URL.Query, then signs an empty query.
func manyParams() difference {
	q := strings.Repeat("a=b&", 10000) + "a=b"
	d := difference{name: "more than 10,000 query parameters", c: docCase("GET", "https://example.amazonaws.com/?"+q),
		want: map[string]string{callerid: "\n/\na=b&a=b&a=b&", botocore: "\n/\na=b&a=b&a=b&", sdk: "\n/\na=b&a=b&a=b&"}}
	if _, err := url.ParseQuery(q); err != nil {
		d.want[sdk] = "GET\n/\n\nhost:"
	}
	return d
}

// eksTail is how the canonical request of an EKS token ends.
const eksTail = "&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id\nhost:sts.amazonaws.com\nx-k8s-aws-id:my-cluster\n\nhost;x-k8s-aws-id\n" + sigv4.EmptyPayloadHash

func s3Case(c Case) Case {
	c.S3Paths = true
	c.Service = "s3"
	// botocore's S3 header signer always adds the header, with the hash.
	c.AddContentSHA256Header = true
	return c
}

func withBody(c Case, body string) Case {
	c.Body = []byte(body)
	return c
}

func withToken(c Case, token string) Case {
	c.Creds = credentials.New(c.Creds.AccessKeyID, c.Creds.SecretAccessKey(), token)
	return c
}

// TestDocumentedDifferences checks the rows of DIFFERENCES.md: for each
// input, the canonical request each signer builds has the piece the table
// says. It fails when any signer changes its behavior, so that the table
// stays true.
func TestDocumentedDifferences(t *testing.T) {
	python := peertest.Require(t, "python3")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var header, query []Case
	for _, d := range differences {
		if d.presign {
			query = append(query, d.c)
		} else {
			header = append(header, d.c)
		}
	}
	bHeader, err := BotocoreSign(ctx, python, header, BotocoreHeader)
	if err != nil {
		t.Fatal(err)
	}
	bQuery, err := BotocoreSign(ctx, python, query, BotocoreQuery)
	if err != nil {
		t.Fatal(err)
	}

	var ih, iq int
	for _, d := range differences {
		var boto Signed
		if d.presign {
			boto, iq = bQuery[iq], iq+1
		} else {
			boto, ih = bHeader[ih], ih+1
		}
		t.Run(d.name, func(t *testing.T) {
			c := d.c
			var ours Signed
			var err error
			if d.presign {
				ours, err = OursPresign(&c)
			} else {
				ours, err = OursSign(&c)
			}
			if err != nil {
				t.Fatalf("callerid: %v", err)
			}
			theirs, err := SDKDefault(&c, d.presign)
			if err != nil {
				t.Fatalf("SDK: %v", err)
			}
			for _, got := range []struct {
				peer string
				s    Signed
			}{{callerid, ours}, {sdk, theirs}, {botocore, boto}} {
				want := d.want[got.peer]
				if want == "" {
					t.Fatalf("no expectation for %s", got.peer)
				}
				if !strings.Contains(got.s.CanonicalRequest, want) {
					cr := got.s.CanonicalRequest
					if len(cr) > 4000 {
						cr = cr[:2000] + "…" + cr[len(cr)-2000:]
					}
					t.Errorf("%s's canonical request lacks %q:\n%s", got.peer, want, cr)
				}
			}
		})
	}
}
