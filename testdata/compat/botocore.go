package compat

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/callerid/callerid/sigv4"
)

//go:embed botocore_sign.py
var botocoreScript string

// BotocoreMode says how botocore signs: in the Authorization header
// (botocore.auth.SigV4Auth, or S3SigV4Auth for S3 paths) or in the query
// (SigV4QueryAuth, or S3SigV4QueryAuth).
type BotocoreMode string

// The two ways botocore signs.
const (
	BotocoreHeader BotocoreMode = "header"
	BotocoreQuery  BotocoreMode = "query"
)

type botocoreRequest struct {
	ID        int        `json:"id"`
	Mode      string     `json:"mode"`
	S3        bool       `json:"s3"`
	Method    string     `json:"method"`
	URL       string     `json:"url"`
	Headers   [][]string `json:"headers"`
	Body      string     `json:"body,omitempty"`
	AccessKey string     `json:"access_key"`
	SecretKey string     `json:"secret_key"`
	Token     string     `json:"token,omitempty"`
	Region    string     `json:"region"`
	Service   string     `json:"service"`
	Time      string     `json:"time"`
	Expires   int64      `json:"expires"`
}

type botocoreResult struct {
	ID               int        `json:"id"`
	URL              string     `json:"url"`
	Headers          [][]string `json:"headers"`
	CanonicalRequest string     `json:"canonical_request"`
	Error            string     `json:"error"`
}

// BotocoreVersion returns the version of botocore that python runs.
func BotocoreVersion(ctx context.Context, python string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", botocoreScript, "--version")
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s: %w", python, err)
	}
	return string(bytes.TrimSpace(out)), nil
}

// BotocoreSign signs every case with botocore, in one python process fed
// one JSON line per case, and returns what it made of each, in order. The
// process is killed when ctx is done.
//
// The headers of a header signature are returned as Signed.Header with
// canonical names, without the Host header that botocore is given when
// c.Host is set (callerid and the SDK keep it in http.Request.Host).
// For S3 paths the S3 signers are used: in header form they add
// X-Amz-Content-Sha256 with the hash of the body, in query form they sign
// UNSIGNED-PAYLOAD; Generate's botocore profiles set the Case's knobs to
// match. When c.Host is set, the presigned URL is given that host, as
// callerid's has it. Outside S3, c.AddContentSHA256Header is done by giving botocore
// the header, whose value it then signs as the payload hash.
func BotocoreSign(ctx context.Context, python string, cases []Case, mode BotocoreMode) ([]Signed, error) {
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for i := range cases {
		c := &cases[i]
		r := botocoreRequest{
			ID:        i,
			Mode:      string(mode),
			S3:        c.S3Paths,
			Method:    c.Method,
			URL:       c.URL,
			Headers:   [][]string{},
			AccessKey: c.Creds.AccessKeyID,
			SecretKey: c.Creds.SecretAccessKey(),
			Token:     c.Creds.SessionToken(),
			Region:    c.Region,
			Service:   c.Service,
			Time:      c.Time.UTC().Format("20060102T150405Z"),
			Expires:   int64(c.Expires / time.Second),
		}
		if len(c.Body) > 0 {
			r.Body = base64.StdEncoding.EncodeToString(c.Body)
		}
		if c.Host != "" {
			r.Headers = append(r.Headers, []string{"Host", c.Host})
		}
		for _, h := range c.Header {
			r.Headers = append(r.Headers, []string{h.Name, h.Value})
		}
		if mode == BotocoreHeader && c.AddContentSHA256Header && !c.S3Paths && !c.hasHeader(sigv4.HeaderContentSHA256) {
			r.Headers = append(r.Headers, []string{sigv4.HeaderContentSHA256, c.PayloadHash()})
		}
		if err := enc.Encode(r); err != nil {
			return nil, err
		}
	}

	cmd := exec.CommandContext(ctx, python, "-c", botocoreScript)
	cmd.WaitDelay = 5 * time.Second
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	out := make([]Signed, len(cases))
	seen := 0
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	var readErr error
	for sc.Scan() {
		var res botocoreResult
		if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
			readErr = fmt.Errorf("botocore answered %q: %w", sc.Text(), err)
			break
		}
		if res.ID < 0 || res.ID >= len(cases) {
			readErr = fmt.Errorf("botocore answered for unknown id %d", res.ID)
			break
		}
		if res.Error != "" {
			readErr = fmt.Errorf("botocore failed to sign %v: %s", &cases[res.ID], res.Error)
			break
		}
		s := Signed{URL: res.URL, CanonicalRequest: res.CanonicalRequest}
		if c := &cases[res.ID]; mode == BotocoreQuery && c.Host != "" {
			// Like the SDK, botocore signs the Host header but leaves the
			// URL's host in the presigned URL; callerid puts the signed
			// host in the URL.
			if u, err := url.Parse(s.URL); err == nil {
				u.Host = c.Host
				s.URL = u.String()
			}
		}
		if mode == BotocoreHeader {
			s.URL = cases[res.ID].URL
			s.Header = http.Header{}
			for _, kv := range res.Headers {
				if http.CanonicalHeaderKey(kv[0]) == "Host" {
					continue
				}
				s.Header.Add(kv[0], kv[1])
			}
		}
		out[res.ID] = s
		seen++
	}
	if readErr == nil {
		readErr = sc.Err()
	}
	io.Copy(io.Discard, stdout)
	waitErr := cmd.Wait()
	if readErr != nil {
		return nil, readErr
	}
	if waitErr != nil {
		return nil, fmt.Errorf("python botocore signer: %w (ctx: %v)\n%s", waitErr, ctx.Err(), stderr.String())
	}
	if seen != len(cases) {
		return nil, fmt.Errorf("botocore signed %d of %d cases:\n%s", seen, len(cases), stderr.String())
	}
	return out, nil
}

// QueryPairs returns the raw "name=value" pairs of a URL's query, sorted,
// to compare presigned URLs whose parameters come in another order.
func QueryPairs(rawURL string) []string {
	_, q, _ := strings.Cut(rawURL, "?")
	if q == "" {
		return nil
	}
	pairs := strings.Split(q, "&")
	slices.Sort(pairs)
	return pairs
}
