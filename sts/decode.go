package sts

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/callerid/callerid/internal/peertext"
)

// maxResponseBytes bounds what is read of an answer. STS answers are a few
// kilobytes; anything near this size is not STS.
const maxResponseBytes = 1 << 20

// stsNamespace is the XML namespace of STS documents. Documents without a
// namespace (as moto sends its errors) are accepted too.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// responseMetadata is the ResponseMetadata element of every result.
type responseMetadata struct {
	RequestID string `xml:"RequestId" json:"RequestId"`
}

// xmlError is one Error element, in either error document shape.
type xmlError struct {
	Type    string `xml:"Type" json:"Type"`
	Code    string `xml:"Code" json:"Code"`
	Message string `xml:"Message" json:"Message"`
}

// xmlErrorResponse holds both error shapes: real STS puts Error directly in
// ErrorResponse; moto wraps it in Errors.
type xmlErrorResponse struct {
	Error     *xmlError  `xml:"Error"`
	Errors    []xmlError `xml:"Errors>Error"`
	RequestID string     `xml:"RequestId"`
}

// reasonReadingBody is the Reason of a ResponseError for a body that could
// not be read.
const reasonReadingBody = "reading body"

// readBody reads at most maxResponseBytes of resp's body and reports a
// larger body as an error. A read error is kept with its text bounded and
// secrets cut out (peertext.Error).
func readBody(resp *http.Response, secrets []string) ([]byte, error) {
	if resp.ContentLength > maxResponseBytes {
		return nil, &ResponseError{StatusCode: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"),
			Reason: "body is larger than 1 MiB (Content-Length " + strconv.FormatInt(resp.ContentLength, 10) + "), which no STS answer is"}
	}
	body, err := readLimited(resp.Body, resp.ContentLength, maxResponseBytes+1)
	if err != nil {
		return nil, &ResponseError{StatusCode: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Reason: reasonReadingBody, Err: peertext.Error(err, secrets...)}
	}
	if len(body) > maxResponseBytes {
		return nil, &ResponseError{StatusCode: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"),
			Reason: "body is larger than 1 MiB, which no STS answer is"}
	}
	return body, nil
}

// readLimited reads r to its end or to limit bytes, whichever comes
// first. It starts with a buffer of the expected size (or a few KiB) and
// doubles it as needed, so that what it allocates stays within about
// twice what it reads.
func readLimited(r io.Reader, expected, limit int64) ([]byte, error) {
	size := int64(8 << 10)
	if expected >= 0 && expected < limit {
		size = expected + 1 // one more, to see the end
	}
	buf := make([]byte, 0, min(size, limit))
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) >= limit {
				return buf, nil
			}
			grown := make([]byte, len(buf), min(2*int64(cap(buf)), limit))
			copy(grown, buf)
			buf = grown
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

// Limits of an XML answer. STS documents are a few dozen elements, five
// deep; these leave room for growth and stop a hostile document before
// the decoder allocates in proportion to its depth or its tokens.
const (
	maxXMLDepth  = 32
	maxXMLTokens = 4096
)

// Bounds of the peer text kept in an error: a name (root element,
// namespace, JSON key, error code, request id) and a message.
const (
	maxNameText    = 128
	maxMessageText = peertext.Max
)

// decodeResponse decodes the answer to operation op. On success it fills
// result (the <op>Result element) and returns the request id. Otherwise it
// returns an *APIError or a *ResponseError, whose peer text is bounded and
// has secrets cut out.
func decodeResponse(op string, resp *http.Response, body []byte, result any, secrets ...string) (requestID string, err error) {
	ctype := peertext.Line(resp.Header.Get("Content-Type"), maxNameText, secrets...)
	headerID := peertext.Line(resp.Header.Get("X-Amzn-Requestid"), maxNameText, secrets...)
	respErr := func(reason string, err error) error {
		return &ResponseError{StatusCode: resp.StatusCode, ContentType: ctype, Reason: reason, Err: peertext.Error(err, secrets...)}
	}
	// name shows a peer's name as it is if it is plain, quoted otherwise.
	name := func(s string) string {
		if s = peertext.Cut(s, maxNameText, secrets...); plainName(s) {
			return s
		}
		return strconv.Quote(s)
	}
	apiErr := func(e xmlError, id string) error {
		if id == "" {
			id = headerID
		}
		return &APIError{
			StatusCode: resp.StatusCode,
			Type:       peertext.Line(e.Type, maxNameText, secrets...),
			Code:       peertext.Line(e.Code, maxNameText, secrets...),
			Message:    peertext.Line(e.Message, maxMessageText, secrets...),
			RequestID:  peertext.Line(id, maxNameText, secrets...),
		}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return "", respErr("empty body", nil)
	}
	if mt, _, _ := mime.ParseMediaType(ctype); mt == "application/json" {
		return decodeJSON(op, resp.StatusCode, headerID, body, result, respErr, apiErr, name)
	}

	if err := checkXMLBounds(body); err != nil {
		return "", respErr("XML document out of bounds", err)
	}
	root, err := rootElement(body)
	if err != nil {
		return "", respErr("not an XML document", err)
	}
	if root.Space != "" && root.Space != stsNamespace {
		return "", respErr("root element <"+name(root.Local)+"> is in namespace "+name(root.Space)+", not STS's", nil)
	}
	switch root.Local {
	case "ErrorResponse":
		var doc xmlErrorResponse
		if err := xml.Unmarshal(body, &doc); err != nil {
			return "", respErr("malformed error document", err)
		}
		e := doc.Error
		if e == nil && len(doc.Errors) > 0 {
			e = &doc.Errors[0]
		}
		if e == nil || e.Code == "" {
			return "", respErr("error document has no error code", nil)
		}
		return "", apiErr(*e, doc.RequestID)
	case op + "Response":
		if resp.StatusCode/100 != 2 {
			return "", respErr("a "+name(root.Local)+" document with a non-2xx status", nil)
		}
		var md responseMetadata
		if err := unmarshalResult(body, op, result, &md); err != nil {
			return "", respErr("malformed "+name(root.Local)+" document", err)
		}
		id := md.RequestID
		if id == "" {
			id = headerID
		}
		return id, nil
	default:
		return "", respErr("root element <"+name(root.Local)+"> is neither "+op+"Response nor ErrorResponse", nil)
	}
}

// plainName reports whether s is a non-empty name of letters, digits and
// - _ . : / only, which an error shows without quotes.
func plainName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.:/", c) >= 0) {
			return false
		}
	}
	return true
}

// checkXMLBounds refuses a document with more than maxXMLTokens markup
// tokens or attributes (counted by their '<' and '=', before any
// decoding) or nested deeper than maxXMLDepth (found by a walk that stops
// there), so that what decoding allocates stays in proportion to an STS
// answer, not to what a hostile peer sends.
func checkXMLBounds(body []byte) error {
	if n := bytes.Count(body, []byte("<")); n > maxXMLTokens {
		return fmt.Errorf("more than %d markup tokens", maxXMLTokens)
	}
	if n := bytes.Count(body, []byte("=")); n > maxXMLTokens {
		return fmt.Errorf("more than %d attributes", maxXMLTokens)
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			// io.EOF, or a syntax error the real decoding reports.
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return fmt.Errorf("elements nested more than %d deep", maxXMLDepth)
			}
			if len(t.Attr) > maxXMLDepth {
				return fmt.Errorf("an element with more than %d attributes", maxXMLDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
}

// rootElement returns the name of body's first element.
func rootElement(body []byte) (xml.Name, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return xml.Name{}, errors.New("no root element")
			}
			return xml.Name{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t.Name, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return xml.Name{}, errors.New("text before the root element")
			}
		}
	}
}

// unmarshalResult decodes <opResult> into result and <ResponseMetadata>
// into md, walking the children of the root element. The whole document
// must be well-formed.
func unmarshalResult(body []byte, op string, result any, md *responseMetadata) error {
	d := xml.NewDecoder(bytes.NewReader(body))
	depth := 0
	found := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 1 {
				switch t.Name.Local {
				case op + "Result":
					if err := d.DecodeElement(result, &t); err != nil {
						return err
					}
					found = true
					continue
				case "ResponseMetadata":
					if err := d.DecodeElement(md, &t); err != nil {
						return err
					}
					continue
				}
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if !found {
		return errors.New("no " + op + "Result element")
	}
	return nil
}

// maxJSONKeysShown is how many keys of an unexpected JSON document an
// error names.
const maxJSONKeysShown = 8

// decodeJSON decodes the JSON form STS answers when asked with
// Accept: application/json.
func decodeJSON(op string, status int, headerID string, body []byte, result any, respErr func(string, error) error,
	apiErr func(xmlError, string) error, name func(string) string) (string, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil {
		return "", respErr("malformed JSON document", err)
	}
	if raw, ok := doc["Error"]; ok {
		var e xmlError
		if err := json.Unmarshal(raw, &e); err != nil || e.Code == "" {
			return "", respErr("JSON error document has no error code", err)
		}
		var id struct {
			RequestID string `json:"RequestId"`
		}
		_ = json.Unmarshal(body, &id)
		return "", apiErr(e, id.RequestID)
	}
	raw, ok := doc[op+"Response"]
	if !ok || status/100 != 2 {
		keys := make([]string, 0, min(len(doc), maxJSONKeysShown))
		for k := range doc {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		more := ""
		if len(keys) > maxJSONKeysShown {
			keys, more = keys[:maxJSONKeysShown], ", ..."
		}
		for i, k := range keys {
			keys[i] = name(k)
		}
		return "", respErr("JSON document is not a "+op+"Response (keys: "+strings.Join(keys, ", ")+more+")", nil)
	}
	var inner map[string]json.RawMessage
	if err := json.Unmarshal(raw, &inner); err != nil {
		return "", respErr("malformed JSON "+op+"Response", err)
	}
	res, ok := inner[op+"Result"]
	if !ok {
		return "", respErr("JSON document has no "+op+"Result", nil)
	}
	if err := json.Unmarshal(res, result); err != nil {
		return "", respErr("malformed JSON "+op+"Result", err)
	}
	var md responseMetadata
	if m, ok := inner["ResponseMetadata"]; ok {
		_ = json.Unmarshal(m, &md)
	}
	if md.RequestID == "" {
		md.RequestID = headerID
	}
	return md.RequestID, nil
}
