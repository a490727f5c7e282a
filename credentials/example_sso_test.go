package credentials_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/callerid/callerid/credentials"
)

// SSOProvider for a profile with sso_session, against a stand-in for the
// IAM Identity Center portal. In real use PortalEndpoint and CacheDir stay
// empty (https://portal.sso.eu-west-1.amazonaws.com, ~/.aws/sso/cache).
func ExampleSSOProvider() {
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("x-amz-sso_bearer_token") != "token-from-aws-sso-login" {
			w.Header().Set("x-amzn-ErrorType", "UnauthorizedException")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"Session token not found or invalid"}`)
			return
		}
		fmt.Fprint(w, `{"roleCredentials":{"accessKeyId":"ASIAEXAMPLE","secretAccessKey":"secret","sessionToken":"session","expiration":1924992000000}}`)
	}))
	defer portal.Close()

	// What "aws sso login --sso-session corp" leaves in the cache.
	cache, err := os.MkdirTemp("", "sso-cache")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(cache)
	p := &credentials.SSOProvider{
		SessionName:    "corp", // sso_session
		StartURL:       "https://d-1234567890.awsapps.com/start",
		Region:         "eu-west-1",
		AccountID:      "123456789012",
		RoleName:       "ReadOnly",
		CacheDir:       cache,
		PortalEndpoint: portal.URL,
	}

	// No token cached yet: the error says so, for which sso_session, and
	// which cache file it looked for.
	_, err = p.Retrieve(context.Background())
	var te *credentials.SSOTokenError
	if errors.As(err, &te) && errors.Is(err, credentials.ErrSSOTokenNotFound) {
		fmt.Println(te.Kind, "for", te.SessionName)
		fmt.Println(filepath.Base(te.Path))
	}

	path, _ := p.TokenProvider().CachePath()
	token := `{"accessToken":"token-from-aws-sso-login","expiresAt":"2099-01-01T00:00:00Z"}`
	if err := os.WriteFile(path, []byte(token), 0o600); err != nil {
		log.Fatal(err)
	}
	c, err := p.Retrieve(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c)
	// Output:
	// SSO token not found in the cache for corp
	// ee0bfd2552fbd840c02cc48b6e823320543c450f.json
	// Credentials{AccessKeyID: ASIAEXAMPLE, SecretAccessKey: <redacted>, SessionToken: <redacted>, AccountID: 123456789012, Expires: 2031-01-01T00:00:00Z, Source: SSOProvider}
}
