package compat

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sigv4"
)

// suiteDir holds the AWS SigV4 test suite (from aws-c-auth).
const suiteDir = "../sigv4-testsuite"

// suiteCase is one case of the suite, read from its folder.
type suiteCase struct {
	name      string
	method    string
	host      string
	path      string // as on the request line, not encoded
	query     string
	header    []Header // without Host
	body      []byte
	normalize bool // false: the S3 rule
	signBody  bool
	omitToken bool
	creds     credentials.Credentials
	region    string
	service   string
	time      time.Time
	expires   time.Duration
	// The expected signatures.
	headerSig, querySig string
}

func loadSuite(t *testing.T) []suiteCase {
	t.Helper()
	dirs, err := os.ReadDir(suiteDir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []suiteCase
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(suiteDir, d.Name())
		read := func(name string) string {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		var ctx struct {
			Credentials struct {
				AccessKeyID     string `json:"access_key_id"`
				SecretAccessKey string `json:"secret_access_key"`
				Token           string `json:"token"`
			}
			Expiration int       `json:"expiration_in_seconds"`
			Normalize  bool      `json:"normalize"`
			Region     string    `json:"region"`
			Service    string    `json:"service"`
			SignBody   bool      `json:"sign_body"`
			Timestamp  time.Time `json:"timestamp"`
			OmitToken  bool      `json:"omit_session_token"`
		}
		if err := json.Unmarshal([]byte(read("context.json")), &ctx); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		sc := suiteCase{
			name:      d.Name(),
			normalize: ctx.Normalize,
			signBody:  ctx.SignBody,
			omitToken: ctx.OmitToken,
			creds:     credentials.New(ctx.Credentials.AccessKeyID, ctx.Credentials.SecretAccessKey, ctx.Credentials.Token),
			region:    ctx.Region,
			service:   ctx.Service,
			time:      ctx.Timestamp,
			expires:   time.Duration(ctx.Expiration) * time.Second,
			headerSig: strings.TrimSpace(read("header-signature.txt")),
			querySig:  strings.TrimSpace(read("query-signature.txt")),
		}
		head, body, _ := strings.Cut(strings.ReplaceAll(read("request.txt"), "\r\n", "\n"), "\n\n")
		sc.body = []byte(body)
		lines := strings.Split(head, "\n")
		method, rest, _ := strings.Cut(lines[0], " ")
		target := strings.TrimSuffix(rest, " HTTP/1.1")
		sc.method = method
		sc.path, sc.query, _ = strings.Cut(target, "?")
		for _, l := range lines[1:] {
			if l == "" {
				continue
			}
			if l[0] == ' ' || l[0] == '\t' { // continues the previous header
				sc.header[len(sc.header)-1].Value += " " + strings.TrimSpace(l)
				continue
			}
			name, value, _ := strings.Cut(l, ":")
			if strings.EqualFold(name, "Host") {
				sc.host = value
				continue
			}
			sc.header = append(sc.header, Header{name, value})
		}
		cases = append(cases, sc)
	}
	if len(cases) < 30 {
		t.Fatalf("found %d cases of the test suite in %s, want 30", len(cases), suiteDir)
	}
	return cases
}

// request returns the suite case as an *http.Request whose path on the
// wire is the suite's, unencoded: set in URL.Opaque, which callerid and
// the SDK both take as the path as sent.
func (sc *suiteCase) request() *http.Request {
	req, err := http.NewRequest(sc.method, "https://"+sc.host+"/", strings.NewReader(string(sc.body)))
	if err != nil {
		panic(err)
	}
	if len(sc.body) == 0 {
		req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
	}
	req.URL.Opaque = "//" + sc.host + sc.path
	req.URL.RawQuery = sc.query
	for _, h := range sc.header {
		req.Header.Add(h.Name, h.Value)
	}
	return req
}

func (sc *suiteCase) payloadHash() string {
	if !sc.signBody {
		return sigv4.EmptyPayloadHash
	}
	return (&Case{Body: sc.body}).PayloadHash()
}

func signatureOf(authorization string) string {
	_, sig, _ := strings.Cut(authorization, "Signature=")
	return sig
}

func querySignatureOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "unparsable URL: " + err.Error()
	}
	return u.Query().Get("X-Amz-Signature")
}

// suiteMisses are the cases of the test suite each signer does not sign
// as the suite says, with the reason; "n/a" marks cases the signer has no
// way to sign (a knob it lacks), which are not run.
var suiteMisses = map[string]map[string]string{
	callerid: {},
	sdk: {
		// The SDK never normalizes paths.
		"get-relative-normalized header":          "no path normalization",
		"get-relative-normalized query":           "no path normalization",
		"get-relative-relative-normalized header": "no path normalization",
		"get-relative-relative-normalized query":  "no path normalization",
		"get-slash-dot-slash-normalized header":   "no path normalization",
		"get-slash-dot-slash-normalized query":    "no path normalization",
		"get-slash-normalized header":             "no path normalization",
		"get-slash-normalized query":              "no path normalization",
		"get-slashes-normalized header":           "no path normalization",
		"get-slashes-normalized query":            "no path normalization",
	},
	botocore: {
		// botocore's S3 signers, the only ones that do not normalize,
		// always add X-Amz-Content-Sha256: not run.
		"get-relative-unnormalized header":            "n/a",
		"get-relative-unnormalized query":             "n/a",
		"get-slash-dot-slash-unnormalized header":     "n/a",
		"get-slash-dot-slash-unnormalized query":      "n/a",
		"get-slash-pointless-dot-unnormalized header": "n/a",
		"get-slash-pointless-dot-unnormalized query":  "n/a",
		"get-slash-unnormalized header":               "n/a",
		"get-slash-unnormalized query":                "n/a",
		"get-slashes-unnormalized header":             "n/a",
		"get-slashes-unnormalized query":              "n/a",
		"get-space-unnormalized header":               "n/a",
		"get-space-unnormalized query":                "n/a",
		// Its presigner moves a form body into the query.
		"post-x-www-form-urlencoded query": "n/a",
	},
}

// TestSuiteAllSigners signs every case of the AWS SigV4 test suite, in
// both forms, with callerid, aws-sdk-go-v2 (as it comes: it has no path
// normalization to turn on) and botocore (SigV4Auth and SigV4QueryAuth,
// which normalize paths), and checks the cases each one gets wrong against
// suiteMisses: callerid must get none wrong; the others' misses are the
// evidence for DIFFERENCES.md.
func TestSuiteAllSigners(t *testing.T) {
	python := peertest.Require(t, "python3")
	suite := loadSuite(t)
	got := map[string]map[string]string{callerid: {}, sdk: {}, botocore: {}}
	miss := func(peer, key, reason string) { got[peer][key] = reason }

	// botocore, in one batch per form.
	var bcases []Case
	var bkeys []string
	for _, sc := range suite {
		if !sc.normalize {
			miss(botocore, sc.name+" header", "n/a")
			miss(botocore, sc.name+" query", "n/a")
			continue
		}
		c := Case{
			Method: sc.method, URL: "https://" + sc.host + sc.path, Header: sc.header, Body: sc.body,
			Creds: sc.creds, Region: sc.region, Service: sc.service, Time: sc.time, Expires: sc.expires,
		}
		if sc.query != "" {
			c.URL += "?" + sc.query
		}
		if sc.signBody {
			c.Header = append(slices.Clone(c.Header), Header{sigv4.HeaderContentSHA256, sc.payloadHash()})
		}
		bcases = append(bcases, c)
		bkeys = append(bkeys, sc.name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	bh, err := BotocoreSign(ctx, python, bcases, BotocoreHeader)
	if err != nil {
		t.Fatal(err)
	}
	// botocore's presigner moves a form body into the query: it cannot
	// sign the suite's one presigned body.
	var qcases []Case
	var qkeys []string
	for i, c := range bcases {
		if len(c.Body) > 0 {
			miss(botocore, bkeys[i]+" query", "n/a")
			continue
		}
		qcases, qkeys = append(qcases, c), append(qkeys, bkeys[i])
	}
	bq, err := BotocoreSign(ctx, python, qcases, BotocoreQuery)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]suiteCase{}
	for _, sc := range suite {
		byName[sc.name] = sc
	}
	for i, name := range bkeys {
		sc := byName[name]
		if s := signatureOf(bh[i].Header.Get("Authorization")); s != sc.headerSig {
			miss(botocore, name+" header", "signature "+s)
		}
	}
	for i, name := range qkeys {
		if s := querySignatureOf(bq[i].URL); s != byName[name].querySig {
			miss(botocore, name+" query", "signature "+s)
		}
	}

	for _, sc := range suite {
		// callerid.
		s := &sigv4.Signer{S3Paths: !sc.normalize, AddContentSHA256Header: sc.signBody, UnsignedSessionToken: sc.omitToken,
			Now: func() time.Time { return sc.time }}
		scope := sigv4.Scope{Service: sc.service, Region: sc.region}
		req := sc.request()
		if err := s.Sign(req, sc.creds, scope); err != nil {
			miss(callerid, sc.name+" header", err.Error())
		} else if sig := signatureOf(req.Header.Get("Authorization")); sig != sc.headerSig {
			miss(callerid, sc.name+" header", "signature "+sig)
		}
		// The query form hashes the body only with sign_body (and then adds
		// no header).
		req = sc.request()
		if !sc.signBody {
			req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
		}
		if u, _, err := s.Presign(req, sc.creds, scope, sc.expires); err != nil {
			miss(callerid, sc.name+" query", err.Error())
		} else if sig := querySignatureOf(u); sig != sc.querySig {
			miss(callerid, sc.name+" query", "signature "+sig)
		}

		// aws-sdk-go-v2, which cannot leave the session token unsigned.
		if sc.omitToken {
			miss(sdk, sc.name+" header", "n/a")
			miss(sdk, sc.name+" query", "n/a")
			continue
		}
		creds := sdkCreds(&Case{Creds: sc.creds})
		req = sc.request()
		if sc.signBody {
			req.Header.Set(sigv4.HeaderContentSHA256, sc.payloadHash())
		}
		if err := sdkSigner(false).SignHTTP(context.Background(), creds, req, sc.payloadHash(), sc.service, sc.region, sc.time); err != nil {
			miss(sdk, sc.name+" header", err.Error())
		} else if sig := signatureOf(req.Header.Get("Authorization")); sig != sc.headerSig {
			miss(sdk, sc.name+" header", "signature "+sig)
		}
		req = sc.request()
		q := req.URL.Query()
		q.Set("X-Amz-Expires", "3600")
		req.URL.RawQuery = q.Encode()
		if u, _, err := sdkSigner(false).PresignHTTP(context.Background(), creds, req, sc.payloadHash(), sc.service, sc.region, sc.time); err != nil {
			miss(sdk, sc.name+" query", err.Error())
		} else if sig := querySignatureOf(u); sig != sc.querySig {
			miss(sdk, sc.name+" query", "signature "+sig)
		}
	}

	for _, peer := range []string{callerid, sdk, botocore} {
		reasons := func(m map[string]string) map[string]string {
			out := map[string]string{}
			for k, v := range m {
				if strings.HasPrefix(v, "signature ") {
					v = "wrong signature"
				}
				out[k] = v
			}
			return out
		}
		want := map[string]string{}
		for k, v := range suiteMisses[peer] {
			if !strings.HasPrefix(v, "n/a") {
				v = "wrong signature"
			}
			want[k] = v
		}
		if diff := cmp.Diff(want, reasons(got[peer])); diff != "" {
			t.Errorf("%s: the test suite cases it misses differ from suiteMisses (-want +got):\n%s\ndetails: %v", peer, diff, got[peer])
		}
		t.Logf("%s: %d of %d signatures as the suite says, %d not run", peer,
			2*len(suite)-len(got[peer]), 2*len(suite), countNA(got[peer]))
	}
}

func countNA(m map[string]string) int {
	n := 0
	for _, v := range m {
		if v == "n/a" {
			n++
		}
	}
	return n
}
