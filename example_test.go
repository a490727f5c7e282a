package callerid_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

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
		callerid.WithRegion("us-east-1"),
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
		callerid.WithRegion("us-east-1"),
		callerid.WithEndpointURL(srv.URL),
		callerid.WithCredentials(key.Provider()))
	var apiErr *sts.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code)
	}
	// Output:
	// 403 SignatureDoesNotMatch
}

// exampleHome makes a home directory with ~/.aws/config and
// ~/.aws/credentials, for the examples.
func exampleHome(config, credentials string) string {
	home, err := os.MkdirTemp("", "callerid-example")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		log.Fatal(err)
	}
	for name, content := range map[string]string{"config": config, "credentials": credentials} {
		if err := os.WriteFile(filepath.Join(home, ".aws", name), []byte(content), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	return home
}

// LoadConfig reads the configuration as the AWS CLI does; here from a
// home directory of its own (WithGetenv keeps the machine's environment
// and files out of it).
func ExampleLoadConfig() {
	home := exampleHome(`[profile dev]
region = eu-west-1
output = text
`, `[dev]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
`)
	defer os.RemoveAll(home)
	env := map[string]string{"HOME": home, "AWS_PROFILE": "dev", "AWS_EC2_METADATA_DISABLED": "true"}

	cfg, err := callerid.LoadConfig(context.Background(), callerid.WithGetenv(func(k string) string { return env[k] }))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Profile, cfg.Region)
	output, _ := cfg.ProfileValue("output")
	fmt.Println(output)
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(creds) // never shows the secret
	// Output:
	// dev eu-west-1
	// text
	// Credentials{AccessKeyID: AKIAIOSFODNN7EXAMPLE, SecretAccessKey: <redacted>, Source: SharedCredentialsFile(profile=dev)}
}

// Config.STS hands out an STS client configured as the AWS CLI's would be:
// here its endpoint comes from the profile's services section.
func ExampleConfig_STS() {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	home := exampleHome(`[default]
region = eu-west-1
services = local-sts

[services local-sts]
sts =
  endpoint_url = `+srv.URL+`
`, "")
	defer os.RemoveAll(home)
	env := map[string]string{"HOME": home}

	cfg, err := callerid.LoadConfig(context.Background(),
		callerid.WithGetenv(func(k string) string { return env[k] }),
		callerid.WithCredentials(key.Provider()))
	if err != nil {
		log.Fatal(err)
	}
	client, err := cfg.STS()
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	fmt.Println(client.Endpoint() == srv.URL+"/", client.Region())
	id, err := client.GetCallerIdentity(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id.ARN, id.StatusCode)
	// Output:
	// true eu-west-1
	// arn:aws:iam::123456789012:user/alice 200
}

// An IAM Identity Center (SSO) profile that lacks keys: the error says
// which; a missing token is a *credentials.SSOTokenError that names the
// sso_session. (A program that speaks as the AWS CLI builds the CLI's
// messages from these fields, as examples/whoami does. The example reads
// an isolated environment: a temporary HOME, nothing else.)
func ExampleSSOConfigError() {
	home, err := os.MkdirTemp("", "callerid-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(home)
	config := `[profile half]
sso_session = corp
sso_role_name = ReadOnly

[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
`
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(config), 0o600); err != nil {
		log.Fatal(err)
	}
	env := map[string]string{"HOME": home, "AWS_EC2_METADATA_DISABLED": "true"}
	getenv := func(k string) string { return env[k] }

	for _, profile := range []string{"half", "dev"} {
		cfg, err := callerid.LoadConfig(context.Background(), callerid.WithGetenv(getenv), callerid.WithProfile(profile))
		if err != nil {
			log.Fatal(err)
		}
		_, err = cfg.Credentials.Retrieve(context.Background())
		var sce *callerid.SSOConfigError
		var ste *credentials.SSOTokenError
		switch {
		case errors.As(err, &sce):
			fmt.Println(sce.Profile, sce.Missing)
			fmt.Println(sce)
		case errors.As(err, &ste):
			fmt.Println(errors.Is(err, credentials.ErrSSOTokenNotFound), ste.SessionName)
		}
	}
	// Output:
	// half [sso_account_id]
	// configured to use SSO (IAM Identity Center) but missing required configuration: sso_account_id
	// true corp
}
