package iamauth_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/internal/httpreplay"
	"github.com/callerid/callerid/sts"
)

// TestRecordedAnswers verifies a token against the answers STS documents
// (and moto's, which are not STS's and are refused).
func TestRecordedAnswers(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.token(t)
	tests := []struct {
		file    string
		arn     string
		canon   string
		session string
		want    error
		code    string
	}{
		{file: "api-reference/user.http", arn: "arn:aws:iam::123456789012:user/Alice", canon: "arn:aws:iam::123456789012:user/Alice"},
		{file: "api-reference/assumed-role.http", arn: "arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name",
			canon: "arn:aws:iam::123456789012:role/my-role-name", session: "my-role-session-name"},
		{file: "api-reference/federated-user.http", arn: "arn:aws:sts::123456789012:federated-user/my-federated-user-name",
			canon: "arn:aws:sts::123456789012:federated-user/my-federated-user-name"},
		{file: "sts-documented/get-caller-identity-json.http", arn: "arn:aws:iam::123456789012:user/Alice", canon: "arn:aws:iam::123456789012:user/Alice"},
		{file: "sts-documented/error-expired-token.http", want: iamauth.ErrRejected, code: "ExpiredToken"},
		{file: "sts-documented/error-invalid-client-token-id.http", want: iamauth.ErrRejected, code: "InvalidClientTokenId"},
		{file: "sts-documented/error-signature-expired.http", want: iamauth.ErrRejected, code: "SignatureDoesNotMatch"},
		{file: "sts-documented/error-throttling.http", want: iamauth.ErrThrottled, code: "Throttling"},
		// moto's user ids are not STS's, and its errors are HTML.
		{file: "moto/get-caller-identity-user.http", want: iamauth.ErrBadResponse},
		{file: "moto/error-signature-does-not-match.http", want: iamauth.ErrBadResponse},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec, err := httpreplay.Load(filepath.Join("..", "testdata", "recorded", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			srv := httpreplay.NewServer(rec)
			defer srv.Close()
			v, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: testCluster, Endpoint: srv.URL, Now: e.clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			id, err := v.VerifyEKSToken(context.Background(), tok)
			if tt.want != nil {
				checkRefusal(t, err, tt.want, secretsOf(e.key, tok))
				var apiErr *sts.APIError
				if tt.code != "" && (!errors.As(err, &apiErr) || apiErr.Code != tt.code || apiErr.RequestID == "") {
					t.Errorf("cause %#v, want %s with a request id", apiErr, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if id.ARN != tt.arn || id.CanonicalARN != tt.canon || id.SessionName != tt.session || id.Account != "123456789012" ||
				id.RequestID != "01234567-89ab-cdef-0123-456789abcdef" {
				t.Errorf("identity %+v", id)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Header.Get("X-K8s-Aws-Id") != testCluster || reqs[0].Header.Get("Accept") != "application/json" {
				t.Errorf("request %+v", reqs)
			}
		})
	}
}
