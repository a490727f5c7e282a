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

	"github.com/callerid/callerid/sts"
)

// stsNamespace is the XML namespace of STS's documents.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// maxAnswerBytes bounds what is read of STS's answer. A GetCallerIdentity
// answer is under a kilobyte.
const maxAnswerBytes = 64 << 10

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
// neither.
func readAnswer(resp *http.Response) (gciAnswer, *VerifyError) {
	ct := resp.Header.Get("Content-Type")
	bad := func(format string, args ...any) (gciAnswer, *VerifyError) {
		return gciAnswer{}, verr(CheckResponse, ErrBadResponse, "HTTP %d, Content-Type %s: "+format,
			append([]any{resp.StatusCode, quote(ct)}, args...)...)
	}
	if resp.StatusCode/100 == 3 {
		return bad("a redirect, which is not followed")
	}
	if resp.ContentLength > maxAnswerBytes {
		return bad("the answer is %d bytes, more than any GetCallerIdentity answer", resp.ContentLength)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
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
			return bad("not a GetCallerIdentity answer: %v", err)
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
		apiErr.StatusCode = resp.StatusCode
		apiErr.Message = truncateTo(apiErr.Message, 256)
		if apiErr.RequestID == "" {
			apiErr.RequestID = truncate(resp.Header.Get("X-Amzn-Requestid"))
		}
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
		return gciAnswer{}, verr(CheckSTS, ErrUnavailable, "HTTP %d with no STS error document (Content-Type %s)", resp.StatusCode, quote(ct))
	}
	return bad("neither a GetCallerIdentity answer nor an STS error document")
}

// parseResultJSON parses the JSON form of a GetCallerIdentity answer,
// strictly: exactly
//
//	{"GetCallerIdentityResponse": {"GetCallerIdentityResult": {"Account": …, "Arn": …, "UserId": …},
//	 "ResponseMetadata": {"RequestId": …}}}
//
// with each member once (ResponseMetadata optional), string values, and
// nothing else.
func parseResultJSON(body []byte, a *gciAnswer) error {
	d := json.NewDecoder(bytes.NewReader(body))
	err := jsonObject(d, []jsonMember{{name: "GetCallerIdentityResponse", required: true, read: func() error {
		return jsonObject(d, []jsonMember{
			{name: "GetCallerIdentityResult", required: true, read: func() error {
				return jsonObject(d, []jsonMember{
					{name: "Account", required: true, read: jsonString(d, &a.account)},
					{name: "Arn", required: true, read: jsonString(d, &a.arn)},
					{name: "UserId", required: true, read: jsonString(d, &a.userID)},
				})
			}},
			{name: "ResponseMetadata", read: func() error {
				return jsonObject(d, []jsonMember{{name: "RequestId", read: jsonString(d, &a.requestID)}})
			}},
		})
	}}})
	if err != nil {
		return err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return errors.New("text after the JSON document")
	}
	return nil
}

type jsonMember struct {
	name     string
	required bool
	read     func() error
	seen     bool
}

// jsonObject reads an object whose members are those listed, each at
// most once (and the required ones once).
func jsonObject(d *json.Decoder, members []jsonMember) error {
	if err := expectDelim(d, '{'); err != nil {
		return err
	}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		var m *jsonMember
		for i := range members {
			if members[i].name == name {
				m = &members[i]
			}
		}
		switch {
		case m == nil:
			return fmt.Errorf("unexpected member %s", quote(name))
		case m.seen:
			return fmt.Errorf("member %s twice", name)
		}
		m.seen = true
		if err := m.read(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := expectDelim(d, '}'); err != nil {
		return err
	}
	for _, m := range members {
		if m.required && !m.seen {
			return fmt.Errorf("no member %s", m.name)
		}
	}
	return nil
}

// jsonString reads a string value into dst.
func jsonString(d *json.Decoder, dst *string) func() error {
	return func() error {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		s, ok := tok.(string)
		if !ok {
			return errors.New("not a string")
		}
		*dst = s
		return nil
	}
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
	return &sts.APIError{Type: truncate(doc.Error.Type), Code: truncate(doc.Error.Code), Message: doc.Error.Message, RequestID: truncate(doc.RequestID)}
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
	return &sts.APIError{Type: truncate(e.Type), Code: truncate(e.Code), Message: e.Message, RequestID: truncate(doc.RequestID)}
}
