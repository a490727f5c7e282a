package iamauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/callerid/callerid/credentials"
)

// The fields of an IAM login payload, as HashiCorp Vault's aws auth method
// (auth/aws/login, iam method) and Consul's aws-iam auth method read them.
const (
	FieldMethod  = "iam_http_request_method" // "POST", or "GET"
	FieldURL     = "iam_request_url"         // standard base64 of the URL
	FieldBody    = "iam_request_body"        // standard base64 of the body
	FieldHeaders = "iam_request_headers"     // standard base64 of the JSON of the headers
)

// Server-id headers: the signed header that names the server a login
// payload is for, so that a server it was not meant for cannot replay it.
const (
	// VaultServerIDHeader is Vault's (iam_server_id_header_value).
	VaultServerIDHeader = "X-Vault-AWS-IAM-Server-ID"
	// ConsulServerIDHeader is the default of Consul's aws-iam auth method
	// (ServerIDHeaderName).
	ConsulServerIDHeader = "X-Consul-IAM-ServerID"
)

// MaxPayloadBytes bounds a login payload: the four fields together, as
// received (base64), before anything is decoded.
const MaxPayloadBytes = 16 << 10

// A LoginPayload is a signed STS GetCallerIdentity request, as Vault's and
// Consul's AWS IAM auth methods take it: the method, and the URL, body and
// headers in standard base64 (the headers as the JSON of an http.Header).
//
// The payload is a bearer credential until it expires, and its headers
// hold the session token: String, GoString, Format, LogValue and
// MarshalJSON show only the method. Fields returns what a login request
// sends.
type LoginPayload struct {
	// Method is "POST" (the request is signed in its headers) or "GET"
	// (it is presigned in its URL).
	Method string

	// request is the URL, body and headers (standard base64) one after
	// the other, the URL's urlLen bytes and the body's bodyLen: one
	// Secret, not three, costs one allocation, not three.
	request         credentials.Secret
	urlLen, bodyLen int
}

// parts returns the URL, body and headers of the payload.
func (p LoginPayload) parts() (url, body, headers string) {
	r := p.request.Reveal()
	if p.urlLen+p.bodyLen > len(r) {
		return "", "", ""
	}
	return r[:p.urlLen], r[p.urlLen : p.urlLen+p.bodyLen], r[p.urlLen+p.bodyLen:]
}

// NewLoginPayload returns the payload of the four fields as received, in
// the encoding of a login request: the method, and the standard base64 of
// the URL, the body and the headers' JSON.
func NewLoginPayload(method, url, body, headers string) LoginPayload {
	return LoginPayload{Method: method, request: credentials.NewSecret(url + body + headers), urlLen: len(url), bodyLen: len(body)}
}

// ParseLoginPayload reads a payload from the JSON object of a login
// request, such as Consul's bearer token or the body of Vault's
// auth/aws/login: the four fields must be strings, each once; other
// members (Vault's "role") are ignored. The size is checked as
// Verifier.VerifyLogin checks it (ErrTooLarge) and the errors are a
// *VerifyError (ErrEncoding).
func ParseLoginPayload(data []byte) (LoginPayload, error) {
	if len(data) > 2*MaxPayloadBytes {
		return LoginPayload{}, verr(CheckSize, ErrTooLarge, "the login request is %d bytes, more than %d", len(data), 2*MaxPayloadBytes)
	}
	fields := map[string]*string{}
	var f [4]string
	for i, name := range [...]string{FieldMethod, FieldURL, FieldBody, FieldHeaders} {
		fields[name] = &f[i]
	}
	seen := map[string]bool{}
	d := json.NewDecoder(bytes.NewReader(data))
	if err := expectDelim(d, '{'); err != nil {
		return LoginPayload{}, verr(CheckEncoding, ErrEncoding, "the login request is not a JSON object: %v", err)
	}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return LoginPayload{}, verr(CheckEncoding, ErrEncoding, "the login request is not JSON: %v", err)
		}
		name, _ := tok.(string)
		dst, ok := fields[name]
		if !ok {
			var skip json.RawMessage
			if err := d.Decode(&skip); err != nil {
				return LoginPayload{}, verr(CheckEncoding, ErrEncoding, "the login request is not JSON: %v", err)
			}
			continue
		}
		if seen[name] {
			return LoginPayload{}, verr(CheckEncoding, ErrDuplicateParameter, "the login request has %s twice", name)
		}
		seen[name] = true
		tok, err = d.Token()
		s, isString := tok.(string)
		if err != nil || !isString {
			return LoginPayload{}, verr(CheckEncoding, ErrEncoding, "%s is not a JSON string", name)
		}
		*dst = s
	}
	if err := expectEnd(d); err != nil {
		return LoginPayload{}, verr(CheckEncoding, ErrEncoding, "the login request is not one JSON object: %v", err)
	}
	for _, name := range [...]string{FieldMethod, FieldURL, FieldBody, FieldHeaders} {
		if !seen[name] {
			return LoginPayload{}, verr(CheckEncoding, ErrEncoding, "the login request has no %s", name)
		}
	}
	return NewLoginPayload(f[0], f[1], f[2], f[3]), nil
}

// expectDelim reads the delimiter want.
func expectDelim(d *json.Decoder, want json.Delim) error {
	tok, err := d.Token()
	if err != nil {
		return err
	}
	if tok != want {
		return fmt.Errorf("found %s where %v was expected", describeToken(tok), want)
	}
	return nil
}

// describeToken describes a JSON token the presenter sent for an error:
// a string quoted and bounded, anything else by its kind.
func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case string:
		return "the string " + quote(t)
	case json.Delim:
		return string(t)
	case nil:
		return "null"
	case bool:
		return "a boolean"
	}
	return "a number"
}

// expectEnd reads the '}' that closes the object the decoder is in, and
// checks nothing follows.
func expectEnd(d *json.Decoder) error {
	if err := expectDelim(d, '}'); err != nil {
		return err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return errors.New("text after the end of the object")
	}
	return nil
}

// Fields returns the four fields of the payload, for the JSON of a login
// request (add Vault's "role" to it), keyed by FieldMethod, FieldURL,
// FieldBody and FieldHeaders. They hold the signed request: send them only
// to the server the payload is for.
func (p LoginPayload) Fields() map[string]string {
	u, b, h := p.parts()
	return map[string]string{FieldMethod: p.Method, FieldURL: u, FieldBody: b, FieldHeaders: h}
}

// String describes p without the signed request.
func (p LoginPayload) String() string {
	s := "iamauth.LoginPayload{Method: " + p.Method
	if !p.request.IsZero() {
		s += ", Request: " + credentials.Redacted
	}
	return s + "}"
}

// GoString is String, so %#v does not show the signed request.
func (p LoginPayload) GoString() string { return p.String() }

// Format writes String for every verb.
func (p LoginPayload) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }

// LogValue logs p as String does.
func (p LoginPayload) LogValue() slog.Value { return slog.StringValue(p.String()) }

// MarshalJSON writes the method and "<redacted>" for the other fields: to
// send the payload, marshal Fields instead.
func (p LoginPayload) MarshalJSON() ([]byte, error) {
	m := map[string]string{FieldMethod: p.Method}
	if !p.request.IsZero() {
		for _, f := range [...]string{FieldURL, FieldBody, FieldHeaders} {
			m[f] = credentials.Redacted
		}
	}
	return json.Marshal(m)
}

// Equal reports whether p and o are the same payload, for
// github.com/google/go-cmp.
func (p LoginPayload) Equal(o LoginPayload) bool {
	a, b := p.Fields(), o.Fields()
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// payloadHeader is one header of a payload: its name as given and its
// one value.
type payloadHeader struct {
	name, value string
}

// parseHeaders parses the JSON of a payload's headers: an object of header
// names, each with a string or an array of one string. Names must be
// tokens, each once without regard to case; values printable (tabs
// allowed), at most one per name.
func parseHeaders(data []byte) ([]payloadHeader, *VerifyError) {
	d := json.NewDecoder(bytes.NewReader(data))
	bad := func(format string, args ...any) ([]payloadHeader, *VerifyError) {
		return nil, verr(CheckEncoding, ErrEncoding, "the headers: "+format, args...)
	}
	if err := expectDelim(d, '{'); err != nil {
		return bad("not a JSON object: %v", err)
	}
	var hs []payloadHeader
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return bad("not JSON: %v", err)
		}
		name, _ := tok.(string)
		if !isToken(name) || len(name) > 128 {
			return bad("%s is not a header name", quote(name))
		}
		for _, h := range hs {
			if strings.EqualFold(h.name, name) {
				return nil, verr(CheckHeaders, ErrDuplicateParameter, "the headers have %s twice (names compared without regard to case)", quote(name))
			}
		}
		tok, err = d.Token()
		if err != nil {
			return bad("not JSON: %v", err)
		}
		var value string
		switch t := tok.(type) {
		case string:
			value = t
		case json.Delim:
			if t != '[' {
				return bad("the value of %s is neither a string nor an array of strings", quote(name))
			}
			n := 0
			for d.More() {
				tok, err := d.Token()
				s, ok := tok.(string)
				if err != nil || !ok {
					return bad("the value of %s is neither a string nor an array of strings", quote(name))
				}
				value = s
				n++
			}
			if _, err := d.Token(); err != nil {
				return bad("not JSON: %v", err)
			}
			if n != 1 {
				return nil, verr(CheckHeaders, ErrDuplicateParameter, "the header %s has %d values, not one", quote(name), n)
			}
		default:
			return bad("the value of %s is neither a string nor an array of strings", quote(name))
		}
		for i := 0; i < len(value); i++ {
			if c := value[i]; c < ' ' && c != '\t' || c == 0x7f {
				return bad("the value of %s has a control character", quote(name))
			}
		}
		hs = append(hs, payloadHeader{name: name, value: value})
		if len(hs) > 64 {
			return bad("more than 64 headers")
		}
	}
	if err := expectEnd(d); err != nil {
		return bad("not one JSON object: %v", err)
	}
	return hs, nil
}
