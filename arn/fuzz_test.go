package arn

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// addSeeds adds every ARN of the package's tables to f.
func addSeeds(f *testing.F) {
	for _, tt := range validARNs {
		f.Add(tt.in)
	}
	for _, tt := range invalidARNs {
		f.Add(tt.in)
	}
	for _, tt := range validPrincipals {
		f.Add(tt.in)
	}
	for _, tt := range notPrincipals {
		f.Add(tt.in)
	}
}

// checkParseError checks the invariants of every error the parsers return.
func checkParseError(t *testing.T, in string, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("%q: error %T is not a *ParseError: %v", in, err, err)
	}
	if len(pe.Input) > maxErrText+3 || len(pe.Value) > maxErrText+3 {
		t.Fatalf("%q: error keeps too much: %+v", in, pe)
	}
	if !strings.HasPrefix(in, strings.TrimSuffix(pe.Input, "...")) {
		t.Fatalf("%q: error Input %q is not a prefix of the input", in, pe.Input)
	}
	if pe.Offset < 0 || pe.Offset > len(in) && pe.Part != "length" {
		t.Fatalf("%q: error Offset %d is outside the input", in, pe.Offset)
	}
	if pe.Field < -1 || pe.Field >= numFields || pe.Part == "" || pe.Reason == "" {
		t.Fatalf("%q: malformed error %+v", in, pe)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "arn: invalid "+pe.Part) || strings.ContainsAny(msg, "\n\r") {
		t.Fatalf("%q: malformed message %q", in, msg)
	}
	if utf8.ValidString(in) && !utf8.ValidString(pe.Input) {
		t.Fatalf("%q: cutting the input split a UTF-8 sequence: %q", in, pe.Input)
	}
}

func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			checkParseError(t, s, err)
			if a != (ARN{}) {
				t.Fatalf("Parse(%q) returned %+v with an error", s, a)
			}
			return
		}
		if got := a.String(); got != s {
			t.Fatalf("Parse(%q).String() = %q", s, got)
		}
		b, err := Parse(a.String())
		if err != nil || b != a {
			t.Fatalf("Parse(Parse(%q).String()) = %+v, %v; want %+v", s, b, err, a)
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("Parse(%q).Validate() = %v", s, err)
		}
		if _, ok := LookupPartition(a.Partition); !ok {
			t.Fatalf("Parse(%q) accepted unknown partition %q", s, a.Partition)
		}
	})
}

func FuzzParsePrincipal(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePrincipal(s)
		if err != nil {
			checkParseError(t, s, err)
			if p != (Principal{}) {
				t.Fatalf("ParsePrincipal(%q) returned %+v with an error", s, p)
			}
			_, perr := Parse(s)
			if errors.Is(err, ErrNotPrincipal) != (perr == nil) {
				t.Fatalf("ParsePrincipal(%q) = %v, but Parse says %v", s, err, perr)
			}
			return
		}
		if p.Kind == KindUnknown || p.ARN.String() != s {
			t.Fatalf("ParsePrincipal(%q) = %+v", s, p)
		}
		a, err := Parse(p.ARN.String())
		if err != nil || a != p.ARN {
			t.Fatalf("Parse(%q) = %+v, %v; want %+v", s, a, err, p.ARN)
		}
		if q, err := ClassifyARN(p.ARN); err != nil || q != p {
			t.Fatalf("ClassifyARN(%+v) = %+v, %v; want %+v", p.ARN, q, err, p)
		}
		switch p.Kind {
		case KindUser, KindRole:
			if !strings.HasPrefix(p.Path, "/") || !strings.HasSuffix(p.Path, "/") || p.Name == "" || p.SessionName != "" {
				t.Fatalf("ParsePrincipal(%q) = %+v", s, p)
			}
		case KindAssumedRole:
			if p.Path != "" || p.Name == "" || p.SessionName == "" {
				t.Fatalf("ParsePrincipal(%q) = %+v", s, p)
			}
			r, err := p.RoleARN("")
			if err != nil {
				t.Fatalf("RoleARN of %q: %v", s, err)
			}
			if rp, err := ClassifyARN(r); err != nil || rp.Kind != KindRole || rp.Name != p.Name {
				t.Fatalf("RoleARN of %q = %v: %+v, %v", s, r, rp, err)
			}
		}
		// Canonical forms are the same principal.
		for _, c := range []ARN{p.Canonical(), p.CanonicalWithoutPath()} {
			cp, err := ClassifyARN(c)
			if err != nil || !SamePrincipal(p, cp) || !SamePrincipal(cp, p) {
				t.Fatalf("canonical %v of %q: %+v, %v", c, s, cp, err)
			}
			if c2, err := Parse(c.String()); err != nil || c2 != c {
				t.Fatalf("canonical %v of %q does not round-trip: %v", c, s, err)
			}
		}
		if !SamePrincipal(p, p) {
			t.Fatalf("SamePrincipal(%q, itself) is false", s)
		}
	})
}

func FuzzParseUserID(f *testing.F) {
	for _, s := range []string{
		"", "123456789012", "AIDACKCEVSQ6C2EXAMPLE", "AKIAI44QH8DHBEXAMPLE",
		"AKIAI44QH8DHBEXAMPLE:my-role-session-name", "123456789012:my-federated-user-name",
		"AROA3XFRBF535PLBIFPI4:alice@example.com", "AROAEXAMPLEID12345678:i-0123456789abcdef0",
		"AROAEXAMPLEID12345678:", ":", "123456789012:", "AROAEXAMPLEID12345678:a:b", "anonymous",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUserID(s)
		if err != nil {
			checkParseError(t, s, err)
			if u != (UserID{}) {
				t.Fatalf("ParseUserID(%q) returned %+v with an error", s, u)
			}
			return
		}
		if got := u.String(); got != s {
			t.Fatalf("ParseUserID(%q).String() = %q", s, got)
		}
		if v, err := ParseUserID(u.String()); err != nil || v != u {
			t.Fatalf("ParseUserID(%q) does not round-trip: %+v, %v", s, v, err)
		}
		if (u.UniqueID == "") == (u.AccountID == "") {
			t.Fatalf("ParseUserID(%q) = %+v: want exactly one of UniqueID and AccountID", s, u)
		}
		if u.UniqueID != "" && IDKindOf(u.UniqueID) != u.IDKind {
			t.Fatalf("ParseUserID(%q) = %+v: IDKind disagrees with IDKindOf", s, u)
		}
	})
}
