package arn

import "strings"

// A Partition is a group of AWS Regions with its own namespace of accounts
// and resources: the standard commercial Regions ("aws"), the China Regions
// ("aws-cn"), AWS GovCloud (US) ("aws-us-gov"), the isolated Regions
// ("aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f") and the AWS European
// Sovereign Cloud ("aws-eusc"). An account exists in one partition only,
// so the same 12 digits in two partitions are two different accounts.
//
// The values are those of the partition metadata the AWS SDKs share. A
// service endpoint in a partition is usually
// https://SERVICE.REGION.DNSSuffix, or https://SERVICE.REGION.DualStackDNSSuffix
// for its dual-stack (IPv4 and IPv6) form.
//
// Partition values can be compared with ==.
type Partition struct {
	// ID is the partition's name, the second field of its ARNs: "aws",
	// "aws-cn", ...
	ID string
	// DNSSuffix is the domain the partition's service endpoints are under,
	// such as "amazonaws.com" or "amazonaws.com.cn".
	DNSSuffix string
	// DualStackDNSSuffix is the domain of the partition's dual-stack
	// endpoints, such as "api.aws" or "api.amazonwebservices.com.cn".
	DualStackDNSSuffix string
	// GlobalRegion is what the SDKs' partition metadata calls the
	// partition's implicit global region: "us-east-1" for "aws",
	// "cn-northwest-1" for "aws-cn", "us-gov-west-1" for "aws-us-gov", ...
	// It is a Region of the partition to fall back on, not a promise of
	// where each global service signs its requests: check that service's
	// endpoint rules.
	GlobalRegion string
	// RegionRegex is the regular expression, in the syntax of the SDKs'
	// partition metadata, that the names of the partition's Regions match,
	// including Regions that are newer than this package. It is given for
	// reference; MatchesRegion applies it without the regexp package.
	RegionRegex string
	// SupportsFIPS reports whether the partition has FIPS endpoints.
	SupportsFIPS bool
	// SupportsDualStack reports whether the partition has dual-stack
	// endpoints.
	SupportsDualStack bool
}

// partitionData is a Partition with the data behind its methods.
type partitionData struct {
	Partition
	// prefixes are what a Region name of the partition starts with: its
	// RegionRegex is one of the prefixes followed by `\w+-\d+`.
	prefixes []string
	// regions are the partition's Regions known by name, including
	// pseudo-Regions such as "aws-global" that RegionRegex does not match.
	regions []string
}

// partitions are the known partitions, in the order Partitions returns them.
var partitions = [...]partitionData{
	{
		Partition: Partition{
			ID:                 "aws",
			DNSSuffix:          "amazonaws.com",
			DualStackDNSSuffix: "api.aws",
			GlobalRegion:       "us-east-1",
			RegionRegex:        `^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`,
			SupportsFIPS:       true,
			SupportsDualStack:  true,
		},
		prefixes: []string{"us-", "eu-", "ap-", "sa-", "ca-", "me-", "af-", "il-", "mx-"},
		regions: []string{
			"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2",
			"ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2",
			"ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
			"aws-global", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
			"eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
			"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
			"us-east-1", "us-east-2", "us-west-1", "us-west-2",
		},
	},
	{
		Partition: Partition{
			ID:                 "aws-cn",
			DNSSuffix:          "amazonaws.com.cn",
			DualStackDNSSuffix: "api.amazonwebservices.com.cn",
			GlobalRegion:       "cn-northwest-1",
			RegionRegex:        `^cn\-\w+\-\d+$`,
			SupportsFIPS:       true,
			SupportsDualStack:  true,
		},
		prefixes: []string{"cn-"},
		regions:  []string{"aws-cn-global", "cn-north-1", "cn-northwest-1"},
	},
	{
		Partition: Partition{
			ID:                 "aws-us-gov",
			DNSSuffix:          "amazonaws.com",
			DualStackDNSSuffix: "api.aws",
			GlobalRegion:       "us-gov-west-1",
			RegionRegex:        `^us\-gov\-\w+\-\d+$`,
			SupportsFIPS:       true,
			SupportsDualStack:  true,
		},
		prefixes: []string{"us-gov-"},
		regions:  []string{"aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"},
	},
	{
		Partition: Partition{
			ID:                 "aws-iso",
			DNSSuffix:          "c2s.ic.gov",
			DualStackDNSSuffix: "api.aws.ic.gov",
			GlobalRegion:       "us-iso-east-1",
			RegionRegex:        `^us\-iso\-\w+\-\d+$`,
			SupportsFIPS:       true,
			SupportsDualStack:  true,
		},
		prefixes: []string{"us-iso-"},
		regions:  []string{"aws-iso-global", "us-iso-east-1", "us-iso-west-1"},
	},
	{
		Partition: Partition{
			ID:                 "aws-iso-b",
			DNSSuffix:          "sc2s.sgov.gov",
			DualStackDNSSuffix: "api.aws.scloud",
			GlobalRegion:       "us-isob-east-1",
			RegionRegex:        `^us\-isob\-\w+\-\d+$`,
			SupportsFIPS:       true,
			SupportsDualStack:  true,
		},
		prefixes: []string{"us-isob-"},
		regions:  []string{"aws-iso-b-global", "us-isob-east-1", "us-isob-west-1"},
	},
	{
		Partition: Partition{
			ID:                 "aws-iso-e",
			DNSSuffix:          "cloud.adc-e.uk",
			DualStackDNSSuffix: "api.cloud-aws.adc-e.uk",
			GlobalRegion:       "eu-isoe-west-1",
			RegionRegex:        `^eu\-isoe\-\w+\-\d+$`,
			SupportsFIPS:       true,
			SupportsDualStack:  true,
		},
		prefixes: []string{"eu-isoe-"},
		regions:  []string{"aws-iso-e-global", "eu-isoe-west-1"},
	},
	{
		Partition: Partition{
			ID:                 "aws-iso-f",
			DNSSuffix:          "csp.hci.ic.gov",
			DualStackDNSSuffix: "api.aws.hci.ic.gov",
			GlobalRegion:       "us-isof-south-1",
			RegionRegex:        `^us\-isof\-\w+\-\d+$`,
			SupportsFIPS:       true,
			SupportsDualStack:  true,
		},
		prefixes: []string{"us-isof-"},
		regions:  []string{"aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"},
	},
	{
		Partition: Partition{
			ID:                 "aws-eusc",
			DNSSuffix:          "amazonaws.eu",
			DualStackDNSSuffix: "api.amazonwebservices.eu",
			GlobalRegion:       "eusc-de-east-1",
			RegionRegex:        `^eusc\-(de)\-\w+\-\d+$`,
			SupportsFIPS:       true,
			SupportsDualStack:  true,
		},
		prefixes: []string{"eusc-de-"},
		regions:  []string{"eusc-de-east-1"},
	},
}

// partitionList is the IDs of the known partitions, for error messages.
var partitionList = func() string {
	ids := make([]string, len(partitions))
	for i := range partitions {
		ids[i] = partitions[i].ID
	}
	return strings.Join(ids, ", ")
}()

// lookup returns the data of the partition with the given ID.
func lookup(id string) (*partitionData, bool) {
	for i := range partitions {
		if partitions[i].ID == id {
			return &partitions[i], true
		}
	}
	return nil, false
}

// LookupPartition returns the partition whose ID is id ("aws", "aws-cn",
// ...), and whether there is one. IDs are case-sensitive, as in ARNs.
func LookupPartition(id string) (Partition, bool) {
	if p, ok := lookup(id); ok {
		return p.Partition, true
	}
	return Partition{}, false
}

// Partitions returns all the partitions this package knows, "aws" first.
// The slice is new on each call; the caller may change it.
func Partitions() []Partition {
	ps := make([]Partition, len(partitions))
	for i := range partitions {
		ps[i] = partitions[i].Partition
	}
	return ps
}

// PartitionForRegion returns the partition of an AWS Region, the way the
// AWS SDKs find it: first among the Regions known by name (which include
// pseudo-Regions such as "aws-global"), then by matching each partition's
// RegionRegex, so that a Region newer than this package is still placed
// right ("us-gov-south-7" is in "aws-us-gov"). A region that matches no
// partition, including the empty string, gets the "aws" partition: check
// [Partition.MatchesRegion] first if that fallback is not what you want.
func PartitionForRegion(region string) Partition {
	for i := range partitions {
		for _, r := range partitions[i].regions {
			if r == region {
				return partitions[i].Partition
			}
		}
	}
	for i := range partitions {
		if partitions[i].matchesRegex(region) {
			return partitions[i].Partition
		}
	}
	return partitions[0].Partition
}

// Regions returns the Regions of p that this package knows by name,
// including the partition's global pseudo-Region (such as "aws-global")
// when it has one. A partition can have Regions newer than this list:
// [Partition.MatchesRegion] recognizes those too. Regions returns nil for a
// partition this package does not know. The slice is new on each call.
func (p Partition) Regions() []string {
	d, ok := lookup(p.ID)
	if !ok {
		return nil
	}
	return append([]string(nil), d.regions...)
}

// MatchesRegion reports whether region belongs to p: whether it is one of
// p's Regions known by name or matches p's RegionRegex.
func (p Partition) MatchesRegion(region string) bool {
	d, ok := lookup(p.ID)
	if !ok {
		return false
	}
	for _, r := range d.regions {
		if r == region {
			return true
		}
	}
	return d.matchesRegex(region)
}

// matchesRegex reports whether region matches d.RegionRegex: one of
// d.prefixes followed by `\w+-\d+`, where \w is an ASCII letter, digit or
// underscore.
func (d *partitionData) matchesRegex(region string) bool {
	for _, prefix := range d.prefixes {
		if !strings.HasPrefix(region, prefix) {
			continue
		}
		rest := region[len(prefix):]
		i := strings.IndexByte(rest, '-')
		if i <= 0 || i == len(rest)-1 {
			continue
		}
		ok := true
		for j := 0; j < i && ok; j++ {
			c := rest[j]
			ok = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
		}
		for j := i + 1; j < len(rest) && ok; j++ {
			ok = '0' <= rest[j] && rest[j] <= '9'
		}
		if ok {
			return true
		}
	}
	return false
}

// ValidRegionName reports whether region can be a region in a host name,
// as in sts.REGION.amazonaws.com: one DNS label of lower-case letters,
// digits and inner hyphens, at most 63 bytes. It says nothing of whether
// such a region exists.
func ValidRegionName(region string) bool {
	if region == "" || len(region) > 63 || region[0] == '-' || region[len(region)-1] == '-' {
		return false
	}
	for i := 0; i < len(region); i++ {
		c := region[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
