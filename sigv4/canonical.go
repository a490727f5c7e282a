package sigv4

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// This file builds the parts of the canonical request. Everything is
// appended to the buffers of a pooled scratch value, so that signing
// allocates nothing here.

// A requestError is what keeps a request from being signed or verified:
// what is wrong, and where, and the cause, if any (the error of reading a
// body).
type requestError struct {
	what string
	err  error
}

func errorf(format string, args ...any) error {
	return &requestError{what: fmt.Sprintf(format, args...)}
}

func wrapErr(what string, err error) error { return &requestError{what: what, err: err} }

// Error returns "sigv4: " + reason.
func (e *requestError) Error() string { return "sigv4: " + e.reason() }

// reason says what is wrong, and why.
func (e *requestError) reason() string {
	if e.err == nil {
		return e.what
	}
	return e.what + ": " + e.err.Error()
}

// Unwrap returns the cause.
func (e *requestError) Unwrap() error { return e.err }

const upperHex = "0123456789ABCDEF"

// unreserved reports whether a byte is in RFC 3986's unreserved set, the
// only bytes that URI encoding leaves alone.
var unreserved = func() (t [256]bool) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
		t[c+'a'-'A'] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['_'], t['.'], t['~'] = true, true, true, true
	return t
}()

// tokenChar reports whether a byte may appear in an HTTP header name or
// method (RFC 9110 tchar).
var tokenChar = func() (t [256]bool) {
	t = unreserved
	for _, c := range "!#$%&'*+^`|" {
		t[c] = true
	}
	return t
}()

// appendEscaped appends s URI-encoded: every byte outside the unreserved
// set becomes %XX with uppercase hex; '/' is kept when keepSlash is set.
func appendEscaped(dst []byte, s string, keepSlash bool) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved[c] || c == '/' && keepSlash {
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		start = i + 1
	}
	return append(dst, s[start:]...)
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// appendReescaped decodes the percent-escapes of s (and '+' as a space when
// plus is set) and appends the result URI-encoded as appendEscaped does, in
// one pass. It returns the offset in s of the first malformed escape, or -1.
func appendReescaped(dst []byte, s string, plus, keepSlash bool) ([]byte, int) {
	start := 0 // s[start:i] needs no change
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved[c] || c == '/' && keepSlash {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch {
		case c == '%':
			if i+2 >= len(s) {
				return dst, i
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return dst, i
			}
			c = hi<<4 | lo
			i += 2
		case c == '+' && plus:
			c = ' '
		}
		if unreserved[c] || c == '/' && keepSlash {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
		start = i + 1
	}
	return append(dst, s[start:]...), -1
}

// wirePath returns the path of u as it is sent on the request line: the
// path part of u.Opaque when set (either "/p" or "//host/p"), otherwise
// u.EscapedPath().
func wirePath(u *url.URL) string {
	if p := u.Opaque; p != "" {
		if strings.HasPrefix(p, "//") {
			if i := strings.IndexByte(p[2:], '/'); i >= 0 {
				return p[2+i:]
			}
			return "/"
		}
		return p
	}
	return u.EscapedPath()
}

// appendCanonicalPath appends the canonical URI of the wire path p.
//
// By default (s3 false) p is normalized as RFC 3986 removes dot segments,
// with empty segments ("//") dropped as well, and each segment is then
// URI-encoded as it is, escapes included, so a path sent as /a%20b is
// signed as /a%2520b: the "double encoding" that every AWS service but S3
// expects.
//
// With s3 set the path is not normalized and is encoded once: its escapes
// are decoded and the result re-encoded, as S3 does with object keys. An
// invalid escape is then an error.
//
// An empty path is "/", and a path without a leading slash is given one
// before anything else ("%2f" is signed as "/%2f" is, S3's "//").
func appendCanonicalPath(dst []byte, p string, s3 bool) ([]byte, error) {
	if s3 {
		if !strings.HasPrefix(p, "/") {
			dst = append(dst, '/')
		}
		var bad int
		if dst, bad = appendReescaped(dst, p, false, true); bad >= 0 {
			return dst, errorf("invalid percent-escape %q in path at byte %d", escapeAt(p, bad), bad)
		}
		return dst, nil
	}
	start := len(dst)
	last := p[strings.LastIndexByte(p, '/')+1:]
	trailing := p != "" && (last == "" || last == "." || last == "..")
	for rest := p; ; {
		seg := rest
		k := strings.IndexByte(rest, '/')
		if k >= 0 {
			seg = rest[:k]
		}
		switch seg {
		case "", ".":
		case "..":
			if j := bytes.LastIndexByte(dst[start:], '/'); j >= 0 {
				dst = dst[:start+j]
			}
		default:
			dst = append(dst, '/')
			dst = appendEscaped(dst, seg, false)
		}
		if k < 0 {
			break
		}
		rest = rest[k+1:]
	}
	if len(dst) == start || trailing {
		dst = append(dst, '/')
	}
	return dst, nil
}

// escapeAt returns the (at most three byte) escape that starts at s[i],
// for error messages.
func escapeAt(s string, i int) string {
	return s[i:min(len(s), i+3)]
}

// Query parameters that presigning writes, and that a new presignature
// replaces.
const (
	queryAlgorithm     = "X-Amz-Algorithm"
	queryCredential    = "X-Amz-Credential"
	queryDate          = "X-Amz-Date"
	queryExpires       = "X-Amz-Expires"
	querySecurityToken = "X-Amz-Security-Token"
	querySignedHeaders = "X-Amz-SignedHeaders"
	querySignature     = "X-Amz-Signature"
)

func isPresignParam(k []byte) bool {
	switch string(k) {
	case queryAlgorithm, queryCredential, queryDate, queryExpires,
		querySecurityToken, querySignedHeaders, querySignature:
		return true
	}
	return false
}

// Which query parameters addQuery leaves out.
const (
	dropPresign   = 1 << iota // every X-Amz-* parameter presigning writes
	dropSignature             // X-Amz-Signature
	dropToken                 // X-Amz-Security-Token
)

// param is one query parameter, its encoded name and value in the arena.
type param struct{ k0, k1, v0, v1 int }

// hdr is one header to sign: its lower-cased name in the arena, its key in
// the http.Header and values. The host has no key and one value.
type hdr struct {
	n0, n1 int
	pfx    uint64 // prefix8 of the name
	key    string
	vals   []string
	one    string // the value when vals is nil: the host, or a header Verify makes up
}

// scratch holds the reusable buffers of one signature or verification.
type scratch struct {
	buf    []byte   // the canonical request, then what is hashed or sent
	arena  []byte   // lower-cased header names, encoded query parameters
	out    []byte   // the Authorization header or presigned URL
	sink   bodySink // hashes bodies
	params []param
	hdrs   []hdr
	sel    []hdr  // Verify: the signed headers of hdrs
	sum    []byte // an HMAC
}

var scratchPool = sync.Pool{New: func() any {
	return &scratch{
		buf:   make([]byte, 0, 2048),
		arena: make([]byte, 0, 512),
		out:   make([]byte, 0, 512),
	}
}}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// maxPooled bounds the buffers kept for reuse, so that one huge request
// does not pin memory.
const maxPooled = 64 << 10

func putScratch(sc *scratch) {
	if cap(sc.buf) > maxPooled || cap(sc.arena) > maxPooled || cap(sc.out) > maxPooled ||
		cap(sc.params) > 256 || cap(sc.hdrs) > 256 || cap(sc.sel) > 256 {
		return
	}
	clear(sc.hdrs) // drop references to the request's strings
	clear(sc.sel)
	sc.sel = sc.sel[:0]
	sc.buf, sc.arena, sc.out = sc.buf[:0], sc.arena[:0], sc.out[:0]
	sc.params, sc.hdrs = sc.params[:0], sc.hdrs[:0]
	scratchPool.Put(sc)
}

// addQuery parses raw, the query as sent, into sc.params: each parameter's
// name and value decoded ('+' is a space) and URI-encoded into the arena.
// Empty parameters ("a=1&&b=2") are skipped; a parameter without '=' has an
// empty value. drop says which parameters to leave out.
func (sc *scratch) addQuery(raw string, drop int) error {
	off := 0
	for off < len(raw) {
		piece := raw[off:]
		if i := strings.IndexByte(piece, '&'); i >= 0 {
			piece = piece[:i]
		}
		pieceOff := off
		off += len(piece) + 1
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		var p param
		var bad int
		p.k0 = len(sc.arena)
		if sc.arena, bad = appendReescaped(sc.arena, k, true, false); bad >= 0 {
			return queryEscapeError(raw, pieceOff+bad)
		}
		p.k1 = len(sc.arena)
		if drop != 0 && sc.dropParam(sc.arena[p.k0:p.k1], drop) {
			sc.arena = sc.arena[:p.k0]
			continue
		}
		p.v0 = p.k1
		if sc.arena, bad = appendReescaped(sc.arena, v, true, false); bad >= 0 {
			return queryEscapeError(raw, pieceOff+len(k)+1+bad)
		}
		p.v1 = len(sc.arena)
		sc.params = append(sc.params, p)
	}
	return nil
}

func (sc *scratch) dropParam(k []byte, drop int) bool {
	switch {
	case drop&dropPresign != 0 && isPresignParam(k):
		return true
	case drop&dropSignature != 0 && string(k) == querySignature:
		return true
	case drop&dropToken != 0 && string(k) == querySecurityToken:
		return true
	}
	return false
}

func queryEscapeError(raw string, i int) error {
	return errorf("invalid percent-escape %q in query at byte %d", escapeAt(raw, i), i)
}

// appendCanonicalQuery sorts sc.params by name, then value (both encoded,
// by byte) and appends them joined by '&'.
func (sc *scratch) appendCanonicalQuery(dst []byte) []byte {
	a := sc.arena
	if len(sc.params) > 1 {
		slices.SortFunc(sc.params, func(x, y param) int {
			if c := bytes.Compare(a[x.k0:x.k1], a[y.k0:y.k1]); c != 0 {
				return c
			}
			return bytes.Compare(a[x.v0:x.v1], a[y.v0:y.v1])
		})
	}
	for i, p := range sc.params {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, a[p.k0:p.k1]...)
		dst = append(dst, '=')
		dst = append(dst, a[p.v0:p.v1]...)
	}
	return dst
}

// Classes of header names, for addHeaders.
const (
	hdrSigned  = iota
	hdrIgnored // never signed: clients and proxies change these in flight
	hdrHost    // from the request, not the header map
	hdrDate    // managed by Sign, not ignored
	hdrToken   // managed by Sign, not ignored
	hdrAuth    // managed by Sign, ignored
)

// headerClass classifies a lower-case header name. The ignored headers are
// Authorization, User-Agent, X-Amzn-Trace-Id, Expect, and the hop-by-hop
// headers of RFC 9110, section 7.6.1.
func headerClass(name []byte) int {
	switch len(name) {
	case 2:
		if string(name) == "te" {
			return hdrIgnored
		}
	case 4:
		if string(name) == "host" {
			return hdrHost
		}
	case 6:
		if string(name) == "expect" {
			return hdrIgnored
		}
	case 7:
		if string(name) == "trailer" || string(name) == "upgrade" {
			return hdrIgnored
		}
	case 10:
		switch {
		case string(name) == "x-amz-date":
			return hdrDate
		case string(name) == "user-agent", string(name) == "connection", string(name) == "keep-alive":
			return hdrIgnored
		}
	case 13:
		if string(name) == "authorization" {
			return hdrAuth
		}
	case 15:
		if string(name) == "x-amzn-trace-id" {
			return hdrIgnored
		}
	case 16:
		if string(name) == "proxy-connection" {
			return hdrIgnored
		}
	case 17:
		if string(name) == "transfer-encoding" {
			return hdrIgnored
		}
	case 19:
		if string(name) == "proxy-authorization" {
			return hdrIgnored
		}
	case 20:
		if string(name) == "x-amz-security-token" {
			return hdrToken
		}
	}
	return hdrSigned
}

// lowerToken maps the bytes of a header name to lower case, and the bytes
// a header name may not hold to 0.
var lowerToken = func() (t [256]byte) {
	for i := range t {
		if tokenChar[i] {
			t[i] = byte(i)
			if 'A' <= i && i <= 'Z' {
				t[i] += 'a' - 'A'
			}
		}
	}
	return t
}()

// appendLowerName appends the header name k in lower case, or reports the
// offset of a byte that may not appear in a header name.
func appendLowerName(dst []byte, k string) ([]byte, int) {
	n := len(dst)
	dst = slices.Grow(dst, len(k))[:n+len(k)]
	d := dst[n:]
	for i := 0; i < len(k) && i < len(d); i++ {
		c := lowerToken[k[i]]
		if c == 0 {
			return dst[:n+i], i
		}
		d[i] = c
	}
	return dst, -1
}

func headerNameError(k string, i int) error {
	if k == "" {
		return errorf("empty header name")
	}
	return errorf("header name %q has an invalid byte at %d", k, i)
}

// canonicalKeys are the http.Header keys of the headers Sign sets.
var canonicalKeys = [...]string{hdrDate: HeaderDate, hdrToken: HeaderSecurityToken, hdrAuth: HeaderAuthorization}

// addHeaders adds the headers of h to sc.hdrs, their names lower-cased into
// the arena. Headers without values (they are not sent) and any "Host" key
// (the host comes from the request) are skipped, and so are the ignored
// headers when skipIgnored is set. With dropStale set, keys that are not
// in canonical form for a header that Sign sets (as "x-amz-date") are
// deleted from h: they would be sent along with the new ones.
func (sc *scratch) addHeaders(h http.Header, skipIgnored, dropStale bool) error {
	for k, vs := range h {
		if len(vs) == 0 {
			continue
		}
		n0 := len(sc.arena)
		var bad int
		if sc.arena, bad = appendLowerName(sc.arena, k); bad >= 0 || k == "" {
			sc.arena = sc.arena[:n0]
			return headerNameError(k, bad)
		}
		name := sc.arena[n0:]
		if c := headerClass(name); c != hdrSigned {
			if dropStale && c >= hdrDate && k != canonicalKeys[c] {
				delete(h, k)
				sc.arena = sc.arena[:n0]
				continue
			}
			if c == hdrHost || skipIgnored && (c == hdrIgnored || c == hdrAuth) {
				sc.arena = sc.arena[:n0]
				continue
			}
		}
		sc.hdrs = append(sc.hdrs, hdr{n0: n0, n1: len(sc.arena), pfx: prefix8(name), key: k, vals: vs})
	}
	return nil
}

// prefix8 is the first 8 bytes of name, big-endian, zero-padded: names
// compare as their prefixes do, unless these are equal.
func prefix8(name []byte) uint64 {
	if len(name) >= 8 {
		return binary.BigEndian.Uint64(name)
	}
	var p uint64
	for i := 0; i < 8; i++ {
		p <<= 8
		if i < len(name) {
			p |= uint64(name[i])
		}
	}
	return p
}

// addHost adds the host header.
func (sc *scratch) addHost(host string) {
	n0 := len(sc.arena)
	sc.arena = append(sc.arena, "host"...)
	sc.hdrs = append(sc.hdrs, hdr{n0: n0, n1: len(sc.arena), pfx: prefix8(sc.arena[n0:]), one: host})
}

// sortHeaders sorts sc.hdrs by name (then key, so that "x-a" and "X-A" in
// one http.Header are merged in a fixed order).
func (sc *scratch) sortHeaders() {
	a, h := sc.arena, sc.hdrs
	less := func(x, y *hdr) bool {
		if x.pfx != y.pfx {
			return x.pfx < y.pfx
		}
		nx, ny := string(a[x.n0:x.n1]), string(a[y.n0:y.n1])
		return nx < ny || nx == ny && x.key < y.key
	}
	if len(h) > 12 {
		slices.SortFunc(h, func(x, y hdr) int {
			if less(&x, &y) {
				return -1
			}
			if less(&y, &x) {
				return 1
			}
			return 0
		})
		return
	}
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && less(&h[j], &h[j-1]); j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

func (sc *scratch) name(i int) []byte { return sc.arena[sc.hdrs[i].n0:sc.hdrs[i].n1] }

// appendCanonicalHeaders appends one "name:values\n" line per distinct name
// of the sorted sc.hdrs, the values trimmed and joined by commas.
func (sc *scratch) appendCanonicalHeaders(dst []byte) ([]byte, error) {
	a, hs := sc.arena, sc.hdrs
	for i := 0; i < len(hs); {
		name := a[hs[i].n0:hs[i].n1]
		dst = append(dst, name...)
		dst = append(dst, ':')
		first := true
		for ; i < len(hs) && string(a[hs[i].n0:hs[i].n1]) == string(name); i++ {
			h := &hs[i]
			if h.vals == nil {
				var bad int
				if dst, bad = appendHeaderValue(dst, h.one); bad >= 0 {
					return dst, errorf("value of header %q has a control byte at %d", name, bad)
				}
				first = false
				continue
			}
			for _, v := range h.vals {
				if !first {
					dst = append(dst, ',')
				}
				first = false
				var bad int
				if dst, bad = appendHeaderValue(dst, v); bad >= 0 {
					return dst, errorf("value of header %q has a control byte at %d", h.key, bad)
				}
			}
		}
		dst = append(dst, '\n')
	}
	return dst, nil
}

// appendSignedHeaders appends the distinct names of the sorted sc.hdrs
// joined by ";", or URI-encoded, for a query, when sep is "%3B".
func (sc *scratch) appendSignedHeaders(dst []byte, sep string) []byte {
	a, hs := sc.arena, sc.hdrs
	var prev []byte
	for i := range hs {
		name := a[hs[i].n0:hs[i].n1]
		if i > 0 {
			if string(name) == string(prev) {
				continue
			}
			dst = append(dst, sep...)
		}
		if sep == ";" {
			dst = append(dst, name...)
		} else {
			dst = appendEscapedBytes(dst, name)
		}
		prev = name
	}
	return dst
}

func appendEscapedBytes(dst, s []byte) []byte {
	for _, c := range s {
		if unreserved[c] {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}

// appendHeaderValue appends v without leading or trailing spaces and tabs
// and with each run of spaces inside it collapsed to one. It reports the
// offset of a CR or LF, which a header value may not hold (it would
// forge lines of the canonical request), or -1. Other control bytes are
// left to the HTTP client and server to refuse.
func appendHeaderValue(dst []byte, v string) ([]byte, int) {
	i, j := 0, len(v)
	for i < j && (v[i] == ' ' || v[i] == '\t') {
		i++
	}
	for j > i && (v[j-1] == ' ' || v[j-1] == '\t') {
		j--
	}
	w := v[i:j]
	if len(w) < 32 {
		start := 0
		for k := 0; k < len(w); k++ {
			switch w[k] {
			case '\r', '\n':
				return dst, i + k
			case ' ':
				if w[k+1] == ' ' { // w does not end with a space
					dst = append(dst, w[start:k+1]...)
					for w[k+1] == ' ' {
						k++
					}
					start = k + 1
				}
			}
		}
		return append(dst, w[start:]...), -1
	}
	if k := strings.IndexByte(w, '\n'); k >= 0 {
		return dst, i + k
	}
	if k := strings.IndexByte(w, '\r'); k >= 0 {
		return dst, i + k
	}
	for {
		k := strings.Index(w, "  ")
		if k < 0 {
			return append(dst, w...), -1
		}
		dst = append(dst, w[:k+1]...)
		w = w[k+2:]
		for w[0] == ' ' { // w does not end with a space
			w = w[1:]
		}
	}
}

// Time formats of SigV4.
const (
	amzDateFormat = "20060102T150405Z"
	dateLen       = 8  // YYYYMMDD
	amzDateLen    = 16 // YYYYMMDDTHHMMSSZ
)

// formatAmzDate writes t (UTC) as YYYYMMDDTHHMMSSZ. Years outside 0..9999
// do not fit the format.
func formatAmzDate(d *[amzDateLen]byte, t time.Time) error {
	y, mo, day := t.Date()
	if y < 0 || y > 9999 {
		return errorf("signing time %v is out of range", t)
	}
	h, mi, s := t.Clock()
	put := func(i, v, n int) {
		for n--; n >= 0; n-- {
			d[i+n] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, y, 4)
	put(4, int(mo), 2)
	put(6, day, 2)
	d[8] = 'T'
	put(9, h, 2)
	put(11, mi, 2)
	put(13, s, 2)
	d[15] = 'Z'
	return nil
}

// parseAmzDate parses YYYYMMDDTHHMMSSZ strictly.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != amzDateLen || s[8] != 'T' || s[15] != 'Z' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	y, mo, d, h, mi, sec := num(0, 4), num(4, 2), num(6, 2), num(9, 2), num(11, 2), num(13, 2)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if t.Day() != d { // February 30th and the like
		return time.Time{}, false
	}
	return t, true
}
