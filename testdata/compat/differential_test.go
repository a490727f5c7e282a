package compat

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/callerid/callerid/internal/peertest"
)

// The seed and sizes of the differential runs. Changing the seed draws
// other requests; every seed must pass.
const (
	diffSeed       = 0x5167_0007
	nSDKCases      = 4000
	nBotocoreCases = 400
)

var ignoreCanonical = cmpopts.IgnoreFields(Signed{}, "CanonicalRequest")

// maxReported bounds the cases a failing run prints.
const maxReported = 8

// compare reports a difference between what two signers made of c.
func compare(t *testing.T, c *Case, peer string, want, got Signed, failures *int) {
	t.Helper()
	if diff := cmp.Diff(want, got, ignoreCanonical); diff != "" {
		*failures++
		if *failures <= maxReported {
			t.Errorf("%v\ncallerid differs from %s (-%s +callerid):\n%s\n%s canonical request:\n%s\ncallerid canonical request:\n%s",
				c, peer, peer, diff, peer, want.CanonicalRequest, got.CanonicalRequest)
		}
	}
}

// TestDifferentialSDK signs thousands of generated requests with callerid
// and with aws-sdk-go-v2, in the header and the query (presigned) form,
// and wants byte-identical results: every header of the signed request
// (Authorization, X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256
// and the rest) and the presigned URL with the headers to send with it.
func TestDifferentialSDK(t *testing.T) {
	cases := Generate(diffSeed, nSDKCases, ProfileSDK)
	var failures, identical int
	for i := range cases {
		c := &cases[i]
		for _, form := range []struct {
			name      string
			ours, sdk func(*Case) (Signed, error)
		}{
			{"header", OursSign, SDKSign},
			{"presign", OursPresign, SDKPresign},
		} {
			want, err := form.sdk(c)
			if err != nil {
				t.Fatalf("%v\nSDK %s: %v", c, form.name, err)
			}
			got, err := form.ours(c)
			if err != nil {
				failures++
				t.Errorf("%v\ncallerid %s: %v", c, form.name, err)
				continue
			}
			if form.name == "presign" {
				if SameLayout(c) {
					identical++
					if want.URL != sdkParamOrder(got.URL) {
						failures++
						t.Errorf("%v\npresigned URLs differ:\nSDK:      %s\ncallerid: %s", c, want.URL, got.URL)
					}
				}
				want, got = PresignedView(want, false), PresignedView(got, !c.S3Paths)
			}
			compare(t, c, "sdk-"+form.name, want, got, &failures)
		}
	}
	if failures > 0 {
		t.Errorf("%d of %d signatures differ from the SDK's", failures, 2*len(cases))
	}
	// The generator must keep drawing some of those.
	if identical < 10 {
		t.Errorf("only %d presigned URLs laid out as the SDK lays them out, want at least 10", identical)
	}
	t.Logf("%d presigned URLs compared byte for byte, the others as decoded parameters", identical)
}

// TestDifferentialBotocore signs a few hundred generated requests with
// callerid and with botocore (driven through one python3 process), in both
// forms, and wants the same signed headers, and presigned URLs with the
// same path and the same query parameters (botocore puts them in another
// order).
func TestDifferentialBotocore(t *testing.T) {
	python := peertest.Require(t, "python3")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	for _, form := range []struct {
		name    string
		profile Profile
		mode    BotocoreMode
		ours    func(*Case) (Signed, error)
	}{
		{"header", ProfileBotocore, BotocoreHeader, OursSign},
		{"presign", ProfileBotocorePresign, BotocoreQuery, OursPresign},
	} {
		t.Run(form.name, func(t *testing.T) {
			cases := Generate(diffSeed, nBotocoreCases, form.profile)
			boto, err := BotocoreSign(ctx, python, cases, form.mode)
			if err != nil {
				if _, ok := err.(*exec.ExitError); ok || ctx.Err() != nil {
					t.Fatal(err)
				}
				t.Fatal(err)
			}
			var failures int
			for i := range cases {
				c := &cases[i]
				got, err := form.ours(c)
				if err != nil {
					failures++
					t.Errorf("%v\ncallerid: %v", c, err)
					continue
				}
				want := boto[i]
				if form.mode == BotocoreQuery {
					// botocore does not say which headers go with the URL.
					got.Header = nil
					want, got = PresignedView(want, false), PresignedView(got, false)
				}
				compare(t, c, "botocore", want, got, &failures)
			}
			if failures > 0 {
				t.Errorf("%d of %d signatures differ from botocore's", failures, len(cases))
			}
		})
	}
}

// sdkParamOrder puts the X-Amz-Security-Token parameter of a presigned URL
// of callerid's, which callerid writes after X-Amz-SignedHeaders, before
// it, where the SDK (sorting all parameters) writes it. It is the one
// difference of layout left when the caller's query is canonical (see
// DIFFERENCES.md).
func sdkParamOrder(u string) string {
	base, q, _ := strings.Cut(u, "?")
	ps := strings.Split(q, "&")
	for i := 0; i+1 < len(ps); i++ {
		if strings.HasPrefix(ps[i], "X-Amz-SignedHeaders=") && strings.HasPrefix(ps[i+1], "X-Amz-Security-Token=") {
			ps[i], ps[i+1] = ps[i+1], ps[i]
			break
		}
	}
	return base + "?" + strings.Join(ps, "&")
}
