package iamauth

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Limits of the local checks.
const (
	// MaxAge is how long after its signing time (X-Amz-Date) a proof is
	// accepted: the 15 minutes that STS accepts a GetCallerIdentity
	// request for, whatever X-Amz-Expires says.
	MaxAge = 15 * time.Minute
	// MaxExpires is the largest X-Amz-Expires accepted, in seconds.
	MaxExpires = 900
	// DefaultMaxSkew is how far in the future a signing time may be, for
	// clocks that are a little off, unless VerifierOptions.MaxSkew says.
	DefaultMaxSkew = 5 * time.Minute
)

// The query parameters a presigned GetCallerIdentity URL may have, each
// once, spelled exactly so.
const (
	pAction = iota
	pVersion
	pAlgorithm
	pCredential
	pDate
	pExpires
	pSignedHeaders
	pSecurityToken
	pSignature
	numParams
)

var paramNames = [numParams]string{
	"Action", "Version", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
	"X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature",
}

// maxParams bounds the parameters of a query, allowed or not.
const maxParams = 16

const (
	actionGetCallerIdentity = "GetCallerIdentity"
	apiVersion              = "2011-06-15"
	algorithm               = "AWS4-HMAC-SHA256"
	amzDateLen              = len("20060102T150405Z")
)

// signedURL is a presigned GetCallerIdentity URL that passed the local
// checks. Its strings are slices of url.
type signedURL struct {
	url   string // https://HOST/?QUERY
	host  string
	query string
	sts   stsHost
	sig   sigParts
}

// sigParts are what a signature states, in either form.
type sigParts struct {
	credential string // raw (query-escaped, presigned)
	akid       string // decoded; set by checkScope
	date       time.Time
}

// checkURLPrefix checks that u is printable ASCII, https, to an accepted
// STS host, with the path "/" and no fragment, and returns the host and
// what follows the path: the query with its '?', or "".
func checkURLPrefix(u string, hosts map[string]stsHost) (host, rest string, h stsHost, ve *VerifyError) {
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c >= 0x7f {
			return "", "", h, verr(CheckEncoding, ErrEncoding, "the URL has a byte that is not printable ASCII (%#x at %d)", c, i)
		}
	}
	const scheme = "https://"
	if !strings.HasPrefix(u, scheme) {
		s, _, ok := strings.Cut(u, "://")
		if !ok {
			s = "none"
		}
		return "", "", h, verr(CheckScheme, ErrScheme, "the URL's scheme is %s, not https", quote(s))
	}
	rest = u[len(scheme):]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host, rest = rest[:end], rest[end:]
	h, ok := hosts[host]
	if !ok {
		why := "is not an STS host of the accepted partitions and regions"
		switch {
		case strings.ContainsAny(host, "@"):
			why = "has user information"
		case strings.ContainsAny(host, ":"):
			why = "has a port"
		case strings.HasSuffix(host, "."):
			why = "ends with a dot"
		case host == "":
			why = "is empty"
		case strings.ToLower(host) != host:
			if _, ok := hosts[strings.ToLower(host)]; ok {
				why = "is not in lower case"
			}
		}
		return "", "", h, verr(CheckHost, ErrHost, "the host %s %s", quote(host), why)
	}
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		return "", "", h, verr(CheckPath, ErrPath, "the URL has a fragment")
	}
	switch {
	case rest == "/" || strings.HasPrefix(rest, "/?"):
		return host, rest[1:], h, nil
	case rest == "" || rest[0] == '?':
		return "", "", h, verr(CheckPath, ErrPath, "the URL has no path; want /")
	}
	p, _, _ := strings.Cut(rest, "?")
	return "", "", h, verr(CheckPath, ErrPath, "the path is %s, not /", quote(p))
}

// query is a parsed query: the raw (escaped) value of each allowed
// parameter present.
type query struct {
	v   [numParams]string
	has uint16
}

func (q *query) get(p int) (string, bool) { return q.v[p], q.has&(1<<p) != 0 }

// parseQuery splits raw (without its '?') into the allowed parameters.
// It refuses, in this order: a malformed query; two parameters whose
// names are the same but for case or escapes (ErrDuplicateParameter);
// names not on the allowlist, spelled otherwise or escaped
// (ErrParameterNotAllowed).
func parseQuery(raw string) (query, *VerifyError) {
	var q query
	var unknown [maxParams]string // raw names not on the allowlist
	nUnknown, n := 0, 0
	for rest := raw; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		n++
		if n > maxParams {
			return q, verr(CheckQuery, ErrParameterNotAllowed, "the query has more than %d parameters", maxParams)
		}
		name, value, ok := strings.Cut(pair, "=")
		switch {
		case pair == "":
			return q, verr(CheckQuery, ErrMalformed, "the query has an empty parameter (&&)")
		case !ok:
			return q, verr(CheckQuery, ErrMalformed, "the query parameter %s has no =", quote(name))
		case strings.IndexByte(pair, ';') >= 0:
			return q, verr(CheckQuery, ErrMalformed, "the query has a semicolon")
		case !validEscapes(name) || !validEscapes(value):
			return q, verr(CheckQuery, ErrMalformed, "the query parameter %s has a malformed %% escape", quote(name))
		}
		var buf [64]byte
		dec, fits := unescapeInto(buf[:0], name)
		p := -1
		if fits {
			for i := range paramNames {
				if equalFold(dec, paramNames[i]) {
					p = i
					break
				}
			}
		}
		if p < 0 {
			unknown[nUnknown] = name
			nUnknown++
			continue
		}
		if q.has&(1<<p) != 0 {
			return q, verr(CheckQuery, ErrDuplicateParameter, "the query has %s twice (names compared without regard to case)", paramNames[p])
		}
		if name != paramNames[p] {
			// Kept to refuse after the duplicates are known.
			unknown[nUnknown] = name
			nUnknown++
		}
		q.v[p] = value
		q.has |= 1 << p
	}
	if nUnknown == 0 {
		return q, nil
	}
	names := make([]string, nUnknown)
	for i := range names {
		names[i], _ = url.QueryUnescape(unknown[i])
		for j := 0; j < i; j++ {
			if strings.EqualFold(names[i], names[j]) {
				return q, verr(CheckQuery, ErrDuplicateParameter, "the query has %s twice (names compared without regard to case)", quote(names[i]))
			}
		}
	}
	for i, name := range unknown[:nUnknown] {
		for _, want := range paramNames {
			if strings.EqualFold(names[i], want) {
				return q, verr(CheckQuery, ErrParameterNotAllowed, "the query parameter %s is not spelled %s", quote(name), want)
			}
		}
	}
	return q, verr(CheckQuery, ErrParameterNotAllowed, "the query parameter %s is not allowed", quote(unknown[0]))
}

// checkPresigned makes the local checks of a presigned GetCallerIdentity
// URL (as an EKS token holds it, or a GET login payload), in the order of
// the package documentation. required are the bound headers' names, in
// lower case, sorted, "host" among them. now is the verifier's time.
func (v *Verifier) checkPresigned(u string, required []string, now time.Time) (signedURL, *VerifyError) {
	var s signedURL
	host, rest, h, ve := checkURLPrefix(u, v.hosts)
	if ve != nil {
		return s, ve
	}
	if rest == "" {
		return s, verr(CheckAction, ErrAction, "the URL has no query, so no Action")
	}
	q, ve := parseQuery(rest[1:])
	if ve != nil {
		return s, ve
	}
	if ve := checkAction(&q); ve != nil {
		return s, ve
	}
	for _, p := range [...]int{pAlgorithm, pCredential, pDate, pExpires, pSignedHeaders, pSignature} {
		if _, ok := q.get(p); !ok {
			return s, verr(CheckSignature, ErrMalformed, "the query has no %s", paramNames[p])
		}
	}
	if !queryEqual(q.v[pAlgorithm], algorithm) {
		return s, verr(CheckSignature, ErrMalformed, "X-Amz-Algorithm is not %s", algorithm)
	}
	if !isLowerHex64(q.v[pSignature]) {
		return s, verr(CheckSignature, ErrMalformed, "X-Amz-Signature is not 64 lower-case hex digits")
	}
	if tok, ok := q.get(pSecurityToken); ok && tok == "" {
		return s, verr(CheckSignature, ErrMalformed, "X-Amz-Security-Token is empty")
	}
	var buf [256]byte
	list, fits := unescapeInto(buf[:0], q.v[pSignedHeaders])
	if !fits {
		return s, verr(CheckSignature, ErrHeaderNotAllowed, "X-Amz-SignedHeaders is longer than %d bytes", len(buf))
	}
	if ve := checkSignedList(list, required, nil); ve != nil {
		return s, ve
	}
	exp := q.v[pExpires]
	if len(exp) == 0 || len(exp) > 3 || strings.Trim(exp, "0123456789") != "" {
		return s, verr(CheckExpires, ErrExpires, "X-Amz-Expires %s is not a number of seconds from 0 to %d", quote(exp), MaxExpires)
	}
	if n, _ := strconv.Atoi(exp); n > MaxExpires {
		return s, verr(CheckExpires, ErrExpires, "X-Amz-Expires %s is more than %d", exp, MaxExpires)
	}
	date, ve := v.checkDate(q.v[pDate], now)
	if ve != nil {
		return s, ve
	}
	s.sig = sigParts{credential: q.v[pCredential], date: date}
	if ve := checkScope(&s.sig, q.v[pDate], h, true); ve != nil {
		return s, ve
	}
	s.url, s.host, s.query, s.sts = u, host, rest[1:], h
	return s, nil
}

// checkAction checks Action and Version.
func checkAction(q *query) *VerifyError {
	a, ok := q.get(pAction)
	if !ok {
		return verr(CheckAction, ErrAction, "no Action parameter")
	}
	if !queryEqual(a, actionGetCallerIdentity) {
		return verr(CheckAction, ErrAction, "Action is %s, not GetCallerIdentity", quote(a))
	}
	ver, ok := q.get(pVersion)
	if !ok {
		return verr(CheckAction, ErrAction, "no Version parameter")
	}
	if !queryEqual(ver, apiVersion) {
		return verr(CheckAction, ErrAction, "Version is %s, not %s", quote(ver), apiVersion)
	}
	return nil
}

// checkSignedList checks a SignedHeaders list: lower-case header names,
// sorted, each once, holding every name of required (sorted). Other names
// are refused unless allowed (nil: none) accepts them.
func checkSignedList(list []byte, required []string, allowed func(name string) bool) *VerifyError {
	if len(list) == 0 {
		return verr(CheckSignature, ErrMalformed, "SignedHeaders is empty")
	}
	var prev []byte
	for rest := list; len(rest) > 0; {
		var name []byte
		name, rest, _ = bytes.Cut(rest, semicolon)
		if !isLowerToken(name) {
			return verr(CheckSignature, ErrMalformed, "SignedHeaders has %s, which is not a lower-case header name", quote(string(name)))
		}
		if prev != nil && bytes.Compare(name, prev) <= 0 {
			return verr(CheckSignature, ErrMalformed, "SignedHeaders is not sorted or repeats %s", quote(string(name)))
		}
		prev = name
	}
	r := 0
	for rest := list; len(rest) > 0; {
		var name []byte
		name, rest, _ = bytes.Cut(rest, semicolon)
		if r < len(required) && required[r] < string(name) {
			return verr(CheckBinding, ErrHeaderNotSigned, "the %s header is not signed", required[r])
		}
		if r < len(required) && required[r] == string(name) {
			r++
			continue
		}
		if allowed == nil || !allowed(string(name)) {
			return verr(CheckSignature, ErrHeaderNotAllowed, "the signed header %s is neither the host nor a bound header", quote(string(name)))
		}
	}
	if r < len(required) {
		return verr(CheckBinding, ErrHeaderNotSigned, "the %s header is not signed", required[r])
	}
	return nil
}

var semicolon = []byte{';'}

// checkDate parses an X-Amz-Date and checks it is neither more than
// MaxAge ago nor later than now plus the allowed skew.
func (v *Verifier) checkDate(s string, now time.Time) (time.Time, *VerifyError) {
	t, ok := parseAmzDate(s)
	if !ok {
		return t, verr(CheckDate, ErrMalformed, "X-Amz-Date %s is not YYYYMMDDTHHMMSSZ", quote(s))
	}
	if now.Sub(t) > MaxAge {
		return t, verr(CheckDate, ErrExpired, "signed at %s, more than %v before %s", s, MaxAge, now.UTC().Format(amzDateFormat))
	}
	if t.Sub(now) > v.maxSkew {
		return t, verr(CheckDate, ErrNotYetValid, "signed at %s, more than %v after %s", s, v.maxSkew, now.UTC().Format(amzDateFormat))
	}
	return t, nil
}

const amzDateFormat = "20060102T150405Z"

// parseAmzDate parses YYYYMMDDTHHMMSSZ.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != amzDateLen || s[8] != 'T' || s[15] != 'Z' {
		return time.Time{}, false
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	var f [6]int
	for i, r := range [6][2]int{{0, 4}, {4, 6}, {6, 8}, {9, 11}, {11, 13}, {13, 15}} {
		n, ok := num(s[r[0]:r[1]])
		if !ok {
			return time.Time{}, false
		}
		f[i] = n
	}
	if f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 59 {
		return time.Time{}, false
	}
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, time.UTC)
	if t.Day() != f[2] { // February 30th and the like
		return time.Time{}, false
	}
	return t, true
}

// checkScope checks the credential AKID/YYYYMMDD/REGION/sts/aws4_request
// (query-escaped if escaped is set) against the signing date and the
// host's region, and sets sp.akid.
func checkScope(sp *sigParts, amzDate string, h stsHost, escaped bool) *VerifyError {
	var buf [192]byte
	var cred []byte
	if escaped {
		var fits bool
		if cred, fits = unescapeInto(buf[:0], sp.credential); !fits {
			return verr(CheckSignature, ErrMalformed, "the credential is longer than %d bytes", len(buf))
		}
	} else {
		if len(sp.credential) > len(buf) {
			return verr(CheckSignature, ErrMalformed, "the credential is longer than %d bytes", len(buf))
		}
		cred = append(buf[:0], sp.credential...)
	}
	var parts [5][]byte
	rest := cred
	for i := 0; i < 4; i++ {
		var ok bool
		if parts[i], rest, ok = bytes.Cut(rest, slash); !ok {
			return verr(CheckSignature, ErrMalformed, "the credential is not AKID/DATE/REGION/SERVICE/aws4_request")
		}
	}
	parts[4] = rest
	akid, date, region, service, term := parts[0], parts[1], parts[2], parts[3], parts[4]
	switch {
	case !isAccessKeyID(akid):
		return verr(CheckSignature, ErrMalformed, "the credential's access key id %s is not 16 to 128 upper-case letters and digits", quote(string(akid)))
	case string(term) != "aws4_request":
		return verr(CheckSignature, ErrMalformed, "the credential does not end with aws4_request")
	case string(date) != amzDate[:8]:
		return verr(CheckScope, ErrScope, "the credential's date %s is not X-Amz-Date's %s", quote(string(date)), amzDate[:8])
	case string(region) != h.region:
		return verr(CheckScope, ErrScope, "the credential is for region %s, the host for %s", quote(string(region)), h.region)
	case string(service) != signingService:
		return verr(CheckScope, ErrScope, "the credential is for service %s, not sts", quote(string(service)))
	}
	// The id is alphanumeric: unescaped, it is the start of the
	// credential as given.
	if sp.credential[:len(akid)] != string(akid) {
		return verr(CheckSignature, ErrMalformed, "the credential's access key id is escaped")
	}
	sp.akid = sp.credential[:len(akid)]
	return nil
}

var slash = []byte{'/'}

func isAccessKeyID(s []byte) bool {
	if len(s) < 16 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

func isLowerHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// tokenChar holds the bytes of an HTTP token (RFC 9110).
var tokenChar = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

func isLowerToken(s []byte) bool {
	for _, c := range s {
		if !tokenChar[c] || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return len(s) > 0
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !tokenChar[s[i]] {
			return false
		}
	}
	return s != ""
}

// validEscapes reports whether every % in s starts a %XX escape.
func validEscapes(s string) bool {
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			return true
		}
		if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
			return false
		}
		s = s[i+3:]
	}
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// unescapeInto appends the query-decoded s (%XX, '+' for a space; escapes
// already checked) to buf, and reports false if it would not fit in buf's
// capacity (buf is then unchanged).
func unescapeInto(buf []byte, s string) ([]byte, bool) {
	if !strings.ContainsAny(s, "%+") {
		if len(buf)+len(s) > cap(buf) {
			return buf, false
		}
		return append(buf, s...), true
	}
	start := len(buf)
	for i := 0; i < len(s); i++ {
		if len(buf) == cap(buf) {
			return buf[:start], false
		}
		switch c := s[i]; c {
		case '%':
			if i+2 >= len(s) {
				return buf[:start], false
			}
			buf = append(buf, byte(unhex(s[i+1])<<4|unhex(s[i+2])))
			i += 2
		case '+':
			buf = append(buf, ' ')
		default:
			buf = append(buf, c)
		}
	}
	return buf, true
}

// queryEqual reports whether the query-escaped raw decodes to want.
func queryEqual(raw, want string) bool {
	if raw == want {
		return true
	}
	if len(raw) > 3*len(want) {
		return false
	}
	var buf [64]byte
	dec, fits := unescapeInto(buf[:0], raw)
	return fits && string(dec) == want
}

// equalFold reports whether b and s are equal but for ASCII case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		c, d := b[i], s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= d && d <= 'Z' {
			d += 'a' - 'A'
		}
		if c != d {
			return false
		}
	}
	return true
}
