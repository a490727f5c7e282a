package arn

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLookupPartition(t *testing.T) {
	tests := []struct {
		id, dns, dualStack, global string
	}{
		{"aws", "amazonaws.com", "api.aws", "us-east-1"},
		{"aws-cn", "amazonaws.com.cn", "api.amazonwebservices.com.cn", "cn-northwest-1"},
		{"aws-us-gov", "amazonaws.com", "api.aws", "us-gov-west-1"},
		{"aws-iso", "c2s.ic.gov", "api.aws.ic.gov", "us-iso-east-1"},
		{"aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud", "us-isob-east-1"},
		{"aws-iso-e", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", "eu-isoe-west-1"},
		{"aws-iso-f", "csp.hci.ic.gov", "api.aws.hci.ic.gov", "us-isof-south-1"},
		{"aws-eusc", "amazonaws.eu", "api.amazonwebservices.eu", "eusc-de-east-1"},
	}
	var ids []string
	for _, tt := range tests {
		p, ok := LookupPartition(tt.id)
		if !ok {
			t.Errorf("LookupPartition(%q) not found", tt.id)
			continue
		}
		ids = append(ids, p.ID)
		if p.ID != tt.id || p.DNSSuffix != tt.dns || p.DualStackDNSSuffix != tt.dualStack || p.GlobalRegion != tt.global {
			t.Errorf("LookupPartition(%q) = %+v, want DNS suffixes %q and %q, global region %q", tt.id, p, tt.dns, tt.dualStack, tt.global)
		}
		if !p.SupportsFIPS || !p.SupportsDualStack {
			t.Errorf("LookupPartition(%q) = %+v, want FIPS and dual-stack support", tt.id, p)
		}
		// The global region is in the partition.
		if !p.MatchesRegion(p.GlobalRegion) || PartitionForRegion(p.GlobalRegion) != p {
			t.Errorf("global region %q is not in %q", p.GlobalRegion, p.ID)
		}
		// Every region known by name maps back to the partition.
		for _, r := range p.Regions() {
			if got := PartitionForRegion(r); got != p {
				t.Errorf("PartitionForRegion(%q) = %q, want %q", r, got.ID, p.ID)
			}
		}
	}
	var all []string
	for _, p := range Partitions() {
		all = append(all, p.ID)
	}
	if diff := cmp.Diff(ids, all); diff != "" {
		t.Errorf("Partitions() mismatch (-want +got):\n%s", diff)
	}
	for _, id := range []string{"", "AWS", "aws-", "aws-xx", "aws-iso-g", " aws"} {
		if p, ok := LookupPartition(id); ok || p != (Partition{}) {
			t.Errorf("LookupPartition(%q) = %+v, %v; want nothing", id, p, ok)
		}
	}
}

func TestPartitionForRegion(t *testing.T) {
	tests := []struct {
		region, want string
	}{
		{"us-east-1", "aws"},
		{"eu-west-1", "aws"},
		{"aws-global", "aws"},
		{"il-central-1", "aws"},
		{"mx-central-1", "aws"},
		{"ap-southeast-9", "aws"}, // newer than this package: by pattern
		{"xx-south-1", "aws"},     // unknown: falls back
		{"", "aws"},
		{"cn-north-1", "aws-cn"},
		{"cn-northwest-1", "aws-cn"},
		{"cn-south-3", "aws-cn"},
		{"aws-cn-global", "aws-cn"},
		{"us-gov-west-1", "aws-us-gov"},
		{"us-gov-east-1", "aws-us-gov"},
		{"us-gov-south-7", "aws-us-gov"},
		{"aws-us-gov-global", "aws-us-gov"},
		{"us-iso-east-1", "aws-iso"},
		{"us-iso-north-2", "aws-iso"},
		{"us-isob-east-1", "aws-iso-b"},
		{"us-isob-west-1", "aws-iso-b"},
		{"eu-isoe-west-1", "aws-iso-e"},
		{"eu-isoe-north-1", "aws-iso-e"},
		{"us-isof-south-1", "aws-iso-f"},
		{"us-isof-east-1", "aws-iso-f"},
		{"eusc-de-east-1", "aws-eusc"},
		{"eusc-de-west-2", "aws-eusc"},
		{"eusc-fr-east-1", "aws"}, // the pattern only knows Germany
		{"us-east-", "aws"},
		{"US-GOV-WEST-1", "aws"},
	}
	for _, tt := range tests {
		if got := PartitionForRegion(tt.region); got.ID != tt.want {
			t.Errorf("PartitionForRegion(%q) = %q, want %q", tt.region, got.ID, tt.want)
		}
	}
}

func TestMatchesRegion(t *testing.T) {
	aws, _ := LookupPartition("aws")
	gov, _ := LookupPartition("aws-us-gov")
	tests := []struct {
		p      Partition
		region string
		want   bool
	}{
		{aws, "us-east-1", true},
		{aws, "aws-global", true},
		{aws, "us-new_place-12", true},
		{aws, "us-gov-west-1", false}, // \w does not match a hyphen
		{aws, "cn-north-1", false},
		{aws, "us-east-1a", false},
		{aws, "us-east", false},
		{aws, "us--1", false},
		{aws, "us-east-", false},
		{aws, "", false},
		{gov, "us-gov-west-1", true},
		{gov, "us-east-1", false},
		{Partition{ID: "mine"}, "us-east-1", false},
	}
	for _, tt := range tests {
		if got := tt.p.MatchesRegion(tt.region); got != tt.want {
			t.Errorf("%s.MatchesRegion(%q) = %v, want %v", tt.p.ID, tt.region, got, tt.want)
		}
	}
	if r := (Partition{ID: "mine"}).Regions(); r != nil {
		t.Errorf("Regions of an unknown partition = %v", r)
	}
}

func TestPartitionsAreCopies(t *testing.T) {
	ps := Partitions()
	ps[0].DNSSuffix = "evil.example"
	regions := ps[0].Regions()
	regions[0] = "evil-1"
	p, _ := LookupPartition("aws")
	if p.DNSSuffix != "amazonaws.com" || p.Regions()[0] == "evil-1" {
		t.Error("changing what Partitions or Regions returned changed the package's data")
	}
}

func TestValidRegionName(t *testing.T) {
	tests := []struct {
		region string
		want   bool
	}{
		{"us-east-1", true},
		{"eusc-de-east-1", true},
		{"aws-global", true},
		{"x", true},
		{"", false},
		{"-us-east-1", false},
		{"us-east-1-", false},
		{"US-EAST-1", false},
		{"us_east_1", false},
		{"us-east-1.evil", false},
		{"us-east-1/", false},
		{"us-east-\u00e9", false},
		{strings.Repeat("a", 63), true},
		{strings.Repeat("a", 64), false},
	}
	for _, tt := range tests {
		if got := ValidRegionName(tt.region); got != tt.want {
			t.Errorf("ValidRegionName(%q) = %v, want %v", tt.region, got, tt.want)
		}
	}
}
