package iamauth_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/sts/ststest"
)

// exampleSTS is a fake STS for the examples, and a key it knows: an EC2
// instance's role session. Real code signs with a credentials.Provider of
// its own and verifies against STS itself.
func exampleSTS() (*ststest.Server, ststest.Key) {
	srv := ststest.NewServer()
	return srv, srv.AddAssumedRole("123456789012", "web-servers", "i-0abc1234def567890")
}

func ExampleProver_EKSToken() {
	srv, key := exampleSTS()
	defer srv.Close()

	p := &iamauth.Prover{
		Credentials: key.Provider(),
		Endpoint:    iamauth.Endpoint{Region: "eu-west-1"},
		Now:         func() time.Time { return time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) },
	}
	tok, err := p.EKSToken(context.Background(), "prod")
	if err != nil {
		fmt.Println(err)
		return
	}
	// tok.Token() is what kubectl sends as its bearer token.
	u, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok.Token(), iamauth.TokenPrefix))
	fmt.Println(strings.HasPrefix(tok.Token(), "k8s-aws-v1."))
	fmt.Println(strings.SplitN(string(u), "&X-Amz-Algorithm", 2)[0])
	fmt.Println(tok.Host, tok.Expires.Sub(tok.SignedAt))
	fmt.Println(tok) // no token in sight
	// Output:
	// true
	// https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15
	// sts.eu-west-1.amazonaws.com 14m0s
	// iamauth.EKSToken{ClusterID: prod, Host: sts.eu-west-1.amazonaws.com, SignedAt: 2026-11-23T08:00:00Z, Expires: 2026-11-23T08:14:00Z, Token: <redacted>}
}

func ExampleVerifier_VerifyEKSToken() {
	srv, key := exampleSTS()
	defer srv.Close()
	ctx := context.Background()
	p := &iamauth.Prover{Credentials: key.Provider(), Endpoint: iamauth.Endpoint{Region: "eu-west-1"}}
	tok, err := p.EKSToken(ctx, "prod")
	if err != nil {
		fmt.Println(err)
		return
	}

	// The cluster's side. Endpoint sends the proofs to the fake STS; in
	// production leave it empty, and the Verifier calls the STS host the
	// token names, once it has checked it is one.
	v, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: "prod", Endpoint: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	id, err := v.VerifyEKSToken(ctx, tok.Token())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id.ARN)
	fmt.Println(id.CanonicalARN, id.SessionName, id.Principal.Kind)

	// A token for another cluster does not verify here.
	other, _ := p.EKSToken(ctx, "staging")
	_, err = v.VerifyEKSToken(ctx, other.Token())
	fmt.Println(errors.Is(err, iamauth.ErrRejected))
	// Output:
	// arn:aws:sts::123456789012:assumed-role/web-servers/i-0abc1234def567890
	// arn:aws:iam::123456789012:role/web-servers i-0abc1234def567890 assumed role
	// true
}

func ExampleProver_LoginPayload() {
	srv, key := exampleSTS()
	defer srv.Close()
	p := &iamauth.Prover{Credentials: key.Provider(), Endpoint: iamauth.Endpoint{Global: true}}
	payload, err := p.LoginPayload(context.Background(), iamauth.LoginOptions{ServerID: "vault.example.com"})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The body of a Vault login: POST it to /v1/auth/aws/login.
	login := payload.Fields()
	login["role"] = "web"
	body, _ := json.Marshal(login)
	fmt.Println(len(body) > 0)

	for _, f := range []string{iamauth.FieldMethod, iamauth.FieldURL, iamauth.FieldBody} {
		v := login[f]
		if f != iamauth.FieldMethod {
			b, _ := base64.StdEncoding.DecodeString(v)
			v = string(b)
		}
		fmt.Printf("%s: %s\n", f, v)
	}
	fmt.Println(payload)
	// Output:
	// true
	// iam_http_request_method: POST
	// iam_request_url: https://sts.amazonaws.com/
	// iam_request_body: Action=GetCallerIdentity&Version=2011-06-15
	// iamauth.LoginPayload{Method: POST, Request: <redacted>}
}

func ExampleVerifier_VerifyLogin() {
	srv, key := exampleSTS()
	defer srv.Close()
	ctx := context.Background()

	// The server hands out a challenge; the client binds its proof to it.
	challenge := iamauth.Binding{Header: "X-Challenge", Value: "b6f1c0e2a9d84f57"}
	p := &iamauth.Prover{Credentials: key.Provider(), Endpoint: iamauth.Endpoint{Region: "us-east-1"}}
	payload, err := p.LoginPayload(ctx, iamauth.LoginOptions{ServerID: "vault.example.com", Bind: []iamauth.Binding{challenge}})
	if err != nil {
		fmt.Println(err)
		return
	}

	v, err := iamauth.NewVerifier(iamauth.VerifierOptions{ServerID: "vault.example.com", Endpoint: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	id, err := v.VerifyLogin(ctx, payload, challenge)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(id.CanonicalARN, id.Account)

	// Replayed after the server moved on to another challenge:
	_, err = v.VerifyLogin(ctx, payload, iamauth.Binding{Header: "X-Challenge", Value: "0d4e8a7c31f26b95"})
	fmt.Println(errors.Is(err, iamauth.ErrBindingMismatch))
	// Output:
	// arn:aws:iam::123456789012:role/web-servers 123456789012
	// true
}

func ExampleVerifyError() {
	v, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: "prod"})
	if err != nil {
		fmt.Println(err)
		return
	}
	// A token whose URL names a lookalike host is refused before any
	// call.
	u := "https://sts.amazonaws.com.evil.example/?Action=GetCallerIdentity&Version=2011-06-15"
	_, err = v.VerifyEKSToken(context.Background(), iamauth.TokenPrefix+base64.RawURLEncoding.EncodeToString([]byte(u)))

	var ve *iamauth.VerifyError
	if errors.As(err, &ve) {
		fmt.Println(ve.Check, errors.Is(err, iamauth.ErrHost), ve.Retryable())
	}
	fmt.Println(err)
	// Output:
	// host true false
	// iamauth: host: the host "sts.amazonaws.com.evil.example" is not an STS host of the accepted partitions and regions
}
