package callerid_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/callerid/callerid"
	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sts"
	"github.com/callerid/callerid/sts/ststest"
)

// Whoami against a fake STS on loopback. Against AWS, leave out the
// options: it finds credentials, region and endpoint as the AWS CLI does.
// (The example reads an empty environment, so that no AWS_PROFILE or
// AWS_ENDPOINT_URL of the machine it runs on changes its output.)
func ExampleWhoami() {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddAssumedRole("123456789012", "deploy", "ci-run-42")

	id, err := callerid.Whoami(context.Background(),
		callerid.WithGetenv(func(string) string { return "" }),
		callerid.WithEndpointURL(srv.URL),
		callerid.WithCredentials(key.Provider()))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id.Account)
	fmt.Println(id.ARN)
	fmt.Println(id.Principal.Kind, id.Principal.Name, id.Principal.SessionName)
	// Output:
	// 123456789012
	// arn:aws:sts::123456789012:assumed-role/deploy/ci-run-42
	// assumed role deploy ci-run-42
}

// Errors that STS reports are *sts.APIError values.
func ExampleWhoami_error() {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	key.Credentials = credentials.New(key.AccessKeyID, "not-the-secret", "")

	_, err := callerid.Whoami(context.Background(),
		callerid.WithGetenv(func(string) string { return "" }),
		callerid.WithEndpointURL(srv.URL),
		callerid.WithCredentials(key.Provider()))
	var apiErr *sts.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	// Output:
	// 403 SignatureDoesNotMatch
}
