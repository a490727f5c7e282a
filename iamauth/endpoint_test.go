package iamauth_test

import (
	"strings"
	"testing"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/sts"
)

// TestEndpointHostsAgreeWithSTS checks that every Region of every
// partition gets from Endpoint.Host the host and signing region the sts
// package resolves, regional, FIPS and dual-stack, and that a Verifier of
// that partition accepts it.
func TestEndpointHostsAgreeWithSTS(t *testing.T) {
	for _, p := range arn.Partitions() {
		v, err := iamauth.NewVerifier(iamauth.VerifierOptions{Partitions: []string{p.ID}})
		if err != nil {
			t.Fatal(err)
		}
		for _, region := range p.Regions() {
			if strings.HasSuffix(region, "-global") {
				continue
			}
			for _, fd := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				e := iamauth.Endpoint{Region: region, FIPS: fd[0], DualStack: fd[1]}
				host, signing, err := e.Host()
				want, wantErr := sts.ResolveEndpoint(sts.EndpointOptions{Region: region, UseFIPS: fd[0], UseDualStack: fd[1]})
				if (err != nil) != (wantErr != nil) {
					t.Errorf("%+v: %v; sts: %v", e, err, wantErr)
					continue
				}
				if err != nil {
					continue
				}
				if "https://"+host+"/" != want.URL || signing != want.SigningRegion {
					t.Errorf("%+v: %s for %s; sts: %s for %s", e, host, signing, want.URL, want.SigningRegion)
				}
				if !acceptsHost(t, v, host) {
					t.Errorf("a verifier of %s refuses %s", p.ID, host)
				}
			}
		}
	}
	host, signing, err := iamauth.Endpoint{Global: true}.Host()
	want, _ := sts.ResolveEndpoint(sts.EndpointOptions{Region: "us-east-1", UseGlobalEndpoint: true})
	if err != nil || "https://"+host+"/" != want.URL || signing != want.SigningRegion {
		t.Errorf("global: %s %s %v; sts: %+v", host, signing, err, want)
	}
}

// acceptsHost reports whether v's host check passes a token for host
// (whatever it refuses next).
func acceptsHost(t *testing.T, v *iamauth.Verifier, host string) bool {
	t.Helper()
	err := v.CheckEKSToken(tokenOf("https://" + host + "/?Action=GetCallerIdentity&Version=2011-06-15"))
	return err != nil && !strings.Contains(err.Error(), ": host:")
}

func TestEndpointErrors(t *testing.T) {
	for _, e := range []iamauth.Endpoint{
		{},
		{Region: "US-EAST-1"},
		{Region: "us-east-1.evil.example"},
		{Region: "aws-global"},
		{Region: "mars-north-1"},
		{Global: true, FIPS: true},
		{Global: true, Region: "cn-north-1"},
	} {
		if host, _, err := e.Host(); err == nil {
			t.Errorf("%+v: %s, want an error", e, host)
		}
	}
}
