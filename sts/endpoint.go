package sts

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/internal/peertext"
)

// DefaultRegion is the region used when none is configured.
const DefaultRegion = "us-east-1"

// ErrNoRegion is the cause of the *EndpointError of ResolveEndpoint when
// no region is given, with or without an EndpointURL: the region to sign
// for is unknown. (New does not return it: a Client's empty Region means
// DefaultRegion.) Find it with errors.Is.
var ErrNoRegion = errors.New("no region to sign for")

// errNoRegion is ErrNoRegion with advice.
var errNoRegion = fmt.Errorf("%w (set AWS_REGION, AWS_DEFAULT_REGION or the profile's region)", ErrNoRegion)

// GlobalEndpoint is STS's global endpoint, which signs for us-east-1.
const GlobalEndpoint = "https://sts.amazonaws.com/"

// GlobalRegion is the pseudo-region of GlobalEndpoint: a client of this
// region calls GlobalEndpoint, or with UseFIPS or UseDualStack the FIPS
// or dual-stack endpoint named after it (sts-fips.aws-global.amazonaws.com,
// sts.aws-global.api.aws, ...), and signs for us-east-1, as botocore does.
// botocore uses it when no region is configured at all.
const GlobalRegion = "aws-global"

// legacyGlobalRegions are the regions whose STS calls go to the global
// endpoint when sts_regional_endpoints is "legacy": the regions that
// existed when regional STS endpoints were introduced, and the
// "aws-global" pseudo-region. It is botocore's LEGACY_GLOBAL_STS_REGIONS,
// which the STS endpoint rule set repeats.
var legacyGlobalRegions = map[string]bool{
	"ap-northeast-1": true, "ap-south-1": true, "ap-southeast-1": true, "ap-southeast-2": true,
	"aws-global": true, "ca-central-1": true, "eu-central-1": true, "eu-north-1": true,
	"eu-west-1": true, "eu-west-2": true, "eu-west-3": true, "sa-east-1": true,
	"us-east-1": true, "us-east-2": true, "us-west-1": true, "us-west-2": true,
}

// EndpointOptions are what the endpoint of a client depends on.
type EndpointOptions struct {
	// Region is the client's region, e.g. "eu-west-1", and the region
	// requests are signed for but at the global endpoint. It is required,
	// with EndpointURL too (as the AWS CLI requires it), and must be a
	// valid DNS label unless EndpointURL is set.
	Region string
	// EndpointURL, when set, is used as it is (after the checks of
	// EndpointError); UseFIPS, UseDualStack and UseGlobalEndpoint are then
	// ignored, as botocore ignores them.
	EndpointURL string
	// UseFIPS picks the FIPS 140 endpoint: sts-fips.REGION.DNS-SUFFIX,
	// except in GovCloud, whose regular STS endpoints are already FIPS
	// endpoints.
	UseFIPS bool
	// UseDualStack picks the endpoint that answers over IPv6 as well as
	// IPv4: sts.REGION.DUALSTACK-SUFFIX (api.aws for the aws partition).
	UseDualStack bool
	// UseGlobalEndpoint sends calls from the legacy global regions (see
	// LegacyGlobalRegion) to sts.amazonaws.com, as sts_regional_endpoints
	// = legacy does. It has no effect with UseFIPS or UseDualStack, or for
	// other regions.
	UseGlobalEndpoint bool
}

// Endpoint is where a client sends its requests and how it signs them.
type Endpoint struct {
	// URL is the endpoint, e.g. "https://sts.eu-west-1.amazonaws.com/".
	URL string
	// SigningRegion is the region requests are signed for: the region
	// itself, except us-east-1 for the global endpoint and the
	// "aws-global" pseudo-region when they are chosen by region (not
	// given as EndpointURL).
	SigningRegion string
	// Partition is the ID of the region's partition, e.g. "aws" or
	// "aws-cn".
	Partition string
}

// LegacyGlobalRegion reports whether calls from region go to the global
// endpoint when sts_regional_endpoints is "legacy".
func LegacyGlobalRegion(region string) bool { return legacyGlobalRegions[region] }

// ResolveEndpoint returns the STS endpoint for o, following the STS
// endpoint rules of the AWS SDKs:
//
//   - EndpointURL, when set, wins; it is signed for Region as it is,
//     whatever its host, as botocore signs it (an AWS STS host that
//     names another region, sts.amazonaws.com and the "aws-global"
//     pseudo-region included);
//   - the "aws-global" pseudo-region (GlobalRegion), and with
//     UseGlobalEndpoint the legacy global regions, use
//     https://sts.amazonaws.com/, signed for us-east-1 (unless FIPS or
//     dual-stack is asked for: "aws-global" then stays in the host name,
//     as botocore keeps it, and is signed for us-east-1);
//   - otherwise https://sts.REGION.SUFFIX/, where the suffix is the DNS
//     suffix of the region's partition (amazonaws.com, amazonaws.com.cn,
//     ...), or its dual-stack suffix (api.aws, ...) with UseDualStack, and
//     "sts" becomes "sts-fips" with UseFIPS (in GovCloud only together
//     with UseDualStack).
//
// The partition is found with arn.PartitionForRegion, so a region newer
// than this package still gets the right suffix when its name has the
// partition's form. Other pseudo-regions ("aws-us-gov-global", ...) use
// their partition's global region.
func ResolveEndpoint(o EndpointOptions) (Endpoint, error) {
	if o.EndpointURL != "" {
		u, err := checkEndpoint(o.EndpointURL)
		if err != nil {
			return Endpoint{}, err
		}
		if o.Region == "" {
			return Endpoint{}, &EndpointError{URL: peertext.Cut(u.String(), maxEndpointText), Reason: "a custom endpoint is signed for the configured region", Err: errNoRegion}
		}
		return Endpoint{URL: u.String(), SigningRegion: o.Region, Partition: arn.PartitionForRegion(o.Region).ID}, nil
	}
	if o.Region == "" {
		return Endpoint{}, &EndpointError{Reason: "the endpoint follows from the region", Err: errNoRegion}
	}
	if !arn.ValidRegionName(o.Region) {
		return Endpoint{}, &EndpointError{Region: o.Region, Reason: "not a valid region name"}
	}
	p := arn.PartitionForRegion(o.Region)
	region, signing := o.Region, o.Region
	if region == GlobalRegion {
		if !o.UseFIPS && !o.UseDualStack {
			return Endpoint{URL: GlobalEndpoint, SigningRegion: "us-east-1", Partition: p.ID}, nil
		}
		// botocore keeps the pseudo-region in the host of the FIPS and
		// dual-stack endpoints, and signs for us-east-1.
		signing = p.GlobalRegion
	} else if strings.HasSuffix(region, "-global") && region == p.ID+"-global" {
		region, signing = p.GlobalRegion, p.GlobalRegion
	}
	if o.UseGlobalEndpoint && !o.UseFIPS && !o.UseDualStack && legacyGlobalRegions[region] {
		return Endpoint{URL: GlobalEndpoint, SigningRegion: "us-east-1", Partition: p.ID}, nil
	}
	host := "sts." + region + "." + p.DNSSuffix
	switch {
	case o.UseFIPS && o.UseDualStack:
		if !p.SupportsFIPS || !p.SupportsDualStack {
			return Endpoint{}, &EndpointError{Region: o.Region, Reason: "FIPS and dual-stack are enabled, but partition " + p.ID + " does not support one or both"}
		}
		host = "sts-fips." + region + "." + p.DualStackDNSSuffix
	case o.UseFIPS:
		if !p.SupportsFIPS {
			return Endpoint{}, &EndpointError{Region: o.Region, Reason: "FIPS is enabled, but partition " + p.ID + " does not support FIPS"}
		}
		if p.ID != "aws-us-gov" {
			host = "sts-fips." + region + "." + p.DNSSuffix
		}
	case o.UseDualStack:
		if !p.SupportsDualStack {
			return Endpoint{}, &EndpointError{Region: o.Region, Reason: "dual-stack is enabled, but partition " + p.ID + " does not support dual-stack"}
		}
		host = "sts." + region + "." + p.DualStackDNSSuffix
	}
	return Endpoint{URL: "https://" + host + "/", SigningRegion: signing, Partition: p.ID}, nil
}

// EndpointError reports an endpoint the client will not use, or a
// configuration from which no endpoint follows.
type EndpointError struct {
	// URL is the endpoint as given, if one was, cut to 512 bytes and with
	// any user information (a password) replaced by "REDACTED".
	URL string
	// Region is the region, when it is at fault.
	Region string
	// Reason says what is wrong.
	Reason string
	// Err is the cause, such as the URL's parse error, if there is one.
	Err error
}

// Error describes the endpoint or region and what is wrong with it.
func (e *EndpointError) Error() string {
	reason := e.Reason
	if e.Err != nil {
		reason += ": " + e.Err.Error()
	}
	switch {
	case e.URL != "":
		return fmt.Sprintf("sts: endpoint %q: %s", e.URL, reason)
	case e.Region != "":
		return fmt.Sprintf("sts: region %q: %s", e.Region, reason)
	}
	return "sts: " + reason
}

// Unwrap returns the cause, if any.
func (e *EndpointError) Unwrap() error { return e.Err }

// checkEndpoint parses an endpoint override. It must be an absolute https
// URL, or http to a loopback host (for tests and local emulators): plain
// http elsewhere would send signed requests and receive credentials in the
// clear.
func checkEndpoint(given string) (*url.URL, error) {
	// The URL as errors show it: without user information, bounded. The
	// password is cut out of the parser's messages too.
	raw, password := withoutUserinfo(given)
	raw = peertext.Cut(raw, maxEndpointText)
	u, err := url.Parse(given)
	if err != nil {
		// The *url.Error's own cause: its message would repeat the URL.
		return nil, &EndpointError{URL: raw, Reason: "not a URL", Err: peertext.Error(errors.Unwrap(err), password)}
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, &EndpointError{URL: raw, Reason: "no host (want e.g. https://sts.eu-west-1.amazonaws.com)"}
	}
	if u.User != nil {
		return nil, &EndpointError{URL: raw, Reason: "user information in an endpoint URL is not allowed"}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, &EndpointError{URL: raw, Reason: "an endpoint URL cannot have a query or fragment"}
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, &EndpointError{URL: raw, Reason: "plain http is allowed only to a loopback host (127.0.0.0/8, ::1, localhost); use https"}
		}
	default:
		return nil, &EndpointError{URL: raw, Reason: "scheme must be https (or http to a loopback host)"}
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u, nil
}

// maxEndpointText bounds the URL an EndpointError keeps.
const maxEndpointText = 512

// withoutUserinfo returns raw with the user information of its authority
// (what lies between "//" and the last "@" before the path) replaced by
// "REDACTED@", and the password it held, if any. It works on text that
// does not parse as a URL as well.
func withoutUserinfo(raw string) (shown, password string) {
	i := strings.Index(raw, "//")
	if i < 0 {
		return raw, ""
	}
	rest := raw[i+2:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndexByte(rest[:end], '@')
	if at < 0 {
		return raw, ""
	}
	if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
		password = pw
	}
	return raw[:i+2] + "REDACTED@" + rest[at+1:], password
}

// isLoopback reports whether host is a loopback IP address or "localhost".
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
