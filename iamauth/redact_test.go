package iamauth_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/iamauth"
)

// TestNoSecretsShow plants the secrets of a key in every type of the
// package that holds a token or a secret, and looks for them in fmt (all
// verbs), JSON, log/slog and cmp.Diff output.
func TestNoSecretsShow(t *testing.T) {
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
	_, verifyErr := e.verifier.VerifyEKSToken(ctx, tokenOf(setParam(urlOf(t, tokA.Token()), "X-Amz-Signature", strings.Repeat("0", 64))))
	_, localErr := e.verifier.VerifyEKSToken(ctx, tokenOf(urlOf(t, tokA.Token())+"&x-amz-security-token="+e.key.SessionToken()))
	_, proveErr := (&iamauth.Prover{Credentials: e.key.Provider()}).EKSToken(ctx, testCluster)
	if verifyErr == nil || localErr == nil || proveErr == nil {
		t.Fatal("expected errors")
	}

	var secrets []string
	for _, tok := range []iamauth.EKSToken{tokA, tokB} {
		u := urlOf(t, tok.Token())
		secrets = append(secrets, tok.Token(), strings.TrimPrefix(tok.Token(), iamauth.TokenPrefix), u, param(u, "X-Amz-Signature"))
	}
	for _, p := range []iamauth.LoginPayload{payA, payB} {
		for _, v := range p.Fields() {
			if v != "POST" && v != "GET" && v != base64.StdEncoding.EncodeToString([]byte("Action=GetCallerIdentity&Version=2011-06-15")) &&
				v != base64.StdEncoding.EncodeToString([]byte("https://sts.us-east-1.amazonaws.com/")) && v != "" {
				secrets = append(secrets, v)
			}
		}
		d := decodePayload(t, p)
		if a := d.header["Authorization"]; len(a) == 1 {
			secrets = append(secrets, a[0], a[0][len(a[0])-64:])
		}
		secrets = append(secrets, d.url)
	}
	secrets = append(secrets, e.key.SecretAccessKey(), e.key.SessionToken())
	secrets = secrets[:len(secrets):len(secrets)]
	for _, s := range secrets {
		if len(s) < 20 {
			t.Fatalf("secret %q is too short to look for", s)
		}
	}

	type holder struct {
		tok iamauth.EKSToken
		pay iamauth.LoginPayload
	}
	values := map[string]any{
		"EKSToken":           tokA,
		"*EKSToken":          &tokA,
		"[]EKSToken":         []iamauth.EKSToken{tokA, tokB},
		"LoginPayload":       payA,
		"presigned payload":  payB,
		"*LoginPayload":      &payA,
		"unexported fields":  holder{tokA, payA},
		"Identity":           id,
		"VerifyError (STS)":  verifyErr,
		"VerifyError (mine)": localErr,
		"ProveError":         proveErr,
		"Prover":             e.prover,
		"Verifier":           e.verifier,
		"VerifierOptions":    iamauth.VerifierOptions{ClusterID: testCluster},
	}
	look := func(what, out string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s shows a secret (%.12s…): %.300s", what, s, out)
			}
		}
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
			look(name+" "+verb, fmt.Sprintf(verb, v))
		}
		if _, isErr := v.(error); !isErr {
			if b, err := json.Marshal(v); err == nil {
				look(name+" JSON", string(b))
			}
		}
		var buf bytes.Buffer
		slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "v", v, slog.Any("any", v), slog.Group("g", "v", v))
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "v", v, slog.Any("any", v))
		look(name+" slog", buf.String())
	}
	look("cmp.Diff of tokens", cmp.Diff(tokA, tokB))
	look("cmp.Diff of payloads", cmp.Diff(payA, payB))
	look("cmp.Diff of holders", cmp.Diff(holder{tokA, payA}, holder{tokB, payB}, cmp.AllowUnexported(holder{})))
	if cmp.Diff(tokA, tokB) == "" || cmp.Equal(payA, payB) || !cmp.Equal(tokA, tokA) {
		t.Error("cmp does not tell the tokens or payloads apart")
	}

	// What they do show.
	if got := fmt.Sprint(tokA); got != "iamauth.EKSToken{ClusterID: prod-eks, Host: sts.us-east-1.amazonaws.com, SignedAt: 2026-11-23T08:00:00Z, Expires: 2026-11-23T08:14:00Z, Token: <redacted>}" {
		t.Errorf("EKSToken prints as %s", got)
	}
	if got, _ := json.Marshal(tokA); string(got) != `{"clusterID":"prod-eks","host":"sts.us-east-1.amazonaws.com","signedAt":"2026-11-23T08:00:00Z","expires":"2026-11-23T08:14:00Z","token":"\u003credacted\u003e"}` {
		t.Errorf("EKSToken marshals as %s", got)
	}
	if got := fmt.Sprintf("%#v", payA); got != "iamauth.LoginPayload{Method: POST, Request: <redacted>}" {
		t.Errorf("LoginPayload prints as %s", got)
	}
	if got, _ := json.Marshal(payA); string(got) != `{"iam_http_request_method":"POST","iam_request_body":"\u003credacted\u003e","iam_request_headers":"\u003credacted\u003e","iam_request_url":"\u003credacted\u003e"}` {
		t.Errorf("LoginPayload marshals as %s", got)
	}
	var ve *iamauth.VerifyError
	if !errors.As(localErr, &ve) || ve.Err != iamauth.ErrDuplicateParameter {
		t.Errorf("local error %v", localErr)
	}
	if (iamauth.EKSToken{}).Token() != "" || len((iamauth.LoginPayload{}).Fields()) != 4 {
		t.Error("zero values")
	}
}
