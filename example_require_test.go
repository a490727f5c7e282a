package callerid_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/callerid/callerid"
	"github.com/callerid/callerid/sts/ststest"
)

// Require as the guard a deployment runs before it touches anything: the
// credentials must be a session of the role "deploy" in account
// 123456789012. Here they are an IAM user's, so the guard says no, in one
// line. (The example asks a fake STS on loopback; against AWS, leave out
// the options other than the expectation.)
func ExampleRequire() {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")

	_, err := callerid.Require(context.Background(),
		callerid.Expect{Account: "123456789012", Role: "deploy"},
		callerid.WithGetenv(func(string) string { return "" }),
		callerid.WithRegion("us-east-1"),
		callerid.WithEndpointURL(srv.URL),
		callerid.WithCredentials(key.Provider()))
	var mismatch *callerid.MismatchError
	if errors.As(err, &mismatch) {
		fmt.Println(err)
		return
	}
	if err != nil {
		fmt.Println("cannot tell who the caller is:", err)
		return
	}
	fmt.Println("deploying")
	// Output:
	// callerid: expected role deploy, found IAM user alice (caller arn:aws:iam::123456789012:user/alice)
}

// Expect.Check checks an Identity that Whoami already returned.
func ExampleExpect_Check() {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddAssumedRole("123456789012", "deploy", "ci-run-42")

	id, err := callerid.Whoami(context.Background(),
		callerid.WithGetenv(func(string) string { return "" }),
		callerid.WithRegion("us-east-1"),
		callerid.WithEndpointURL(srv.URL),
		callerid.WithCredentials(key.Provider()))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(callerid.Expect{Role: "arn:aws:iam::123456789012:role/deploy"}.Check(id))
	fmt.Println(callerid.Expect{Account: "210987654321"}.Check(id))
	// Output:
	// <nil>
	// callerid: expected account 210987654321, found 123456789012 (caller arn:aws:sts::123456789012:assumed-role/deploy/ci-run-42)
}
