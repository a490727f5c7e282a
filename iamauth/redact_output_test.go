package iamauth_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/internal/redacttest"
	"github.com/callerid/callerid/sts"
)

// TestNoSecretInAnyOutput walks every type of the package that holds a
// token or a secret (tokens, login payloads, provers, verifiers that have
// cached a proof, and the errors of proofs, of redirects and of STS
// answers that echo a signature and a session token), with planted
// values, through every printer redacttest knows.
func TestNoSecretInAnyOutput(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, nil)
	tokA, err := e.prover.EKSToken(ctx, testCluster)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(1e9)
	tokB, err := e.prover.EKSToken(ctx, testCluster)
	if err != nil {
		t.Fatal(err)
	}
	payA := e.payload(t, iamauth.LoginOptions{})
	payB := e.payload(t, iamauth.LoginOptions{Presign: true})
	id, err := e.verifier.VerifyEKSToken(ctx, tokA.Token())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.verifier.VerifyLogin(ctx, payA); err != nil {
		t.Fatal(err)
	}
	_, rejected := e.verifier.VerifyEKSToken(ctx, tokenOf(setParam(urlOf(t, tokA.Token()), "X-Amz-Signature", strings.Repeat("0", 64))))
	_, local := e.verifier.VerifyEKSToken(ctx, tokenOf(urlOf(t, tokA.Token())+"&x-amz-security-token="+e.key.SessionToken()))
	_, prove := (&iamauth.Prover{Credentials: e.key.Provider()}).EKSToken(ctx, testCluster)

	// A redirect whose Location echoes the token's signature and session
	// token.
	u := urlOf(t, tokA.Token())
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, e.srv.URL+"/?"+r.URL.RawQuery, http.StatusFound)
	}))
	defer echo.Close()
	rv, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: testCluster, Endpoint: echo.URL, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	_, redirect := rv.VerifyEKSToken(ctx, tokA.Token())
	var re *credentials.RedirectError
	if rejected == nil || local == nil || prove == nil || !errors.As(redirect, &re) || !strings.Contains(re.Location, "redacted") {
		t.Fatalf("expected errors: %v, %v, %v, %v", rejected, local, prove, redirect)
	}

	// An STS, or something posing as one, that echoes the signature and
	// the session token, as sent and decoded: in an error document (XML
	// and JSON), and in the Arn of an answer.
	echoed := func(r *http.Request) string {
		q := r.URL.Query()
		return "bad " + q.Get("X-Amz-Security-Token") + " " + q.Get("X-Amz-Signature") + " " + r.URL.RawQuery
	}
	echoing := map[string]http.HandlerFunc{
		"XML error": func(w http.ResponseWriter, r *http.Request) {
			var msg strings.Builder
			xml.EscapeText(&msg, []byte(echoed(r)))
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
				r.URL.Query().Get("X-Amz-Signature"), msg.String(), r.URL.Query().Get("X-Amz-Security-Token"))
		},
		"JSON error": func(w http.ResponseWriter, r *http.Request) {
			body, _ := json.Marshal(map[string]any{"Error": map[string]string{"Code": r.URL.Query().Get("X-Amz-Signature"), "Message": echoed(r), "Type": r.URL.Query().Get("X-Amz-Security-Token")}})
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			w.Write(body)
		},
		"JSON answer": func(w http.ResponseWriter, r *http.Request) {
			body, _ := json.Marshal(map[string]any{"GetCallerIdentityResponse": map[string]any{"GetCallerIdentityResult": map[string]string{
				"Account": "123456789012", "Arn": echoed(r), "UserId": r.URL.Query().Get("X-Amz-Signature")}}})
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		},
	}
	echoErrs := map[string]error{}
	for name, h := range echoing {
		srv := httptest.NewServer(h)
		defer srv.Close()
		ev, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: testCluster, Endpoint: srv.URL, Now: e.clock.Now, CacheSize: -1})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ev.VerifyEKSToken(ctx, tokA.Token())
		if err == nil {
			t.Fatalf("%s: an echoing STS verified the token", name)
		}
		echoErrs[name] = err
	}

	var secrets []string
	for _, tok := range []iamauth.EKSToken{tokA, tokB} {
		u := urlOf(t, tok.Token())
		secrets = append(secrets, tok.Token(), strings.TrimPrefix(tok.Token(), iamauth.TokenPrefix), param(u, "X-Amz-Signature"))
	}
	for _, p := range []iamauth.LoginPayload{payA, payB} {
		f := p.Fields()
		secrets = append(secrets, f[iamauth.FieldHeaders], decodePayload(t, p).url)
		if p.Method == http.MethodGet {
			secrets = append(secrets, f[iamauth.FieldURL])
		}
	}
	secrets = append(secrets, e.key.SecretAccessKey(), e.key.SessionToken(), param(u, "X-Amz-Security-Token"))

	// Peer text is cut to a bound: no start of a secret cut short there
	// may show either.
	shown := map[string]error{"redirect": redirect}
	for name, err := range echoErrs {
		shown[name] = err
		var ae *sts.APIError
		if errors.As(err, &ae) {
			shown[name+", its *sts.APIError"] = fmt.Errorf("%+v", *ae)
		}
	}
	for name, err := range shown {
		for _, s := range secrets {
			if len(s) > 16 && strings.Contains(err.Error(), s[:16]) {
				t.Errorf("the error of the %s shows the start of a secret (%.16s…): %v", name, s, err)
			}
		}
	}

	static := &iamauth.Prover{Credentials: &credentials.StaticProvider{Credentials: e.key.Credentials}}
	for _, c := range []redacttest.Case{
		{Name: "EKSToken", Value: tokA, Other: tokB},
		{Name: "LoginPayload", Value: payA, Other: payB},
		{Name: "presigned LoginPayload", Value: payB, Other: iamauth.LoginPayload{}},
		{Name: "LoginPayload from NewLoginPayload", Value: iamauth.NewLoginPayload("POST", payA.Fields()[iamauth.FieldURL], payA.Fields()[iamauth.FieldBody], payA.Fields()[iamauth.FieldHeaders]), Other: payB},
		{Name: "Prover", Value: e.prover},
		{Name: "Prover with a StaticProvider", Value: static, Other: &iamauth.Prover{}},
		{Name: "Verifier that cached a token and a payload", Value: e.verifier},
		{Name: "VerifyError from STS", Value: rejected},
		{Name: "VerifyError of a token", Value: local},
		{Name: "VerifyError of a redirect", Value: redirect},
		{Name: "ProveError", Value: prove},
		{Name: "VerifyError of an echoing XML error", Value: echoErrs["XML error"]},
		{Name: "VerifyError of an echoing JSON error", Value: echoErrs["JSON error"]},
		{Name: "VerifyError of an echoing answer", Value: echoErrs["JSON answer"]},
		{Name: "Identity", Value: id},
		{Name: "VerifierOptions", Value: iamauth.VerifierOptions{ClusterID: testCluster}},
	} {
		c.Secrets = secrets
		redacttest.Check(t, c)
	}
}
