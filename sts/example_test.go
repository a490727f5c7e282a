package sts_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sts"
	"github.com/callerid/callerid/sts/ststest"
)

func ExampleClient_GetCallerIdentity() {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddAssumedRole("123456789012", "deploy", "ci-run-7")

	client, err := sts.New(sts.Options{EndpointURL: srv.URL, Credentials: key.Provider()})
	if err != nil {
		fmt.Println(err)
		return
	}
	id, err := client.GetCallerIdentity(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id.Account)
	fmt.Println(id.ARN)
	// Output:
	// 123456789012
	// arn:aws:sts::123456789012:assumed-role/deploy/ci-run-7
}

func ExampleClient_AssumeRole() {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("111122223333", "/", "alice")

	client, err := sts.New(sts.Options{EndpointURL: srv.URL, Credentials: key.Provider()})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := client.AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleARN:         "arn:aws:iam::444455556666:role/deploy",
		RoleSessionName: "release",
		Duration:        15 * time.Minute,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.AssumedRoleUser.ARN)
	fmt.Println(out.Credentials.AccountID, time.Until(out.Credentials.Expires).Round(time.Minute))
	// Output:
	// arn:aws:sts::444455556666:assumed-role/deploy/release
	// 444455556666 15m0s
}

// A role's credentials, refreshed before they expire: the source signs
// AssumeRole, the cache calls it again only when the role's credentials
// are about to expire.
func ExampleAssumeRoleProvider() {
	srv := ststest.NewServer()
	defer srv.Close()
	source := srv.AddUser("111122223333", "/", "alice")

	client, err := sts.New(sts.Options{EndpointURL: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	role := credentials.NewCache(&sts.AssumeRoleProvider{
		Client: client,
		Source: source.Provider(),
		Input:  sts.AssumeRoleInput{RoleARN: "arn:aws:iam::444455556666:role/deploy", RoleSessionName: "release"},
	})
	creds, err := role.Retrieve(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(creds.AccountID, creds.CanExpire())
	fmt.Println(creds.Source)
	// Output:
	// 444455556666 true
	// AssumeRoleProvider(role=arn:aws:iam::444455556666:role/deploy, source=ststest)
}

// A pod's web identity token traded for a role's credentials, as EKS's
// IAM roles for service accounts (IRSA) do.
func ExampleWebIdentityProvider() {
	srv := ststest.NewServer()
	defer srv.Close()
	const token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2ln"
	srv.AllowWebIdentityToken(token)
	dir, err := os.MkdirTemp("", "callerid-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(token), 0o600); err != nil {
		fmt.Println(err)
		return
	}

	client, err := sts.New(sts.Options{EndpointURL: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	pod := credentials.NewCache(&sts.WebIdentityProvider{
		Client:    client,
		TokenFile: tokenFile, // AWS_WEB_IDENTITY_TOKEN_FILE
		Input:     sts.AssumeRoleWithWebIdentityInput{RoleARN: "arn:aws:iam::444455556666:role/pod"},
	})
	creds, err := pod.Retrieve(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(creds.AccountID, creds.Source)
	// Output:
	// 444455556666 WebIdentityProvider(role=arn:aws:iam::444455556666:role/pod)
}

func ExampleResolveEndpoint() {
	for _, o := range []sts.EndpointOptions{
		{Region: "eu-west-1"},
		{Region: "eu-west-1", UseGlobalEndpoint: true},
		{Region: "cn-north-1"},
		{Region: "us-gov-west-1", UseFIPS: true},
		{Region: "us-east-2", UseFIPS: true, UseDualStack: true},
	} {
		ep, err := sts.ResolveEndpoint(o)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(ep.URL, ep.SigningRegion)
	}
	// Output:
	// https://sts.eu-west-1.amazonaws.com/ eu-west-1
	// https://sts.amazonaws.com/ us-east-1
	// https://sts.cn-north-1.amazonaws.com.cn/ cn-north-1
	// https://sts.us-gov-west-1.amazonaws.com/ us-gov-west-1
	// https://sts-fips.us-east-2.api.aws/ us-east-2
}

func ExampleRetryOptions() {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	srv.FailNext(2, ststest.Throttling())

	client, err := sts.New(sts.Options{
		EndpointURL: srv.URL,
		Credentials: key.Provider(),
		// Retry at once, for the example; by default the waits are random
		// shares of 1 s, 2 s, 4 s, ... up to 20 s.
		Retry: sts.RetryOptions{Jitter: func() float64 { return 0 }},
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
	fmt.Println(id.ARN, "after", id.Attempts, "attempts")

	srv.FailNext(1, ststest.Error(403, "AccessDenied", "not allowed"))
	_, err = client.GetCallerIdentity(context.Background())
	var apiErr *sts.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, "is not retried")
	}
	// Output:
	// arn:aws:iam::123456789012:user/alice after 3 attempts
	// AccessDenied is not retried
}

// A Client never follows a redirect, with its default HTTP client or a
// caller's: the signed request, its session token and a web identity token
// stay where they were sent, and the call fails with a *RedirectError.
func ExampleRedirectError() {
	srv := httptest.NewServer(http.RedirectHandler("https://elsewhere.example/steal", http.StatusTemporaryRedirect))
	defer srv.Close()

	client, err := sts.New(sts.Options{EndpointURL: srv.URL, HTTPClient: &http.Client{},
		Credentials: credentials.NewStaticProvider("AKIDEXAMPLE", "secret", "session-token")})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.GetCallerIdentity(context.Background())
	var re *sts.RedirectError
	if errors.As(err, &re) {
		fmt.Println(re.StatusCode, re.Location)
	}
	// Output:
	// 307 https://elsewhere.example/steal
}
