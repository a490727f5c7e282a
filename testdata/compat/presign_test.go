package compat

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/callerid/callerid/sigv4"
	"github.com/callerid/callerid/sts/ststest"
)

// TestPresignedEKSTokenOnTheWire presigns the EKS token request
// (GetCallerIdentity as a GET with a signed x-k8s-aws-id header) with
// callerid and with aws-sdk-go-v2, sends each URL with the header through
// net/http to the fake STS of sts/ststest, and wants both accepted, and a
// URL with a wrong header value or a changed signature refused.
func TestPresignedEKSTokenOnTheWire(t *testing.T) {
	srv := ststest.NewServer(ststest.WithRegion("us-east-1"))
	defer srv.Close()
	key := srv.AddAssumedRole(ststest.DefaultAccount, "eks-admin", "token-test")
	now := srv.Now()
	base := srv.URL + "/?Action=GetCallerIdentity&Version=2011-06-15"

	newReq := func(rawURL string) *http.Request {
		req, err := http.NewRequest("GET", rawURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("x-k8s-aws-id", "my-cluster")
		return req
	}
	ours, oursHeader, err := (&sigv4.Signer{Now: func() time.Time { return now }}).Presign(newReq(base),
		key.Credentials, sigv4.Scope{Service: "sts", Region: "us-east-1"}, 60*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if got := oursHeader.Get("X-K8s-Aws-Id"); got != "my-cluster" {
		t.Errorf("callerid's headers to send = %v, want x-k8s-aws-id: my-cluster", oursHeader)
	}
	theirs, _, err := sdkSigner(false).PresignHTTP(context.Background(),
		aws.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey(), SessionToken: key.SessionToken()},
		newReq(base+"&X-Amz-Expires=60"), sigv4.EmptyPayloadHash, "sts", "us-east-1", now)
	if err != nil {
		t.Fatal(err)
	}

	// The same URL, but for where callerid puts X-Amz-Security-Token.
	if got := sdkParamOrder(ours); got != theirs {
		t.Errorf("presigned URLs differ:\ncallerid: %s\nSDK:      %s", got, theirs)
	}

	for _, tt := range []struct {
		name, url, cluster string
		wantStatus         int
		wantBody           string
	}{
		{"callerid", ours, "my-cluster", 200, key.Identity.ARN},
		{"aws-sdk-go-v2", theirs, "my-cluster", 200, key.Identity.ARN},
		{"callerid, another cluster", ours, "other-cluster", 403, "SignatureDoesNotMatch"},
		{"callerid, changed signature", flipLastHex(ours), "my-cluster", 403, "SignatureDoesNotMatch"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(tt.url)
			req.Header.Set("x-k8s-aws-id", tt.cluster)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			resp, err := srv.Client().Do(req.WithContext(ctx))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus || !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("GET %s: HTTP %d %s, want HTTP %d with %q", tt.url, resp.StatusCode, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

// flipLastHex changes the last hex digit of a presigned URL (the
// signature's).
func flipLastHex(u string) string {
	last := u[len(u)-1]
	if last == '0' {
		return u[:len(u)-1] + "1"
	}
	return u[:len(u)-1] + "0"
}
