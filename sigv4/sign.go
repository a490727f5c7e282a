package sigv4

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Algorithm is the signing algorithm named in every SigV4 signature.
const Algorithm = "AWS4-HMAC-SHA256"

// EmptyPayloadHash is the hex SHA-256 of an empty body.
const EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// UnsignedPayload stands in for the payload hash when the body is not signed.
const UnsignedPayload = "UNSIGNED-PAYLOAD"

// Header names the signer reads or writes.
const (
	HeaderDate          = "X-Amz-Date"
	HeaderSecurityToken = "X-Amz-Security-Token"
	HeaderContentSHA256 = "X-Amz-Content-Sha256"
	HeaderAuthorization = "Authorization"
)

const timeFormat = "20060102T150405Z"
const dateFormat = "20060102"

// ignoredHeaders are never signed: clients and proxies change them in flight.
var ignoredHeaders = map[string]bool{
	"authorization":   true,
	"user-agent":      true,
	"x-amzn-trace-id": true,
	"expect":          true,
}

// A Signer signs requests. The zero value signs as the AWS services other
// than S3 expect.
type Signer struct {
	// AddContentSHA256Header adds the X-Amz-Content-Sha256 header, which
	// S3 requires and other services ignore.
	AddContentSHA256Header bool
}

// Sign signs req for the given region and service at time t, in place.
//
// The payload hash is taken from an X-Amz-Content-Sha256 header already
// on req, or computed from the body, which is read through req.GetBody so
// that it is not consumed. A body that cannot be re-read is an error.
func (s *Signer) Sign(req *http.Request, creds Credentials, region, service string, t time.Time) error {
	if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
		return errors.New("sigv4: credentials have no access key id or no secret access key")
	}
	if region == "" || service == "" {
		return errors.New("sigv4: region and service must be set")
	}
	payloadHash := req.Header.Get(HeaderContentSHA256)
	if payloadHash == "" {
		var err error
		if payloadHash, err = hashBody(req); err != nil {
			return err
		}
	}
	t = t.UTC()
	amzDate := t.Format(timeFormat)
	req.Header.Set(HeaderDate, amzDate)
	if creds.SessionToken != "" {
		req.Header.Set(HeaderSecurityToken, creds.SessionToken)
	} else {
		req.Header.Del(HeaderSecurityToken)
	}
	if s != nil && s.AddContentSHA256Header {
		req.Header.Set(HeaderContentSHA256, payloadHash)
	}
	req.Header.Del(HeaderAuthorization)

	signedHeaders, canonicalHeaders := canonicalHeaders(req)
	canonicalRequest := strings.Join([]string{
		req.Method,
		canonicalPath(req.URL),
		canonicalQuery(req.URL.Query()),
		canonicalHeaders,
		signedHeaders,
		payloadHash,
	}, "\n")
	scope := t.Format(dateFormat) + "/" + region + "/" + service + "/aws4_request"
	crHash := sha256.Sum256([]byte(canonicalRequest))
	stringToSign := Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(crHash[:])
	key := deriveKey(creds.SecretAccessKey, t.Format(dateFormat), region, service)
	sig := hex.EncodeToString(hmacSHA256(key, []byte(stringToSign)))
	req.Header.Set(HeaderAuthorization, Algorithm+" Credential="+creds.AccessKeyID+"/"+scope+
		", SignedHeaders="+signedHeaders+", Signature="+sig)
	return nil
}

func hashBody(req *http.Request) (string, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return EmptyPayloadHash, nil
	}
	if req.GetBody == nil {
		return "", errors.New("sigv4: request body cannot be re-read (no GetBody); set X-Amz-Content-Sha256 or use a body http.NewRequest knows")
	}
	body, err := req.GetBody()
	if err != nil {
		return "", fmt.Errorf("sigv4: re-reading body: %w", err)
	}
	defer body.Close()
	h := sha256.New()
	if _, err := io.Copy(h, body); err != nil {
		return "", fmt.Errorf("sigv4: hashing body: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func canonicalHeaders(req *http.Request) (signed, canonical string) {
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	vals := map[string][]string{"host": {host}}
	names := []string{"host"}
	for k, v := range req.Header {
		lk := strings.ToLower(k)
		if ignoredHeaders[lk] || lk == "host" {
			continue
		}
		if _, ok := vals[lk]; !ok {
			names = append(names, lk)
		}
		vals[lk] = append(vals[lk], v...)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(':')
		for i, v := range vals[n] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(trimSpaces(v))
		}
		b.WriteByte('\n')
	}
	return strings.Join(names, ";"), b.String()
}

// trimSpaces trims v and collapses inner runs of spaces to one.
func trimSpaces(v string) string {
	return strings.Join(strings.Fields(v), " ")
}

func canonicalPath(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	return escape(p, false)
}

func canonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(escape(k, true))
			b.WriteByte('=')
			b.WriteString(escape(v, true))
		}
	}
	return b.String()
}

// escape percent-encodes every byte outside RFC 3986's unreserved set,
// keeping '/' unless encodeSlash is set.
func escape(s string, encodeSlash bool) string {
	const hexdig = "0123456789ABCDEF"
	var b bytes.Buffer
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encodeSlash) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexdig[c>>4])
		b.WriteByte(hexdig[c&15])
	}
	return b.String()
}

func deriveKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), []byte(date))
	k = hmacSHA256(k, []byte(region))
	k = hmacSHA256(k, []byte(service))
	return hmacSHA256(k, []byte("aws4_request"))
}

func hmacSHA256(key, data []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(data)
	return h.Sum(nil)
}
