package sts

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/credentials"
)

// Tag is a session tag passed to AssumeRole.
type Tag struct {
	// Key is the tag's name.
	Key string
	// Value is the tag's value.
	Value string
}

// AssumeRoleInput are the parameters of AssumeRole.
type AssumeRoleInput struct {
	// RoleARN is the role to assume (RoleArn), e.g.
	// arn:aws:iam::123456789012:role/deploy: 20 to 2048 characters.
	// Required.
	RoleARN string
	// RoleSessionName names the session; it ends the assumed-role ARN:
	// 2 to 64 of the letters, digits and _+=,.@- that STS takes.
	// Required.
	RoleSessionName string
	// ExternalID is passed as ExternalId when set: 2 to 1224 characters.
	ExternalID string
	// Duration is the session's lifetime, in whole seconds
	// (DurationSeconds), 900 to 43200; zero leaves it to STS (one hour).
	Duration time.Duration
	// Policy is an inline session policy, a JSON document.
	Policy string
	// PolicyARNs are the ARNs of managed session policies.
	PolicyARNs []string
	// SerialNumber names the MFA device, with TokenCode its current code:
	// 9 to 256 characters.
	SerialNumber string
	// TokenCode is the MFA device's current code, six digits, a secret:
	// set it with credentials.NewSecret(code).
	TokenCode credentials.Secret
	// Tags are session tags.
	Tags []Tag
	// TransitiveTagKeys are the keys of Tags that pass on to chained
	// role sessions.
	TransitiveTagKeys []string
	// SourceIdentity is the source identity the session carries.
	SourceIdentity string
}

// AssumeRoleWithWebIdentityInput are the parameters of
// AssumeRoleWithWebIdentity.
//
// The web identity token is a credentials.Secret: no fmt verb, JSON or
// log/slog output shows it, and the errors of AssumeRoleWithWebIdentity
// never include it.
type AssumeRoleWithWebIdentityInput struct {
	// RoleARN is the role to assume. Required.
	RoleARN string
	// RoleSessionName names the session. Required.
	RoleSessionName string
	// WebIdentityToken is the OIDC or OAuth 2.0 token of the identity
	// provider, 4 to 20000 characters, set with
	// credentials.NewSecret(token). Required.
	WebIdentityToken credentials.Secret
	// ProviderID names an OAuth 2.0 provider (ProviderId); empty for OIDC.
	ProviderID string
	// Duration is the session's lifetime, in whole seconds, 900 to
	// 43200; zero leaves it to STS (one hour).
	Duration time.Duration
	// Policy is an inline session policy, a JSON document of at most
	// 2048 characters.
	Policy string
	// PolicyARNs are the ARNs of managed session policies.
	PolicyARNs []string
}

// AssumedRoleUser is the session a role was assumed as.
type AssumedRoleUser struct {
	// AssumedRoleID is the role's unique id and the session name,
	// AROA…:session.
	AssumedRoleID string
	// ARN is arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION.
	ARN string
}

// AssumeRoleOutput is the answer to AssumeRole.
type AssumeRoleOutput struct {
	// Credentials are the session's temporary credentials, with their
	// expiry, the account id of the role and Source "sts.AssumeRole".
	Credentials credentials.Credentials
	// AssumedRoleUser is the session.
	AssumedRoleUser AssumedRoleUser
	// PackedPolicySize is the percentage of the allowed size that the
	// session policies and tags take up, when STS says.
	PackedPolicySize int
	// SourceIdentity is the session's source identity, if any.
	SourceIdentity string
	// RequestID is the STS request id of the call.
	RequestID string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Attempts is how many requests the call made.
	Attempts int
}

// AssumeRoleWithWebIdentityOutput is the answer to
// AssumeRoleWithWebIdentity.
type AssumeRoleWithWebIdentityOutput struct {
	AssumeRoleOutput
	// SubjectFromWebIdentityToken is the token's subject (sub claim).
	SubjectFromWebIdentityToken string
	// Audience is the token's audience (aud claim).
	Audience string
	// Provider is the token's issuer.
	Provider string
}

// xmlCredentials is the Credentials element of a result.
type xmlCredentials struct {
	AccessKeyID     string  `xml:"AccessKeyId" json:"AccessKeyId"`
	SecretAccessKey string  `xml:"SecretAccessKey" json:"SecretAccessKey"`
	SessionToken    string  `xml:"SessionToken" json:"SessionToken"`
	Expiration      stsTime `xml:"Expiration" json:"Expiration"`
}

// stsTime is a timestamp of a result: RFC 3339 text in XML, RFC 3339 text
// or seconds since the epoch in JSON.
type stsTime struct{ time.Time }

func (t *stsTime) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	return t.parse(strings.TrimSpace(s))
}

func (t *stsTime) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		f, err := n.Float64()
		if err != nil {
			return err
		}
		sec := int64(f)
		t.Time = time.Unix(sec, int64((f-float64(sec))*1e9)).UTC()
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	return t.parse(s)
}

func (t *stsTime) parse(s string) error {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return fmt.Errorf("expiration %q is not an RFC 3339 time", s)
	}
	t.Time = v
	return nil
}

type xmlAssumedRoleUser struct {
	AssumedRoleID string `xml:"AssumedRoleId" json:"AssumedRoleId"`
	ARN           string `xml:"Arn" json:"Arn"`
}

type xmlAssumeRoleResult struct {
	Credentials      *xmlCredentials     `xml:"Credentials" json:"Credentials"`
	AssumedRoleUser  *xmlAssumedRoleUser `xml:"AssumedRoleUser" json:"AssumedRoleUser"`
	PackedPolicySize int                 `xml:"PackedPolicySize" json:"PackedPolicySize"`
	SourceIdentity   string              `xml:"SourceIdentity" json:"SourceIdentity"`

	SubjectFromWebIdentityToken string `xml:"SubjectFromWebIdentityToken" json:"SubjectFromWebIdentityToken"`
	Audience                    string `xml:"Audience" json:"Audience"`
	Provider                    string `xml:"Provider" json:"Provider"`
}

// roleParams are the parameters both AssumeRole calls share.
func roleParams(roleARN, session string, d time.Duration, policy string, policyARNs []string) (url.Values, error) {
	var missing []string
	if roleARN == "" {
		missing = append(missing, "RoleARN")
	}
	if session == "" {
		missing = append(missing, "RoleSessionName")
	}
	if len(missing) > 0 {
		return nil, errors.New("missing " + strings.Join(missing, " and "))
	}
	if d%time.Second != 0 {
		return nil, fmt.Errorf("duration %v is not a whole number of seconds", d)
	}
	p := url.Values{"RoleArn": {roleARN}, "RoleSessionName": {session}}
	if d > 0 {
		p.Set("DurationSeconds", strconv.FormatInt(int64(d/time.Second), 10))
	}
	if policy != "" {
		p.Set("Policy", policy)
	}
	for i, a := range policyARNs {
		p.Set("PolicyArns.member."+strconv.Itoa(i+1)+".arn", a)
	}
	return p, nil
}

// AssumeRole calls STS AssumeRole, signed with the client's credentials,
// and returns the role session's credentials.
//
// The input is first checked against the bounds and patterns of STS's API
// model: a parameter STS would refuse (a RoleSessionName of one
// character, a Duration under 900 seconds, a TokenCode that is not six
// digits) is an *InputError listing each *ParamError, inside an
// *OperationError with no attempts, and nothing is sent.
func (c *Client) AssumeRole(ctx context.Context, in *AssumeRoleInput) (*AssumeRoleOutput, error) {
	const op = "AssumeRole"
	p, err := roleParams(in.RoleARN, in.RoleSessionName, in.Duration, in.Policy, in.PolicyARNs)
	if err == nil {
		err = in.check()
	}
	if err != nil {
		return nil, c.opError(op, 0, err)
	}
	set := func(k, v string) {
		if v != "" {
			p.Set(k, v)
		}
	}
	set("ExternalId", in.ExternalID)
	set("SerialNumber", in.SerialNumber)
	set("TokenCode", in.TokenCode.Reveal())
	set("SourceIdentity", in.SourceIdentity)
	for i, t := range in.Tags {
		n := "Tags.member." + strconv.Itoa(i+1)
		p.Set(n+".Key", t.Key)
		p.Set(n+".Value", t.Value)
	}
	for i, k := range in.TransitiveTagKeys {
		p.Set("TransitiveTagKeys.member."+strconv.Itoa(i+1), k)
	}
	var res xmlAssumeRoleResult
	r, err := c.call(ctx, op, p, &res, true)
	if err != nil {
		return nil, err
	}
	out, err := roleOutput(op, &res, r)
	if err != nil {
		return nil, c.opError(op, r.attempts, err)
	}
	return out, nil
}

// AssumeRoleWithWebIdentity calls STS AssumeRoleWithWebIdentity, which is
// not signed (the token authenticates), and returns the role session's
// credentials. The token never appears in the errors it returns. The
// input is checked first, as AssumeRole's is.
func (c *Client) AssumeRoleWithWebIdentity(ctx context.Context, in *AssumeRoleWithWebIdentityInput) (*AssumeRoleWithWebIdentityOutput, error) {
	const op = "AssumeRoleWithWebIdentity"
	p, err := roleParams(in.RoleARN, in.RoleSessionName, in.Duration, in.Policy, in.PolicyARNs)
	if err != nil {
		return nil, c.opError(op, 0, err)
	}
	if in.WebIdentityToken.IsZero() {
		return nil, c.opError(op, 0, errors.New("missing WebIdentityToken"))
	}
	if err := in.check(); err != nil {
		return nil, c.opError(op, 0, err)
	}
	p.Set("WebIdentityToken", in.WebIdentityToken.Reveal())
	if in.ProviderID != "" {
		p.Set("ProviderId", in.ProviderID)
	}
	var res xmlAssumeRoleResult
	r, err := c.call(ctx, op, p, &res, false)
	if err != nil {
		// The token is cut out of any peer text in err (see attempt).
		return nil, err
	}
	out, err := roleOutput(op, &res, r)
	if err != nil {
		return nil, c.opError(op, r.attempts, err)
	}
	return &AssumeRoleWithWebIdentityOutput{
		AssumeRoleOutput:            *out,
		SubjectFromWebIdentityToken: res.SubjectFromWebIdentityToken,
		Audience:                    res.Audience,
		Provider:                    res.Provider,
	}, nil
}

// roleOutput checks a result and makes the output of it.
func roleOutput(op string, res *xmlAssumeRoleResult, r result) (*AssumeRoleOutput, error) {
	if res.Credentials == nil || res.AssumedRoleUser == nil {
		return nil, requireFields(op, map[string]string{}, "Credentials", "AssumedRoleUser")
	}
	rc, u := res.Credentials, res.AssumedRoleUser
	if err := requireFields(op, map[string]string{
		"Credentials.AccessKeyId": rc.AccessKeyID, "Credentials.SecretAccessKey": rc.SecretAccessKey,
		"Credentials.SessionToken": rc.SessionToken, "AssumedRoleUser.Arn": u.ARN,
	}, "Credentials.AccessKeyId", "Credentials.SecretAccessKey", "Credentials.SessionToken", "AssumedRoleUser.Arn"); err != nil {
		return nil, err
	}
	if rc.Expiration.IsZero() {
		return nil, requireFields(op, map[string]string{}, "Credentials.Expiration")
	}
	creds := credentials.New(rc.AccessKeyID, rc.SecretAccessKey, rc.SessionToken)
	creds.Expires = rc.Expiration.Time
	creds.Source = "sts." + op
	if a, err := arn.Parse(u.ARN); err == nil {
		creds.AccountID = a.AccountID
	}
	return &AssumeRoleOutput{
		Credentials:      creds,
		AssumedRoleUser:  AssumedRoleUser{AssumedRoleID: u.AssumedRoleID, ARN: u.ARN},
		PackedPolicySize: res.PackedPolicySize,
		SourceIdentity:   res.SourceIdentity,
		RequestID:        r.requestID,
		StatusCode:       r.status,
		Attempts:         r.attempts,
	}, nil
}
