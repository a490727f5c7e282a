package ststest

import (
	"fmt"
	"net/http"
)

// A Fault is how the server answers a request instead of handling it: see
// Server.FailNext. Make one with Throttling, InternalFailure, Error, Raw,
// ServiceUnavailableHTML, Hang or Oversized.
type Fault struct {
	kind        faultKind
	status      int
	code        string
	message     string
	contentType string
	body        string
	size        int
}

type faultKind int

const (
	faultError faultKind = iota + 1
	faultRaw
	faultHang
	faultOversized
)

// String describes f.
func (f Fault) String() string {
	switch f.kind {
	case faultError:
		return fmt.Sprintf("ststest.Error(%d, %q)", f.status, f.code)
	case faultRaw:
		return fmt.Sprintf("ststest.Raw(%d, %q, %d bytes)", f.status, f.contentType, len(f.body))
	case faultHang:
		return "ststest.Hang()"
	case faultOversized:
		return fmt.Sprintf("ststest.Oversized(%d)", f.size)
	}
	return "ststest.Fault{}"
}

// Error answers with an STS error document: HTTP status, error code and
// message. The error's Type is "Receiver" for a 5xx status and "Sender"
// otherwise.
func Error(status int, code, message string) Fault {
	return Fault{kind: faultError, status: status, code: code, message: message}
}

// Throttling answers as STS does when a caller exceeds its request rate:
// HTTP 400, code Throttling, "Rate exceeded".
func Throttling() Fault { return Error(http.StatusBadRequest, "Throttling", "Rate exceeded") }

// InternalFailure answers as STS does on an internal error: HTTP 500, code
// InternalFailure.
func InternalFailure() Fault {
	return Error(http.StatusInternalServerError, "InternalFailure",
		"The request processing has failed because of an unknown error, exception or failure.")
}

// Raw answers with the given status, Content-Type and body, as a proxy or
// load balancer in front of STS might.
func Raw(status int, contentType, body string) Fault {
	return Fault{kind: faultRaw, status: status, contentType: contentType, body: body}
}

// ServiceUnavailableHTML answers HTTP 503 with an HTML page, as a load
// balancer does when no backend is available.
func ServiceUnavailableHTML() Fault {
	return Raw(http.StatusServiceUnavailable, "text/html",
		"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n")
}

// Hang never answers: the server holds the request until the client gives
// up or the server is closed.
func Hang() Fault { return Fault{kind: faultHang} }

// Oversized answers HTTP 200 with a text/xml body of size bytes that starts
// like a GetCallerIdentityResponse and never ends, to check that a client
// bounds what it reads. The body is streamed, not held in memory.
func Oversized(size int) Fault { return Fault{kind: faultOversized, size: size} }
