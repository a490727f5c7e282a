package credentials_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/callerid/callerid/credentials"
)

func ExampleNewCache() {
	calls := 0
	source := credentials.ProviderFunc(func(context.Context) (credentials.Credentials, error) {
		calls++
		c := credentials.New("ASIAEXAMPLE", "secret", "token")
		c.Expires = time.Now().Add(time.Hour)
		return c, nil
	})
	cache := credentials.NewCache(source, credentials.WithExpiryWindow(5*time.Minute))
	for i := 0; i < 3; i++ {
		if _, err := cache.Retrieve(context.Background()); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("calls:", calls)
	cache.Invalidate() // e.g. after a service said the credentials expired
	cache.Retrieve(context.Background())
	fmt.Println("calls:", calls)
	// Output:
	// calls: 1
	// calls: 2
}

func ExampleNewChain() {
	chain := credentials.NewChain(
		credentials.EnvProvider{Getenv: func(string) string { return "" }},
		credentials.NewStaticProvider("AKIDEXAMPLE", "secret", ""),
	)
	creds, err := chain.Retrieve(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(creds.Source)
	// Output:
	// StaticProvider
}

// A Secret shows through no printer; Reveal is the only way to its value.
func ExampleNewSecret() {
	code := credentials.NewSecret("123456")
	b, _ := json.Marshal(struct{ TokenCode credentials.Secret }{code})
	fmt.Printf("%v %q %s\n", code, code, b)
	fmt.Println(code.Reveal())
	// Output:
	// <redacted> <redacted> {"TokenCode":"\u003credacted\u003e"}
	// 123456
}
