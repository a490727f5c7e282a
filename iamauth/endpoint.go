package iamauth

import (
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/internal/peertext"
	"github.com/callerid/callerid/sts"
)

// GlobalHost is STS's global endpoint, in the aws partition only. Requests
// to it are signed for us-east-1.
const GlobalHost = "sts.amazonaws.com"

// An Endpoint is the STS endpoint a proof names: the host its signed
// request is for, and so the host a verifier sends it to.
//
// The host of a Region is sts.REGION.SUFFIX, with the DNS suffix of the
// Region's partition (amazonaws.com, amazonaws.com.cn, ...), as the AWS
// SDKs build it; FIPS makes it sts-fips.REGION.SUFFIX (GovCloud's regular
// endpoints already are FIPS endpoints), DualStack puts it under the
// partition's dual-stack suffix (api.aws, ...). Global names
// sts.amazonaws.com, which exists in the aws partition only.
type Endpoint struct {
	// Region is the AWS Region, e.g. "eu-west-1". Required unless Global
	// is set.
	Region string
	// Global selects sts.amazonaws.com, signed for us-east-1. Region must
	// then be empty or in the aws partition; FIPS and DualStack must not
	// be set.
	Global bool
	// FIPS selects the Region's FIPS 140 endpoint.
	FIPS bool
	// DualStack selects the Region's dual-stack (IPv4 and IPv6) endpoint.
	DualStack bool
	// URL, if set, is a custom endpoint that proofs name in place of the
	// Region's STS host, as the AWS CLI names the one AWS_ENDPOINT_URL_STS,
	// AWS_ENDPOINT_URL or the profile's endpoint_url gives it (a proxy, a
	// VPC endpoint, an emulator): https://HOST[:PORT][/PATH], or http to a
	// loopback host, with no user information, query or fragment (the
	// checks of sts.Options.EndpointURL). Proofs are then signed for
	// Region as it is, whatever the host, as the CLI signs them: Region is
	// required and need only be a valid region name; Global, FIPS and
	// DualStack must not be set.
	//
	// A verifier accepts such a proof only if it was configured for its
	// host: this package's Verifier never is (VerifierOptions.Endpoint
	// changes where proofs are sent, not which hosts they may name).
	URL string
}

// target is where a proof's request goes and how it is signed.
type target struct {
	scheme, host  string
	path, rawPath string // as in a url.URL
	region        string // the signing region
}

// Host returns the host of e and the region requests to it are signed
// for, or an error for a Region that is not one (or not of a known
// partition) and for a combination the partition does not have.
//
// With a URL, the host is the URL's (with its port, if it has one).
func (e Endpoint) Host() (host, signingRegion string, err error) {
	t, err := e.target()
	return t.host, t.region, err
}

// target resolves e, remembering the last Endpoint resolved.
func (e Endpoint) target() (target, error) {
	if last := lastHost.Load(); last != nil && last.e == e {
		return last.t, nil
	}
	var t target
	var err error
	if e.URL != "" {
		t, err = e.custom()
	} else {
		t = target{scheme: "https", path: "/"}
		t.host, t.region, err = e.host()
	}
	if err == nil {
		lastHost.Store(&hostEntry{e: e, t: t})
	}
	return t, err
}

// lastHost is the last Endpoint resolved: a prover uses one.
var lastHost atomic.Pointer[hostEntry]

type hostEntry struct {
	e Endpoint
	t target
}

// custom resolves an Endpoint with a URL.
func (e Endpoint) custom() (target, error) {
	switch {
	case e.Global || e.FIPS || e.DualStack:
		return target{}, fmt.Errorf("iamauth: an Endpoint with a URL cannot also set Global, FIPS or DualStack")
	case e.Region == "":
		return target{}, fmt.Errorf("iamauth: an Endpoint with a URL needs its Region: %w", sts.ErrNoRegion)
	case !arn.ValidRegionName(e.Region):
		return target{}, fmt.Errorf("iamauth: %q is not a region name", truncate(e.Region))
	}
	// The checks of sts.Options.EndpointURL, its error with them; the
	// signing region is Region's, not one sts infers from an AWS host.
	ep, err := sts.ResolveEndpoint(sts.EndpointOptions{Region: e.Region, EndpointURL: e.URL})
	if err != nil {
		return target{}, err
	}
	u, err := url.Parse(ep.URL)
	if err != nil {
		return target{}, err
	}
	return target{scheme: u.Scheme, host: u.Host, path: u.Path, rawPath: u.RawPath, region: e.Region}, nil
}

func (e Endpoint) host() (host, signingRegion string, err error) {
	if e.Global {
		switch {
		case e.FIPS || e.DualStack:
			return "", "", fmt.Errorf("iamauth: the global STS endpoint has no FIPS or dual-stack form")
		case e.Region != "" && arn.PartitionForRegion(e.Region).ID != "aws":
			return "", "", fmt.Errorf("iamauth: region %q is not in the aws partition, which alone has the global STS endpoint", truncate(e.Region))
		}
		return GlobalHost, "us-east-1", nil
	}
	p, err := partitionOf(e.Region)
	if err != nil {
		return "", "", err
	}
	host, ok := regionHost(p, e.Region, e.FIPS, e.DualStack)
	if !ok {
		return "", "", fmt.Errorf("iamauth: partition %s has no STS endpoint for FIPS=%t, dual-stack=%t", p.ID, e.FIPS, e.DualStack)
	}
	return host, e.Region, nil
}

// partitionOf returns the partition of a Region, which must be a valid
// host label that the partition's rules accept, and not a pseudo-Region
// such as "aws-global".
func partitionOf(region string) (arn.Partition, error) {
	if region == "" {
		return arn.Partition{}, fmt.Errorf("iamauth: no region (set Endpoint.Region, or Endpoint.Global)")
	}
	if !arn.ValidRegionName(region) || strings.HasSuffix(region, "-global") {
		return arn.Partition{}, fmt.Errorf("iamauth: %q is not a region name", truncate(region))
	}
	p := arn.PartitionForRegion(region)
	if !p.MatchesRegion(region) {
		return arn.Partition{}, fmt.Errorf("iamauth: region %q is in no known partition", truncate(region))
	}
	return p, nil
}

// regionHost returns the STS host of a Region of p, as the AWS SDKs'
// endpoint rules build it.
func regionHost(p arn.Partition, region string, fips, dualStack bool) (string, bool) {
	switch {
	case fips && dualStack:
		if !p.SupportsFIPS || !p.SupportsDualStack {
			return "", false
		}
		return "sts-fips." + region + "." + p.DualStackDNSSuffix, true
	case fips:
		if !p.SupportsFIPS {
			return "", false
		}
		if p.ID == "aws-us-gov" {
			return "sts." + region + "." + p.DNSSuffix, true
		}
		return "sts-fips." + region + "." + p.DNSSuffix, true
	case dualStack:
		if !p.SupportsDualStack {
			return "", false
		}
		return "sts." + region + "." + p.DualStackDNSSuffix, true
	}
	return "sts." + region + "." + p.DNSSuffix, true
}

// stsHost is an STS host a verifier accepts.
type stsHost struct {
	region    string // the region requests to it are signed for
	partition string // its partition's ID
}

// hostSet builds the STS hosts of the given partitions (IDs; "aws" if
// none) and regions (every Region of the partitions known by name if
// none): for each Region its regional, FIPS and dual-stack hosts, and
// sts.amazonaws.com for the aws partition when regions is empty or holds
// "aws-global".
func hostSet(partitions, regions []string) (map[string]stsHost, error) {
	if len(partitions) == 0 {
		partitions = []string{"aws"}
	}
	ps := make([]arn.Partition, 0, len(partitions))
	for _, id := range partitions {
		p, ok := arn.LookupPartition(id)
		if !ok {
			return nil, fmt.Errorf("iamauth: unknown partition %q", truncate(id))
		}
		ps = append(ps, p)
	}
	hosts := make(map[string]stsHost)
	global := false
	add := func(p arn.Partition, region string) {
		for _, v := range [...][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			if h, ok := regionHost(p, region, v[0], v[1]); ok {
				hosts[h] = stsHost{region: region, partition: p.ID}
			}
		}
	}
	if len(regions) == 0 {
		for _, p := range ps {
			for _, r := range p.Regions() {
				if !strings.HasSuffix(r, "-global") {
					add(p, r)
				}
			}
			global = global || p.ID == "aws"
		}
	}
	for _, r := range regions {
		if r == "aws-global" {
			global = true
			continue
		}
		p, err := partitionOf(r)
		if err != nil {
			return nil, err
		}
		found := false
		for _, q := range ps {
			found = found || q.ID == p.ID
		}
		if !found {
			return nil, fmt.Errorf("iamauth: region %q is in partition %s, which is not among the verifier's partitions", r, p.ID)
		}
		add(p, r)
	}
	if global {
		has := false
		for _, p := range ps {
			has = has || p.ID == "aws"
		}
		if !has {
			return nil, fmt.Errorf("iamauth: aws-global names the global endpoint of the aws partition, which is not among the verifier's partitions")
		}
		hosts[GlobalHost] = stsHost{region: "us-east-1", partition: "aws"}
	}
	return hosts, nil
}

// truncate bounds text quoted in errors.
func truncate(s string) string { return peertext.Cut(s, 128) }
