package iamauth

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/callerid/callerid/internal/peertext"
	"github.com/callerid/callerid/sts"
)

// stsNamespace is the XML namespace of STS's documents.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// maxAnswerBytes bounds what is read of STS's answer. A GetCallerIdentity
// answer is under a kilobyte.
const maxAnswerBytes = 64 << 10

// How much of an STS error document's text an error keeps: names (code,
// type, request id) and the message.
const (
	maxNameText    = 128
	maxMessageText = 256
)

// gciAnswer is a GetCallerIdentity result.
type gciAnswer struct {
	arn, userID, account, requestID string
}

// answerFormat tells the format of an answer by its Content-Type: JSON,
// XML, or neither.
func answerFormat(contentType string) (isJSON, isXML bool) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false, false
	}
	return mt == "application/json", mt == "text/xml" || mt == "application/xml"
}

// throttlingCodes are the error codes of a throttled call.
var throttlingCodes = map[string]bool{
	"Throttling": true, "ThrottlingException": true, "ThrottledException": true,
	"RequestThrottled": true, "RequestThrottledException": true, "TooManyRequestsException": true,
	"RequestLimitExceeded": true, "SlowDown": true,
}

// readAnswer reads and decodes STS's answer: a GetCallerIdentity result,
// or the *VerifyError of an STS error document or of an answer that is
// neither. secrets gives what of the request must not reach an error (an
// STS, or something posing as one, may echo the session token or the
// signature): it is called only when an error is made.
func readAnswer(resp *http.Response, secrets func() []string) (gciAnswer, *VerifyError) {
	ct := resp.Header.Get("Content-Type")
	bad := func(format string, args ...any) (gciAnswer, *VerifyError) {
		return gciAnswer{}, verr(CheckResponse, ErrBadResponse, "HTTP %d, Content-Type %s: "+format,
			append([]any{resp.StatusCode, quote(peertext.Cut(ct, maxNameText, secrets()...))}, args...)...)
	}
	if resp.StatusCode/100 == 3 {
		return bad("a redirect, which is not followed")
	}
	if resp.ContentLength > maxAnswerBytes {
		return bad("the answer is %d bytes, more than any GetCallerIdentity answer", resp.ContentLength)
	}
	body, err := readBounded(resp.Body, resp.ContentLength)
	if err != nil {
		return gciAnswer{}, &VerifyError{Check: CheckSTS, Reason: "reading STS's answer", Err: ErrUnavailable, Cause: err}
	}
	if len(body) > maxAnswerBytes {
		return bad("the answer is more than %d bytes, more than any GetCallerIdentity answer", maxAnswerBytes)
	}
	isJSON, isXML := answerFormat(ct)
	if resp.StatusCode == http.StatusOK {
		var a gciAnswer
		switch {
		case isJSON:
			err = parseResultJSON(body, &a)
		case isXML:
			err = parseResultXML(body, &a)
		default:
			return bad("not JSON or XML")
		}
		if err != nil {
			// The decoders' errors quote what they read (an element's
			// name, an entity): bounded, one line, secrets cut.
			_, ve := bad("not a GetCallerIdentity answer")
			ve.Cause = peertext.ErrorN(err, maxMessageText, secrets()...)
			return gciAnswer{}, ve
		}
		if a.requestID == "" {
			a.requestID = resp.Header.Get("X-Amzn-Requestid")
		}
		return a, nil
	}
	var apiErr *sts.APIError
	switch {
	case isJSON:
		apiErr = parseErrorJSON(body)
	case isXML:
		apiErr = parseErrorXML(body)
	}
	if apiErr != nil {
		sec := secrets()
		apiErr.StatusCode = resp.StatusCode
		apiErr.Type = peertext.Line(apiErr.Type, maxNameText, sec...)
		apiErr.Code = peertext.Line(apiErr.Code, maxNameText, sec...)
		apiErr.Message = peertext.Line(apiErr.Message, maxMessageText, sec...)
		if apiErr.RequestID == "" {
			apiErr.RequestID = resp.Header.Get("X-Amzn-Requestid")
		}
		apiErr.RequestID = peertext.Line(apiErr.RequestID, maxNameText, sec...)
		e := &VerifyError{Check: CheckSTS, Err: ErrRejected, Reason: "STS refused the proof", Cause: apiErr}
		switch {
		case throttlingCodes[apiErr.Code] || resp.StatusCode == http.StatusTooManyRequests:
			e.Err, e.Reason = ErrThrottled, "STS throttled the call"
		case resp.StatusCode >= 500:
			e.Err, e.Reason = ErrUnavailable, "STS failed"
		}
		return gciAnswer{}, e
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return gciAnswer{}, verr(CheckSTS, ErrThrottled, "HTTP 429 with no STS error document")
	case resp.StatusCode >= 500:
		return gciAnswer{}, verr(CheckSTS, ErrUnavailable, "HTTP %d with no STS error document (Content-Type %s)", resp.StatusCode, quote(peertext.Cut(ct, maxNameText, secrets()...)))
	}
	return bad("neither a GetCallerIdentity answer nor an STS error document")
}

// readBounded reads r to its end, or to maxAnswerBytes and one more, in a
// buffer of the size the Content-Length says (if it says).
func readBounded(r io.Reader, contentLength int64) ([]byte, error) {
	size := int64(1 << 10)
	if contentLength >= 0 && contentLength < maxAnswerBytes {
		size = contentLength + 1 // one more, to see the end
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			if len(buf) > maxAnswerBytes {
				return buf, nil
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// parseResultJSON parses the JSON form of a GetCallerIdentity answer,
// strictly: exactly
//
//	{"GetCallerIdentityResponse": {"GetCallerIdentityResult": {"Account": …, "Arn": …, "UserId": …},
//	 "ResponseMetadata": {"RequestId": …}}}
//
// with each member once (ResponseMetadata optional), string values, and
// nothing else but whitespace.
func parseResultJSON(body []byte, a *gciAnswer) error {
	s := jsonScan{b: body}
	var response bool
	err := s.object(func(name []byte) (bool, error) {
		if string(name) != "GetCallerIdentityResponse" || response {
			return false, nil
		}
		response = true
		var result, meta bool
		return true, s.object(func(name []byte) (bool, error) {
			switch {
			case string(name) == "GetCallerIdentityResult" && !result:
				result = true
				var account, arn, userID bool
				err := s.object(func(name []byte) (bool, error) {
					var dst *string
					switch {
					case string(name) == "Account" && !account:
						account, dst = true, &a.account
					case string(name) == "Arn" && !arn:
						arn, dst = true, &a.arn
					case string(name) == "UserId" && !userID:
						userID, dst = true, &a.userID
					default:
						return false, nil
					}
					v, err := s.str()
					*dst = v
					return true, err
				})
				if err == nil && !(account && arn && userID) {
					err = errors.New("GetCallerIdentityResult lacks Account, Arn or UserId")
				}
				return true, err
			case string(name) == "ResponseMetadata" && !meta:
				meta = true
				var id bool
				return true, s.object(func(name []byte) (bool, error) {
					if string(name) != "RequestId" || id {
						return false, nil
					}
					id = true
					v, err := s.str()
					a.requestID = v
					return true, err
				})
			}
			return false, nil
		})
	})
	if err != nil {
		return err
	}
	if a.arn == "" && a.account == "" && a.userID == "" {
		return errors.New("no GetCallerIdentityResult")
	}
	s.ws()
	if s.i != len(s.b) {
		return fmt.Errorf("text after the JSON document, at byte %d", s.i)
	}
	return nil
}

// jsonScan reads the few shapes of JSON an STS answer has: objects of
// strings and objects.
type jsonScan struct {
	b []byte
	i int
}

func (s *jsonScan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jsonScan) expect(c byte) error {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != c {
		return fmt.Errorf("want %q at byte %d", c, s.i)
	}
	s.i++
	return nil
}

// object reads an object, calling member with each member's name to read
// its value; member returns false for a member that is not expected (or
// is a repeat), which is an error.
func (s *jsonScan) object(member func(name []byte) (bool, error)) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return nil
	}
	for {
		name, err := s.raw()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		ok, err := member(name)
		if !ok {
			return fmt.Errorf("unexpected member %s at byte %d", quote(string(name)), s.i)
		}
		if err != nil {
			return err
		}
		s.ws()
		if s.i < len(s.b) && s.b[s.i] == '}' {
			s.i++
			return nil
		}
		if err := s.expect(','); err != nil {
			return err
		}
	}
}

// raw reads a string and returns it decoded, as a slice of the input when
// it has no escapes.
func (s *jsonScan) raw() ([]byte, error) {
	if err := s.expect('"'); err != nil {
		return nil, err
	}
	start, escaped := s.i, false
	for ; s.i < len(s.b); s.i++ {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			if !escaped {
				if !utf8.Valid(s.b[start : s.i-1]) {
					return nil, fmt.Errorf("a string that is not UTF-8 at byte %d", start)
				}
				return s.b[start : s.i-1], nil
			}
			var v string
			if err := json.Unmarshal(s.b[start-1:s.i], &v); err != nil {
				return nil, err
			}
			return []byte(v), nil
		case c == '\\':
			escaped = true
			s.i++
		case c < ' ':
			return nil, fmt.Errorf("a control character in a string at byte %d", s.i)
		}
	}
	return nil, errors.New("an unterminated string")
}

// str reads a string value.
func (s *jsonScan) str() (string, error) {
	b, err := s.raw()
	return string(b), err
}

// parseResultXML parses the XML form of a GetCallerIdentity answer,
// strictly: an optional XML declaration, then exactly
//
//	<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
//	  <GetCallerIdentityResult><Arn>…</Arn><UserId>…</UserId><Account>…</Account></GetCallerIdentityResult>
//	  <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>
//	</GetCallerIdentityResponse>
//
// (the members of an element in any order, each once, ResponseMetadata
// optional), whitespace between elements, and nothing else: no other
// element, attribute, namespace, comment or directive, and no text around
// the root.
func parseResultXML(body []byte, a *gciAnswer) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	root, err := xmlRoot(d)
	if err != nil {
		return err
	}
	if root.Name.Space != stsNamespace || root.Name.Local != "GetCallerIdentityResponse" {
		return fmt.Errorf("the root element is %s in namespace %s, not GetCallerIdentityResponse in STS's", quote(root.Name.Local), quote(root.Name.Space))
	}
	for _, at := range root.Attr {
		if at.Name.Space != "" || at.Name.Local != "xmlns" {
			return fmt.Errorf("the root element has an attribute %s", quote(at.Name.Local))
		}
	}
	err = xmlChildren(d, []xmlMember{
		{name: "GetCallerIdentityResult", required: true, read: func() error {
			return xmlChildren(d, []xmlMember{
				{name: "Arn", required: true, read: xmlText(d, &a.arn)},
				{name: "UserId", required: true, read: xmlText(d, &a.userID)},
				{name: "Account", required: true, read: xmlText(d, &a.account)},
			})
		}},
		{name: "ResponseMetadata", read: func() error {
			return xmlChildren(d, []xmlMember{{name: "RequestId", read: xmlText(d, &a.requestID)}})
		}},
	})
	if err != nil {
		return err
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if cd, ok := tok.(xml.CharData); !ok || len(bytes.TrimSpace(cd)) != 0 {
			return errors.New("something after the root element")
		}
	}
}

// xmlRoot reads up to the root element: an XML declaration and
// whitespace may come first, nothing else.
func xmlRoot(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.ProcInst:
			if t.Target != "xml" {
				return xml.StartElement{}, errors.New("a processing instruction before the root element")
			}
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return xml.StartElement{}, errors.New("text before the root element")
			}
		default:
			return xml.StartElement{}, fmt.Errorf("%T before the root element", tok)
		}
	}
}

type xmlMember struct {
	name     string
	required bool
	read     func() error
	seen     bool
}

// xmlChildren reads the children of the element just started, up to its
// end: elements of STS's namespace among members, each at most once (and
// the required ones once), without attributes, and whitespace.
func xmlChildren(d *xml.Decoder, members []xmlMember) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			for _, m := range members {
				if m.required && !m.seen {
					return fmt.Errorf("no %s element in %s", m.name, t.Name.Local)
				}
			}
			return nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return errors.New("text between elements")
			}
		case xml.StartElement:
			var m *xmlMember
			for i := range members {
				if members[i].name == t.Name.Local {
					m = &members[i]
				}
			}
			switch {
			case m == nil || t.Name.Space != stsNamespace:
				return fmt.Errorf("unexpected element %s", quote(t.Name.Local))
			case m.seen:
				return fmt.Errorf("element %s twice", t.Name.Local)
			case len(t.Attr) != 0:
				return fmt.Errorf("element %s has attributes", t.Name.Local)
			}
			m.seen = true
			if err := m.read(); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unexpected %T", tok)
		}
	}
}

// xmlText reads the text of a leaf element into dst, up to its end.
func xmlText(d *xml.Decoder, dst *string) func() error {
	return func() error {
		var b strings.Builder
		for {
			tok, err := d.Token()
			if err != nil {
				return err
			}
			switch t := tok.(type) {
			case xml.CharData:
				b.Write(t)
			case xml.EndElement:
				*dst = b.String()
				return nil
			default:
				return fmt.Errorf("unexpected %T in a text element", tok)
			}
		}
	}
}

// parseErrorJSON decodes the JSON form of an STS error document, or
// returns nil.
func parseErrorJSON(body []byte) *sts.APIError {
	var doc struct {
		Error *struct {
			Type, Code, Message string
		}
		RequestID string `json:"RequestId"`
	}
	if json.Unmarshal(body, &doc) != nil || doc.Error == nil || doc.Error.Code == "" {
		return nil
	}
	return &sts.APIError{Type: doc.Error.Type, Code: doc.Error.Code, Message: doc.Error.Message, RequestID: doc.RequestID}
}

// parseErrorXML decodes an STS error document (or moto's form of one), or
// returns nil.
func parseErrorXML(body []byte) *sts.APIError {
	type xmlErr struct{ Type, Code, Message string }
	var doc struct {
		XMLName   xml.Name
		Error     *xmlErr  `xml:"Error"`
		Errors    []xmlErr `xml:"Errors>Error"`
		RequestID string   `xml:"RequestId"`
	}
	if xml.Unmarshal(body, &doc) != nil || doc.XMLName.Local != "ErrorResponse" ||
		doc.XMLName.Space != "" && doc.XMLName.Space != stsNamespace {
		return nil
	}
	e := doc.Error
	if e == nil && len(doc.Errors) > 0 {
		e = &doc.Errors[0]
	}
	if e == nil || e.Code == "" {
		return nil
	}
	return &sts.APIError{Type: e.Type, Code: e.Code, Message: e.Message, RequestID: doc.RequestID}
}
