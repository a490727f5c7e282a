//go:build unix

package credentials_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/callerid/callerid/credentials"
)

func ExampleProcessProvider() {
	p := &credentials.ProcessProvider{
		Command: `/bin/echo '{"Version": 1, "AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "secret", "AccountId": "123456789012"}'`,
		Profile: "dev",
		Timeout: 10 * time.Second,
	}
	creds, err := p.Retrieve(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(creds.AccessKeyID, creds.AccountID, creds.Source)
	// Output:
	// AKIDEXAMPLE 123456789012 ProcessProvider(profile=dev)
}
