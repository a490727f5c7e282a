package arn

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxLen is the longest text, in bytes, that [Parse] accepts as an ARN.
// It is the limit STS documents for the Arn it returns, and it is longer
// than any IAM ARN can be (an IAM path is at most 512 bytes and a name at
// most 64). Refusing longer text up front keeps the cost of parsing hostile
// input bounded.
const MaxLen = 2048

// An ARN is an Amazon Resource Name split into its parts:
//
//	arn:Partition:Service:Region:AccountID:Resource
//
// Parse fills an ARN from text and String turns it back into the same text,
// byte for byte. The Resource keeps any colons or slashes it contains: how
// it is structured depends on the service.
type ARN struct {
	// Partition is the group of AWS Regions the resource lives in: "aws",
	// "aws-cn", "aws-us-gov", ... See [LookupPartition].
	Partition string
	// Service names the AWS service, such as "iam", "sts" or "s3".
	Service string
	// Region is the AWS Region, such as "us-east-1", or empty for
	// resources that are not regional (IAM resources, S3 buckets, ...).
	Region string
	// AccountID is the 12-digit AWS account that owns the resource, the
	// literal "aws" for some resources that AWS owns (such as AWS managed
	// policies, arn:aws:iam::aws:policy/ReadOnlyAccess), or empty for
	// resources without an owning account in their ARN (such as S3 buckets).
	AccountID string
	// Resource identifies the resource within the service, such as
	// "user/Alice" or "assumed-role/my-role-name/my-role-session-name".
	Resource string
}

// String returns the ARN in its text form. For an ARN returned by [Parse],
// it is exactly the text that was parsed.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.AccountID + ":" + a.Resource
}

// Indexes of the colon-separated fields of an ARN, as reported in
// ParseError.Field.
const (
	fieldPrefix = iota
	fieldPartition
	fieldService
	fieldRegion
	fieldAccount
	fieldResource
	numFields
)

// fieldNames are the Part names of the fields in a ParseError.
var fieldNames = [numFields]string{"prefix", "partition", "service", "region", "account", "resource"}

// Parse parses s as an ARN of the form
//
//	arn:partition:service:region:account-id:resource
//
// Parse is strict. It accepts s only if:
//   - s is at most [MaxLen] bytes long;
//   - it starts with "arn:" (in lower case) and has at least six
//     colon-separated fields; the sixth, the resource, runs to the end of s
//     and may itself contain colons;
//   - the partition is one [LookupPartition] knows;
//   - the service is non-empty and made of lower-case letters, digits and
//     hyphens, and so is the region when there is one;
//   - an "iam" ARN has an empty region;
//   - the account is 12 ASCII digits, the literal "aws" (as in AWS managed
//     policies; never for "sts"), or empty; it must not be empty for "iam"
//     and "sts", whose resources always belong to an account;
//   - the resource is non-empty, valid UTF-8, and has no control
//     characters (so that an ARN is always safe to print in a log line).
//
// Parse does not check that the region belongs to the partition, nor the
// structure of the resource: see [ParsePrincipal] for that. It parses the
// ARNs of actual resources, not the patterns of IAM policies: a wildcard
// in the partition, service, region or account is refused.
//
// Every error Parse returns is a [*ParseError] that says which part is
// wrong, where, and why. Parse does not allocate unless it fails.
func Parse(s string) (ARN, error) {
	if len(s) > MaxLen {
		return ARN{}, newError(s, "length", "", MaxLen, -1,
			"ARN is "+strconv.Itoa(len(s))+" bytes long, more than the "+strconv.Itoa(MaxLen)+" allowed")
	}
	var f [numFields]string
	var off [numFields]int
	n, pos, rest := 0, 0, s
	for n < numFields-1 {
		i := strings.IndexByte(rest, ':')
		if i < 0 {
			break
		}
		f[n], off[n] = rest[:i], pos
		n++
		pos += i + 1
		rest = rest[i+1:]
	}
	f[n], off[n] = rest, pos
	n++
	if err := check(&f, &off, n, s); err != nil {
		return ARN{}, err
	}
	return ARN{Partition: f[1], Service: f[2], Region: f[3], AccountID: f[4], Resource: f[5]}, nil
}

// Validate reports whether a, which may have been built by hand rather than
// by [Parse], is an ARN that Parse would accept: nil if it is, and a
// [*ParseError] about a.String() if it is not.
func (a ARN) Validate() error {
	if err := a.validate(); err != nil {
		return err
	}
	return nil
}

// validate is Validate returning the concrete error type.
func (a ARN) validate() *ParseError {
	f := [numFields]string{"arn", a.Partition, a.Service, a.Region, a.AccountID, a.Resource}
	off := a.offsets()
	var err *ParseError
	if off[fieldResource]+len(a.Resource) > MaxLen {
		s := a.String()
		err = newError(s, "length", "", MaxLen, -1,
			"ARN is "+strconv.Itoa(len(s))+" bytes long, more than the "+strconv.Itoa(MaxLen)+" allowed")
	} else {
		err = check(&f, &off, numFields, "")
	}
	if err != nil && err.Input == "" {
		err.Input = cut(a.String())
	}
	return err
}

// offsets returns where each field of a.String() starts.
func (a ARN) offsets() [numFields]int {
	var off [numFields]int
	off[fieldPartition] = len("arn:")
	off[fieldService] = off[fieldPartition] + len(a.Partition) + 1
	off[fieldRegion] = off[fieldService] + len(a.Service) + 1
	off[fieldAccount] = off[fieldRegion] + len(a.Region) + 1
	off[fieldResource] = off[fieldAccount] + len(a.AccountID) + 1
	return off
}

// check validates the first n fields f of an ARN, which start at offsets
// off of input, in order, and reports the first problem, or a missing
// field if n < numFields.
func check(f *[numFields]string, off *[numFields]int, n int, input string) *ParseError {
	bad := func(field int, reason string) *ParseError {
		return newError(input, fieldNames[field], f[field], off[field], field, reason)
	}
	for i := 0; i < numFields; i++ {
		if i >= n {
			return newError(input, fieldNames[i], "", len(input), i,
				"missing: an ARN has 6 colon-separated fields, this has "+strconv.Itoa(n))
		}
		v := f[i]
		switch i {
		case fieldPrefix:
			if v != "arn" {
				return bad(i, `an ARN must start with "arn:"`)
			}
		case fieldPartition:
			if v == "" {
				return bad(i, "must not be empty")
			}
			if _, ok := lookup(v); !ok {
				return bad(i, "unknown partition; want one of "+partitionList)
			}
		case fieldService:
			if v == "" {
				return bad(i, "must not be empty")
			}
			if j := indexNotLowerAlnumHyphen(v); j >= 0 {
				return bad(i, "must be lower-case letters, digits and hyphens")
			}
		case fieldRegion:
			if j := indexNotLowerAlnumHyphen(v); j >= 0 {
				return bad(i, "must be lower-case letters, digits and hyphens")
			}
			if v != "" && f[fieldService] == "iam" {
				return bad(i, "must be empty in an iam ARN: IAM is a global service")
			}
		case fieldAccount:
			svc := f[fieldService]
			switch {
			case v == "":
				if svc == "iam" || svc == "sts" {
					return bad(i, "must not be empty in an "+svc+" ARN: must be 12 digits")
				}
			case v == "aws":
				if svc == "sts" {
					return bad(i, "must be 12 digits")
				}
			case !isAccountID(v):
				return bad(i, "must be 12 digits")
			}
		case fieldResource:
			if v == "" {
				return bad(i, "must not be empty")
			}
			if j, why := indexUnprintable(v); j >= 0 {
				e := bad(i, why)
				e.Offset += j
				return e
			}
		}
	}
	return nil
}

// isAccountID reports whether s is an AWS account ID: exactly 12 ASCII
// digits.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// indexNotLowerAlnumHyphen returns the index of the first byte of s that is
// not a lower-case ASCII letter, digit or hyphen, or -1.
func indexNotLowerAlnumHyphen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return i
		}
	}
	return -1
}

// indexUnprintable returns the byte offset of the first invalid UTF-8
// sequence or control character (C0, DEL or C1) in s and a reason, or -1.
func indexUnprintable(s string) (int, string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i, "contains the control character " + strconv.QuoteRune(rune(c))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i, "contains invalid UTF-8"
		}
		if r < 0xa0 { // C1 controls, U+0080 to U+009F
			return i, "contains the control character " + strconv.QuoteRune(r)
		}
		i += size
	}
	return -1, ""
}
