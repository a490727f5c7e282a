package iamauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/iamauth"
)

// TestWhatTheyShow pins what tokens and payloads do print and marshal to
// (TestNoSecretInAnyOutput checks what they must not).
func TestWhatTheyShow(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	tokA, err := e.prover.EKSToken(ctx, testCluster)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(1e9)
	tokB, err := e.prover.EKSToken(ctx, testCluster)
	if err != nil {
		t.Fatal(err)
	}
	payA := e.payload(t, iamauth.LoginOptions{})
	payB := e.payload(t, iamauth.LoginOptions{Presign: true})
	if cmp.Diff(tokA, tokB) == "" || cmp.Equal(payA, payB) || !cmp.Equal(tokA, tokA) {
		t.Error("cmp does not tell the tokens or payloads apart")
	}
	_, localErr := e.verifier.VerifyEKSToken(ctx, tokenOf(urlOf(t, tokA.Token())+"&x-amz-security-token="+e.key.SessionToken()))
	if got := fmt.Sprint(tokA); got != "iamauth.EKSToken{ClusterID: prod-eks, Host: sts.us-east-1.amazonaws.com, SignedAt: 2026-11-23T08:00:00Z, Expires: 2026-11-23T08:14:00Z, Token: <redacted>}" {
		t.Errorf("EKSToken prints as %s", got)
	}
	if got, _ := json.Marshal(tokA); string(got) != `{"clusterID":"prod-eks","host":"sts.us-east-1.amazonaws.com","signedAt":"2026-11-23T08:00:00Z","expires":"2026-11-23T08:14:00Z","token":"\u003credacted\u003e"}` {
		t.Errorf("EKSToken marshals as %s", got)
	}
	if got := fmt.Sprintf("%#v", payA); got != "iamauth.LoginPayload{Method: POST, Request: <redacted>}" {
		t.Errorf("LoginPayload prints as %s", got)
	}
	if got, _ := json.Marshal(payA); string(got) != `{"iam_http_request_method":"POST","iam_request_body":"\u003credacted\u003e","iam_request_headers":"\u003credacted\u003e","iam_request_url":"\u003credacted\u003e"}` {
		t.Errorf("LoginPayload marshals as %s", got)
	}
	var ve *iamauth.VerifyError
	if !errors.As(localErr, &ve) || ve.Err != iamauth.ErrDuplicateParameter {
		t.Errorf("local error %v", localErr)
	}
	if (iamauth.EKSToken{}).Token() != "" || len((iamauth.LoginPayload{}).Fields()) != 4 {
		t.Error("zero values")
	}
}
