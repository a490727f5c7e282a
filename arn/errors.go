package arn

import (
	"errors"
	"strconv"
	"unicode/utf8"
)

// ErrNotPrincipal is the error that [ParsePrincipal] and [ClassifyARN] wrap
// when they are given a well-formed ARN that does not name a principal: an
// S3 bucket, an IAM group, an assumed-role ARN without a session name, and
// so on. Test for it with errors.Is; errors.As with a [*ParseError] tells
// which part of the ARN is at fault.
var ErrNotPrincipal = errors.New("not a principal ARN")

// maxErrText is how many bytes of the input, and of the faulty part, a
// ParseError keeps.
const maxErrText = 100

// A ParseError describes text that could not be parsed: an ARN that
// [Parse] rejects, an ARN that [ParsePrincipal] or [ClassifyARN] does not
// accept as a principal, or a user ID that [ParseUserID] rejects. Its
// message names the faulty part, its position and the reason, like
//
//	arn: invalid account "12345678901" at byte 13: must be 12 digits
//
// A ParseError never holds more than the first 100 bytes of the input, nor
// of the faulty part, so that a hostile input of any size cannot flood a
// log through it; and its message quotes the part with Go escapes, so that
// control characters in the input cannot forge log lines.
type ParseError struct {
	// Input is the text that was parsed. Longer text is cut to its first
	// 100 bytes or a little less (so as not to split a UTF-8 sequence),
	// followed by "...".
	Input string
	// Part names the faulty part. For an ARN it is one of "prefix",
	// "partition", "service", "region", "account", "resource", or "length"
	// when the whole ARN is too long. For a user ID it is "unique ID",
	// "name" or "length".
	Part string
	// Value is the text of the faulty part, cut like Input. It is empty
	// when the part is missing or empty, or for "length" errors.
	Value string
	// Offset is the byte offset in the input where the problem is: the
	// start of the faulty part, the offending character within it, or the
	// end of the input when a part is missing.
	Offset int
	// Field is the index of the faulty colon-separated field of an ARN,
	// from 0 for the "arn" prefix to 5 for the resource, or -1 when the
	// error is not about one field of an ARN.
	Field int
	// Reason says what is wrong, such as "must be 12 digits".
	Reason string
	// Err is the sentinel error this error wraps, for errors.Is: it is
	// ErrNotPrincipal for well-formed ARNs that are not principals, and
	// nil otherwise.
	Err error
}

// Error returns the message "arn: invalid PART "VALUE" at byte OFFSET: REASON",
// with the quoted value left out when it is empty and, for errors that wrap
// ErrNotPrincipal, the words "not a principal ARN" before the reason.
func (e *ParseError) Error() string {
	msg := "arn: invalid " + e.Part
	if e.Value != "" {
		msg += " " + strconv.Quote(e.Value)
	}
	msg += " at byte " + strconv.Itoa(e.Offset) + ": "
	if e.Err != nil {
		msg += e.Err.Error() + ": "
	}
	return msg + e.Reason
}

// Unwrap returns e.Err.
func (e *ParseError) Unwrap() error { return e.Err }

// newError returns a ParseError, cutting input and value.
func newError(input, part, value string, offset, field int, reason string) *ParseError {
	return &ParseError{
		Input:  cut(input),
		Part:   part,
		Value:  cut(value),
		Offset: offset,
		Field:  field,
		Reason: reason,
	}
}

// cut returns s if it is at most maxErrText bytes long, and otherwise its
// first maxErrText bytes, or a little less so as not to split a UTF-8
// sequence, followed by "...".
func cut(s string) string {
	if len(s) <= maxErrText {
		return s
	}
	n := maxErrText
	for n > maxErrText-utf8.UTFMax && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
