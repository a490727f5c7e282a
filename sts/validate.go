package sts

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/callerid/callerid/internal/peertext"
)

// The kinds of ParamError, for errors.Is.
var (
	// ErrParamLength: a string's length, or a list's number of members,
	// is outside the bounds of STS's API model.
	ErrParamLength = errors.New("length out of bounds")
	// ErrParamRange: a number is outside the bounds of STS's API model.
	ErrParamRange = errors.New("value out of range")
	// ErrParamPattern: a string holds a character that the pattern of
	// STS's API model does not allow.
	ErrParamPattern = errors.New("character not allowed")
)

// maxParamValue is how many bytes of a parameter's value a ParamError
// keeps.
const maxParamValue = 64

// ParamError is a parameter of a call that STS's API model refuses (the
// bounds and patterns the AWS CLI's copy of the model states), found
// before anything is sent. It comes inside an *InputError, itself inside
// the *OperationError of the call (with no attempts). errors.Is(err,
// Kind) holds for its Kind.
//
// The AWS CLI itself refuses only the values below a minimum (a string
// too short, a DurationSeconds under 900) before sending; STS refuses the
// rest with a ValidationError.
type ParamError struct {
	// Param is the parameter as STS's API names it: "RoleArn",
	// "RoleSessionName", "DurationSeconds", a list's member with its
	// index from 1, "PolicyArns.member.2.arn".
	Param string
	// Kind says what is wrong: ErrParamLength, ErrParamRange or
	// ErrParamPattern.
	Kind error
	// Value is the start of the value, at most 64 bytes (then "..."),
	// for strings other than secrets; empty for a secret (TokenCode,
	// WebIdentityToken) and for numbers and lists.
	Value string
	// Secret reports that the parameter is a secret, whose value no
	// error shows.
	Secret bool
	// Length is the string's length in characters (Unicode code points,
	// as the model counts them), or the list's number of members.
	Length int
	// Number is the value of a number (ErrParamRange).
	Number int64
	// Min and Max bound the length or the number; Max is zero when the
	// model sets no upper bound.
	Min, Max int
	// Pattern is the model's pattern of the allowed values, for
	// ErrParamPattern, e.g. `[\w+=,.@-]*`.
	Pattern string
	// Offset is where the first character not allowed is, in characters
	// from 0, for ErrParamPattern.
	Offset int
}

// Error says which parameter, what is wrong with it and what STS takes,
// quoting the start of the value unless it is a secret.
func (e *ParamError) Error() string {
	what := e.Param
	switch {
	case e.Secret:
		what += " (a secret, not shown)"
	case e.Kind == ErrParamLength && e.isList():
	case e.Kind != ErrParamRange:
		what += " " + strconv.Quote(e.Value)
	}
	switch e.Kind {
	case ErrParamLength:
		if e.isList() {
			return what + " has " + strconv.Itoa(e.Length) + " members; STS takes " + e.bounds()
		}
		return what + " is " + strconv.Itoa(e.Length) + " characters long; STS takes " + e.bounds()
	case ErrParamRange:
		return what + " " + strconv.FormatInt(e.Number, 10) + " is out of range; STS takes " + e.bounds()
	case ErrParamPattern:
		return what + " has a character STS does not take at offset " + strconv.Itoa(e.Offset) + "; it takes " + e.Pattern
	}
	return what + ": invalid"
}

// isList reports whether the parameter is a list (its Length counts
// members).
func (e *ParamError) isList() bool {
	return e.Param == "Tags" || e.Param == "TransitiveTagKeys"
}

// bounds words Min and Max.
func (e *ParamError) bounds() string {
	switch {
	case e.Max == 0:
		return "at least " + strconv.Itoa(e.Min)
	case e.Min == e.Max:
		return "exactly " + strconv.Itoa(e.Min)
	case e.Min == 0:
		return "at most " + strconv.Itoa(e.Max)
	}
	return strconv.Itoa(e.Min) + " to " + strconv.Itoa(e.Max)
}

// Is reports whether target is e's Kind.
func (e *ParamError) Is(target error) bool { return e.Kind != nil && target == e.Kind }

// InputError lists the parameters of a call that STS would refuse, in the
// order the AWS CLI reports them, found before anything is sent: the
// *OperationError of the call (with no attempts) wraps it, and errors.As
// finds each *ParamError in it.
type InputError struct {
	// Params are the parameters at fault, at least one.
	Params []*ParamError
}

// Error lists what is wrong with each parameter.
func (e *InputError) Error() string {
	s := make([]string, len(e.Params))
	for i, p := range e.Params {
		s[i] = p.Error()
	}
	return "invalid input: " + strings.Join(s, "; ")
}

// Unwrap returns the *ParamError values.
func (e *InputError) Unwrap() []error {
	errs := make([]error, len(e.Params))
	for i, p := range e.Params {
		errs[i] = p
	}
	return errs
}

// stringRule is what STS's API model says of a string parameter: its
// length in characters, Max zero for no bound, and the characters it
// may hold (nil for any).
type stringRule struct {
	min, max int
	pattern  string
	allowed  func(rune) bool
}

// The model's rules for the parameters of AssumeRole and
// AssumeRoleWithWebIdentity.
var (
	arnRule = stringRule{min: 20, max: 2048, pattern: `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`,
		allowed: func(r rune) bool {
			return r == '\t' || r == '\n' || r == '\r' || 0x20 <= r && r <= 0x7e || r == 0x85 ||
				0xa0 <= r && r <= 0xd7ff || 0xe000 <= r && r <= 0xfffd || 0x10000 <= r && r <= 0x10ffff
		}}
	sessionNameRule    = stringRule{min: 2, max: 64, pattern: `[\w+=,.@-]*`, allowed: wordOr("+=,.@-")}
	sourceIdentityRule = stringRule{min: 2, max: 64, pattern: `[\w+=,.@-]*`, allowed: wordOr("+=,.@-")}
	externalIDRule     = stringRule{min: 2, max: 1224, pattern: `[\w+=,.@:\/-]*`, allowed: wordOr("+=,.@:/-")}
	serialNumberRule   = stringRule{min: 9, max: 256, pattern: `[\w+=/:,.@-]*`, allowed: wordOr("+=/:,.@-")}
	tokenCodeRule      = stringRule{min: 6, max: 6, pattern: `[\d]*`, allowed: func(r rune) bool { return '0' <= r && r <= '9' }}
	policyPattern      = `[\u0009\u000A\u000D\u0020-\u00FF]+`
	policyAllowed      = func(r rune) bool { return r == '\t' || r == '\n' || r == '\r' || 0x20 <= r && r <= 0xff }
	// AssumeRole's Policy has no upper bound in the model;
	// AssumeRoleWithWebIdentity's has 2048.
	assumeRolePolicyRule  = stringRule{min: 1, pattern: policyPattern, allowed: policyAllowed}
	webIdentityPolicyRule = stringRule{min: 1, max: 2048, pattern: policyPattern, allowed: policyAllowed}
	tagKeyRule            = stringRule{min: 1, max: 128, pattern: `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`, allowed: tagChar}
	tagValueRule          = stringRule{min: 0, max: 256, pattern: `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, allowed: tagChar}
	webIdentityTokenRule  = stringRule{min: 4, max: 20000}
	providerIDRule        = stringRule{min: 4, max: 2048}
)

// MinDuration and MaxDuration bound the Duration of a role session
// (DurationSeconds 900 to 43200 in STS's API model).
const (
	MinDuration = minDurationSeconds * time.Second
	MaxDuration = maxDurationSeconds * time.Second
)

// The model's bounds of DurationSeconds, and of the number of Tags and
// TransitiveTagKeys.
const (
	minDurationSeconds = 900
	maxDurationSeconds = 43200
	maxTags            = 50
)

// wordOr allows the characters of Java's \w (ASCII letters, digits and
// _) and those of extra.
func wordOr(extra string) func(rune) bool {
	return func(r rune) bool {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_' || strings.ContainsRune(extra, r)
	}
}

// tagChar allows letters, separators (spaces), numbers and _.:/=+-@.
func tagChar(r rune) bool {
	return unicode.In(r, unicode.L, unicode.Z, unicode.N) || strings.ContainsRune("_.:/=+-@", r)
}

// checker collects the ParamErrors of a call's input.
type checker struct{ errs []*ParamError }

// str checks a set string parameter against rule. A secret's value is
// not kept.
func (c *checker) str(param, v string, rule stringRule, secret bool) {
	e := &ParamError{Param: param, Secret: secret, Length: utf8.RuneCountInString(v), Min: rule.min, Max: rule.max}
	if !secret {
		e.Value = peertext.Cut(v, maxParamValue)
	}
	if e.Length < rule.min || rule.max > 0 && e.Length > rule.max {
		e.Kind = ErrParamLength
		c.errs = append(c.errs, e)
		return
	}
	if rule.allowed == nil {
		return
	}
	i := 0
	for j, r := range v {
		if !rule.allowed(r) || r == utf8.RuneError && !strings.HasPrefix(v[j:], string(utf8.RuneError)) {
			e.Kind, e.Pattern, e.Offset = ErrParamPattern, rule.pattern, i
			c.errs = append(c.errs, e)
			return
		}
		i++
	}
}

// opt checks a string parameter that is sent only when set.
func (c *checker) opt(param, v string, rule stringRule) {
	if v != "" {
		c.str(param, v, rule, false)
	}
}

// duration checks DurationSeconds, sent when d is not zero.
func (c *checker) duration(d time.Duration) {
	if d == 0 {
		return
	}
	if n := int64(d / time.Second); n < minDurationSeconds || n > maxDurationSeconds {
		c.errs = append(c.errs, &ParamError{Param: "DurationSeconds", Kind: ErrParamRange, Number: n, Min: minDurationSeconds, Max: maxDurationSeconds})
	}
}

// count checks the number of members of a list parameter.
func (c *checker) count(param string, n, max int) {
	if n > max {
		c.errs = append(c.errs, &ParamError{Param: param, Kind: ErrParamLength, Length: n, Max: max})
	}
}

// err is the *InputError of what was found, or nil.
func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return &InputError{Params: c.errs}
}

// check checks the input of AssumeRole, in the order of the AWS CLI's
// parameters for a role profile: RoleSessionName, ExternalId,
// SerialNumber, DurationSeconds, RoleArn, then the rest.
func (in *AssumeRoleInput) check() error {
	var c checker
	c.str("RoleSessionName", in.RoleSessionName, sessionNameRule, false)
	c.opt("ExternalId", in.ExternalID, externalIDRule)
	c.opt("SerialNumber", in.SerialNumber, serialNumberRule)
	if !in.TokenCode.IsZero() {
		c.str("TokenCode", in.TokenCode.Reveal(), tokenCodeRule, true)
	}
	c.duration(in.Duration)
	c.str("RoleArn", in.RoleARN, arnRule, false)
	c.opt("Policy", in.Policy, assumeRolePolicyRule)
	c.policyARNs(in.PolicyARNs)
	c.count("Tags", len(in.Tags), maxTags)
	for i, t := range in.Tags {
		n := "Tags.member." + strconv.Itoa(i+1)
		c.str(n+".Key", t.Key, tagKeyRule, false)
		c.str(n+".Value", t.Value, tagValueRule, false)
	}
	c.count("TransitiveTagKeys", len(in.TransitiveTagKeys), maxTags)
	for i, k := range in.TransitiveTagKeys {
		c.str("TransitiveTagKeys.member."+strconv.Itoa(i+1), k, tagKeyRule, false)
	}
	c.opt("SourceIdentity", in.SourceIdentity, sourceIdentityRule)
	return c.err()
}

// check checks the input of AssumeRoleWithWebIdentity, in the order of the
// AWS CLI's parameters for a web identity profile: RoleSessionName,
// RoleArn, WebIdentityToken, then the rest.
func (in *AssumeRoleWithWebIdentityInput) check() error {
	var c checker
	c.str("RoleSessionName", in.RoleSessionName, sessionNameRule, false)
	c.str("RoleArn", in.RoleARN, arnRule, false)
	c.str("WebIdentityToken", in.WebIdentityToken.Reveal(), webIdentityTokenRule, true)
	c.opt("ProviderId", in.ProviderID, providerIDRule)
	c.duration(in.Duration)
	c.opt("Policy", in.Policy, webIdentityPolicyRule)
	c.policyARNs(in.PolicyARNs)
	return c.err()
}

// policyARNs checks each of PolicyArns.
func (c *checker) policyARNs(arns []string) {
	for i, a := range arns {
		c.str("PolicyArns.member."+strconv.Itoa(i+1)+".arn", a, arnRule, false)
	}
}
