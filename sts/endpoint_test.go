package sts

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestResolveEndpoint(t *testing.T) {
	type ep = Endpoint
	tests := []struct {
		name string
		o    EndpointOptions
		want Endpoint
		err  string
	}{
		// Regional endpoints of each partition.
		{"aws", EndpointOptions{Region: "eu-west-1"}, ep{"https://sts.eu-west-1.amazonaws.com/", "eu-west-1", "aws"}, ""},
		{"aws us-east-1", EndpointOptions{Region: "us-east-1"}, ep{"https://sts.us-east-1.amazonaws.com/", "us-east-1", "aws"}, ""},
		{"aws newer region", EndpointOptions{Region: "ap-southeast-9"}, ep{"https://sts.ap-southeast-9.amazonaws.com/", "ap-southeast-9", "aws"}, ""},
		{"aws-cn", EndpointOptions{Region: "cn-north-1"}, ep{"https://sts.cn-north-1.amazonaws.com.cn/", "cn-north-1", "aws-cn"}, ""},
		{"aws-us-gov", EndpointOptions{Region: "us-gov-west-1"}, ep{"https://sts.us-gov-west-1.amazonaws.com/", "us-gov-west-1", "aws-us-gov"}, ""},
		{"aws-iso", EndpointOptions{Region: "us-iso-east-1"}, ep{"https://sts.us-iso-east-1.c2s.ic.gov/", "us-iso-east-1", "aws-iso"}, ""},
		{"aws-iso-b", EndpointOptions{Region: "us-isob-east-1"}, ep{"https://sts.us-isob-east-1.sc2s.sgov.gov/", "us-isob-east-1", "aws-iso-b"}, ""},
		{"aws-iso-e", EndpointOptions{Region: "eu-isoe-west-1"}, ep{"https://sts.eu-isoe-west-1.cloud.adc-e.uk/", "eu-isoe-west-1", "aws-iso-e"}, ""},
		{"aws-iso-f", EndpointOptions{Region: "us-isof-south-1"}, ep{"https://sts.us-isof-south-1.csp.hci.ic.gov/", "us-isof-south-1", "aws-iso-f"}, ""},
		{"aws-eusc", EndpointOptions{Region: "eusc-de-east-1"}, ep{"https://sts.eusc-de-east-1.amazonaws.eu/", "eusc-de-east-1", "aws-eusc"}, ""},
		{"unknown region shape", EndpointOptions{Region: "mars-1"}, ep{"https://sts.mars-1.amazonaws.com/", "mars-1", "aws"}, ""},

		// FIPS.
		{"fips aws", EndpointOptions{Region: "us-east-2", UseFIPS: true}, ep{"https://sts-fips.us-east-2.amazonaws.com/", "us-east-2", "aws"}, ""},
		{"fips aws-cn", EndpointOptions{Region: "cn-northwest-1", UseFIPS: true}, ep{"https://sts-fips.cn-northwest-1.amazonaws.com.cn/", "cn-northwest-1", "aws-cn"}, ""},
		{"fips govcloud is the regular endpoint", EndpointOptions{Region: "us-gov-east-1", UseFIPS: true}, ep{"https://sts.us-gov-east-1.amazonaws.com/", "us-gov-east-1", "aws-us-gov"}, ""},
		{"fips iso", EndpointOptions{Region: "us-iso-west-1", UseFIPS: true}, ep{"https://sts-fips.us-iso-west-1.c2s.ic.gov/", "us-iso-west-1", "aws-iso"}, ""},

		// Dual-stack.
		{"dualstack aws", EndpointOptions{Region: "eu-central-1", UseDualStack: true}, ep{"https://sts.eu-central-1.api.aws/", "eu-central-1", "aws"}, ""},
		{"dualstack aws-cn", EndpointOptions{Region: "cn-north-1", UseDualStack: true}, ep{"https://sts.cn-north-1.api.amazonwebservices.com.cn/", "cn-north-1", "aws-cn"}, ""},
		{"dualstack govcloud", EndpointOptions{Region: "us-gov-west-1", UseDualStack: true}, ep{"https://sts.us-gov-west-1.api.aws/", "us-gov-west-1", "aws-us-gov"}, ""},
		{"fips dualstack aws", EndpointOptions{Region: "us-west-2", UseFIPS: true, UseDualStack: true}, ep{"https://sts-fips.us-west-2.api.aws/", "us-west-2", "aws"}, ""},
		{"fips dualstack govcloud", EndpointOptions{Region: "us-gov-west-1", UseFIPS: true, UseDualStack: true}, ep{"https://sts-fips.us-gov-west-1.api.aws/", "us-gov-west-1", "aws-us-gov"}, ""},
		{"fips dualstack eusc", EndpointOptions{Region: "eusc-de-east-1", UseFIPS: true, UseDualStack: true}, ep{"https://sts-fips.eusc-de-east-1.api.amazonwebservices.eu/", "eusc-de-east-1", "aws-eusc"}, ""},

		// The legacy global endpoint.
		{"legacy us-east-1", EndpointOptions{Region: "us-east-1", UseGlobalEndpoint: true}, ep{GlobalEndpoint, "us-east-1", "aws"}, ""},
		{"legacy eu-west-1", EndpointOptions{Region: "eu-west-1", UseGlobalEndpoint: true}, ep{GlobalEndpoint, "us-east-1", "aws"}, ""},
		{"legacy sa-east-1", EndpointOptions{Region: "sa-east-1", UseGlobalEndpoint: true}, ep{GlobalEndpoint, "us-east-1", "aws"}, ""},
		{"legacy newer region stays regional", EndpointOptions{Region: "ap-east-1", UseGlobalEndpoint: true}, ep{"https://sts.ap-east-1.amazonaws.com/", "ap-east-1", "aws"}, ""},
		{"legacy eu-south-1 stays regional", EndpointOptions{Region: "eu-south-1", UseGlobalEndpoint: true}, ep{"https://sts.eu-south-1.amazonaws.com/", "eu-south-1", "aws"}, ""},
		{"legacy cn stays regional", EndpointOptions{Region: "cn-north-1", UseGlobalEndpoint: true}, ep{"https://sts.cn-north-1.amazonaws.com.cn/", "cn-north-1", "aws-cn"}, ""},
		{"legacy with fips", EndpointOptions{Region: "us-east-1", UseGlobalEndpoint: true, UseFIPS: true}, ep{"https://sts-fips.us-east-1.amazonaws.com/", "us-east-1", "aws"}, ""},
		{"legacy with dualstack", EndpointOptions{Region: "eu-west-1", UseGlobalEndpoint: true, UseDualStack: true}, ep{"https://sts.eu-west-1.api.aws/", "eu-west-1", "aws"}, ""},
		{"aws-global", EndpointOptions{Region: "aws-global"}, ep{GlobalEndpoint, "us-east-1", "aws"}, ""},
		// botocore keeps the pseudo-region in the host, and signs for
		// us-east-1 (TestSTSSettingsAgainstTheCLI in the root package).
		{"aws-global fips", EndpointOptions{Region: "aws-global", UseFIPS: true}, ep{"https://sts-fips.aws-global.amazonaws.com/", "us-east-1", "aws"}, ""},
		{"aws-global dualstack", EndpointOptions{Region: "aws-global", UseDualStack: true}, ep{"https://sts.aws-global.api.aws/", "us-east-1", "aws"}, ""},
		{"aws-global fips dualstack", EndpointOptions{Region: "aws-global", UseFIPS: true, UseDualStack: true}, ep{"https://sts-fips.aws-global.api.aws/", "us-east-1", "aws"}, ""},
		{"aws-global legacy fips", EndpointOptions{Region: "aws-global", UseGlobalEndpoint: true, UseFIPS: true}, ep{"https://sts-fips.aws-global.amazonaws.com/", "us-east-1", "aws"}, ""},
		{"aws-us-gov-global", EndpointOptions{Region: "aws-us-gov-global"}, ep{"https://sts.us-gov-west-1.amazonaws.com/", "us-gov-west-1", "aws-us-gov"}, ""},

		// Overrides.
		{"endpoint url", EndpointOptions{Region: "eu-west-1", EndpointURL: "https://sts.example.test"}, ep{"https://sts.example.test/", "eu-west-1", "aws"}, ""},
		{"endpoint url ignores fips and dualstack", EndpointOptions{Region: "eu-west-1", EndpointURL: "http://127.0.0.1:5000", UseFIPS: true, UseDualStack: true, UseGlobalEndpoint: true},
			ep{"http://127.0.0.1:5000/", "eu-west-1", "aws"}, ""},
		// A custom endpoint is signed for Region, whatever its host, as
		// botocore signs it (TestCustomEndpointSigningAgainstTheCLI).
		{"endpoint url of the global endpoint signs for the region", EndpointOptions{Region: "eu-west-1", EndpointURL: "https://sts.amazonaws.com"}, ep{GlobalEndpoint, "eu-west-1", "aws"}, ""},
		{"endpoint url of another region's endpoint signs for the region", EndpointOptions{Region: "us-east-2", EndpointURL: "https://sts.eu-west-1.amazonaws.com/"}, ep{"https://sts.eu-west-1.amazonaws.com/", "us-east-2", "aws"}, ""},
		{"endpoint url of a fips cn endpoint", EndpointOptions{Region: "us-east-1", EndpointURL: "https://sts-fips.cn-north-1.amazonaws.com.cn"}, ep{"https://sts-fips.cn-north-1.amazonaws.com.cn/", "us-east-1", "aws"}, ""},
		{"endpoint url with aws-global signs for aws-global", EndpointOptions{Region: "aws-global", EndpointURL: "https://sts.example.test"}, ep{"https://sts.example.test/", "aws-global", "aws"}, ""},
		{"endpoint url of a vpc endpoint", EndpointOptions{Region: "eu-west-1", EndpointURL: "https://vpce-0a1b.sts.eu-west-1.vpce.amazonaws.com"}, ep{"https://vpce-0a1b.sts.eu-west-1.vpce.amazonaws.com/", "eu-west-1", "aws"}, ""},
		{"endpoint url with a cn region", EndpointOptions{Region: "cn-north-1", EndpointURL: "https://proxy.example.test"}, ep{"https://proxy.example.test/", "cn-north-1", "aws-cn"}, ""},

		// Errors.
		{"no region", EndpointOptions{}, ep{}, "no region"},
		{"endpoint url without region", EndpointOptions{EndpointURL: "http://localhost:4566"}, ep{}, `sts: endpoint "http://localhost:4566/": a custom endpoint is signed for the configured region: no region to sign for`},
		{"bad region", EndpointOptions{Region: "eu west 1"}, ep{}, "not a valid region"},
		{"region with dot", EndpointOptions{Region: "evil.com/x"}, ep{}, "not a valid region"},
		{"upper-case region", EndpointOptions{Region: "EU-WEST-1"}, ep{}, "not a valid region"},
		{"bad endpoint url", EndpointOptions{Region: "eu-west-1", EndpointURL: "http://sts.example.test"}, ep{}, "plain http"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolveEndpoint(tt.o)
			if tt.err != "" {
				var ee *EndpointError
				if !errors.As(err, &ee) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want an *EndpointError saying %q", err, tt.err)
				}
				if strings.Contains(tt.err, "no region") != errors.Is(err, ErrNoRegion) {
					t.Errorf("errors.Is(%v, ErrNoRegion) = %v", err, !strings.Contains(tt.err, "no region"))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestLegacyGlobalRegions(t *testing.T) {
	// botocore's LEGACY_GLOBAL_STS_REGIONS: 15 regions and aws-global.
	n := 0
	for _, r := range []string{"ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
		"eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2"} {
		if !LegacyGlobalRegion(r) {
			t.Errorf("%s is not a legacy global region", r)
		}
		n++
	}
	for _, r := range []string{"ap-northeast-2", "ap-northeast-3", "ca-west-1", "me-south-1", "af-south-1", "us-gov-west-1", "cn-north-1", ""} {
		if LegacyGlobalRegion(r) {
			t.Errorf("%s is a legacy global region", r)
		}
	}
	if len(legacyGlobalRegions) != n {
		t.Errorf("%d legacy global regions, want %d", len(legacyGlobalRegions), n)
	}
}

func TestNewSettings(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		endpoint string
		region   string
		signing  string
		attempts int
		err      string
	}{
		{name: "default", endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 3},
		{name: "region", opts: Options{Region: "ca-central-1"}, endpoint: "https://sts.ca-central-1.amazonaws.com/", region: "ca-central-1"},

		{name: "legacy", opts: Options{Region: "eu-west-1", UseGlobalEndpoint: true}, endpoint: GlobalEndpoint, region: "eu-west-1", signing: "us-east-1"},
		{name: "legacy for a region that never had it", opts: Options{Region: "ap-northeast-3", UseGlobalEndpoint: true},
			endpoint: "https://sts.ap-northeast-3.amazonaws.com/", region: "ap-northeast-3"},

		{name: "fips", opts: Options{Region: "us-east-2", UseFIPSEndpoint: true}, endpoint: "https://sts-fips.us-east-2.amazonaws.com/", region: "us-east-2"},
		{name: "fips in GovCloud", opts: Options{UseFIPSEndpoint: true, Region: "us-gov-west-1"}, endpoint: "https://sts.us-gov-west-1.amazonaws.com/", region: "us-gov-west-1"},
		{name: "dualstack", opts: Options{UseDualStackEndpoint: true}, endpoint: "https://sts.us-east-1.api.aws/", region: "us-east-1"},
		{name: "dualstack and fips", opts: Options{UseDualStackEndpoint: true, UseFIPSEndpoint: true, Region: "eu-west-1"},
			endpoint: "https://sts-fips.eu-west-1.api.aws/", region: "eu-west-1"},
		{name: "endpoint url beats fips", opts: Options{UseFIPSEndpoint: true, EndpointURL: "https://env.example.test"},
			endpoint: "https://env.example.test/", region: "us-east-1"},
		{name: "endpoint url is checked", opts: Options{EndpointURL: "http://10.1.2.3"}, err: "plain http"},

		{name: "attempts", opts: Options{Retry: RetryOptions{MaxAttempts: 1}}, endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 1},
		{name: "negative attempts", opts: Options{Retry: RetryOptions{MaxAttempts: -1}}, err: "Options.Retry.MaxAttempts is -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.opts)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want it to say %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			signing := tt.signing
			if signing == "" {
				signing = tt.region
			}
			if c.Endpoint() != tt.endpoint || c.Region() != tt.region || c.SigningRegion() != signing {
				t.Errorf("endpoint, region, signing region = %s, %s, %s; want %s, %s, %s", c.Endpoint(), c.Region(), c.SigningRegion(), tt.endpoint, tt.region, signing)
			}
			if tt.attempts != 0 && c.MaxAttempts() != tt.attempts {
				t.Errorf("MaxAttempts() = %d, want %d", c.MaxAttempts(), tt.attempts)
			}
		})
	}
}

// An endpoint's password never shows in an EndpointError, whether the URL
// parses or not; a huge endpoint is cut.
func TestEndpointErrorHidesUserinfo(t *testing.T) {
	const pw = "s3cr3t-Passw0rd"
	for _, raw := range []string{
		"https://alice:" + pw + "@sts.example.com/",
		"http://alice:" + pw + "@example.com/",
		"https://alice:" + pw + "@sts.example.com:99999999/",
		"https://alice:" + pw + "@[::1/",
		"https://alice:" + pw + "@exa mple.com/",
		"https://alice:" + pw + "@" + strings.Repeat("x", 100000) + ".com/?q",
	} {
		_, err := ResolveEndpoint(EndpointOptions{EndpointURL: raw})
		var ee *EndpointError
		if !errors.As(err, &ee) {
			t.Errorf("%.60s: err = %v, want an *EndpointError", raw, err)
			continue
		}
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v %#v", err, err), ee.URL} {
			if strings.Contains(s, pw) {
				t.Errorf("%.60s: the password shows: %.300s", raw, s)
			}
		}
		if len(err.Error()) > 2048 {
			t.Errorf("%.60s: the error is %d bytes", raw, len(err.Error()))
		}
		if !strings.Contains(ee.URL, "REDACTED@") {
			t.Errorf("URL = %.100q, want the user information marked as redacted", ee.URL)
		}
	}
}
