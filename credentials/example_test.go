package credentials_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/callerid/callerid/credentials"
)

// exampleHome makes a home directory with ~/.aws files for the examples.
func exampleHome(config, creds string) string {
	home, err := os.MkdirTemp("", "callerid-example")
	if err != nil {
		log.Fatal(err)
	}
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(config), 0o600)
	os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte(creds), 0o600)
	return home
}

func ExampleDefaultChain() {
	home := exampleHome(`[profile dev]
region = eu-west-1
`, `[dev]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
`)
	defer os.RemoveAll(home)

	env := map[string]string{"HOME": home, "AWS_EC2_METADATA_DISABLED": "true"}
	provider := credentials.NewCache(credentials.DefaultChain(credentials.ChainOptions{
		Profile: "dev", // as whoami --profile dev
		Getenv:  func(k string) string { return env[k] },
		// RoleAssumer: an sts-backed assumer, for profiles with role_arn.
	}))
	creds, err := provider.Retrieve(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(creds.Source)
	fmt.Println(creds) // never shows the secret
	// Output:
	// SharedCredentialsFile(profile=dev)
	// Credentials{AccessKeyID: AKIAIOSFODNN7EXAMPLE, SecretAccessKey: <redacted>, Source: SharedCredentialsFile(profile=dev)}
}

func ExampleDefaultChain_nothingFound() {
	home := exampleHome("", "")
	defer os.RemoveAll(home)
	env := map[string]string{"HOME": home, "AWS_EC2_METADATA_DISABLED": "true"}
	_, err := credentials.DefaultChain(credentials.ChainOptions{
		Getenv: func(k string) string { return env[k] },
	}).Retrieve(context.Background())

	var ce *credentials.ChainError
	if errors.As(err, &ce) {
		fmt.Println("tried", len(ce.Errors), "sources; nothing found:", errors.Is(err, credentials.ErrNotFound))
	}
	// Output:
	// tried 12 sources; nothing found: true
}

func ExampleChainOptions_LoadProfile() {
	home := exampleHome(`[profile dev]
region = eu-west-1
sts_regional_endpoints = regional
`, "")
	defer os.RemoveAll(home)
	env := map[string]string{"HOME": home, "AWS_PROFILE": "dev"}
	profile, err := credentials.ChainOptions{Getenv: func(k string) string { return env[k] }}.LoadProfile()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(profile.Name, profile.Region, profile.Get("sts_regional_endpoints"))
	// Output:
	// dev eu-west-1 regional
}

func ExampleSharedConfig_Profile() {
	home := exampleHome(`[default]
region = us-east-1
s3 =
    addressing_style = path
`, "")
	defer os.RemoveAll(home)
	cfg, err := credentials.LoadSharedConfig(filepath.Join(home, ".aws", "config"), filepath.Join(home, ".aws", "credentials"))
	if err != nil {
		log.Fatal(err)
	}
	p, err := cfg.Profile("default")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Region, p.Nested("s3")["addressing_style"])
	_, err = cfg.Profile("nope")
	fmt.Println(errors.Is(err, credentials.ErrProfileNotFound))
	// Output:
	// us-east-1 path
	// true
}

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
