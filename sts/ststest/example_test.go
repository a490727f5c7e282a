package ststest_test

import (
	"context"
	"fmt"

	"github.com/callerid/callerid/sts"
	"github.com/callerid/callerid/sts/ststest"
)

func ExampleNewServer() {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")

	client, err := sts.New(sts.Options{
		EndpointURL: srv.URL,
		Credentials: key.Provider(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	id, err := client.GetCallerIdentity(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id.Account, id.ARN)
	fmt.Println(id.UserID == key.Identity.UserID)
	// Output:
	// 123456789012 arn:aws:iam::123456789012:user/alice
	// true
}
