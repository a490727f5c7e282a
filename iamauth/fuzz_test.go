package iamauth_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/callerid/callerid/iamauth"
)

// checkOutcome checks the property of every verification: it verifies as
// what was signed (the env's key), or it is refused with a *VerifyError
// whose text is bounded, one clean line, and holds no secret of the key.
func checkOutcome(t *testing.T, e *env, id iamauth.Identity, err error) {
	t.Helper()
	if err != nil {
		var ve *iamauth.VerifyError
		if !errors.As(err, &ve) || ve.Err == nil || ve.Check == "" {
			t.Fatalf("refused with %T %v, not a *VerifyError with a check and a sentinel", err, err)
		}
		checkErrorText(t, err)
		for _, s := range []string{e.key.SecretAccessKey(), e.key.SessionToken()} {
			if strings.Contains(err.Error(), s) {
				t.Fatalf("the error shows a secret: %v", err)
			}
		}
		return
	}
	if id.ARN != e.key.Identity.ARN || id.AccessKeyID != e.key.AccessKeyID || id.Account != e.key.Identity.Account ||
		!strings.HasPrefix(id.Host, "sts") || !id.SignedAt.Equal(testTime) {
		t.Fatalf("verified as %+v, not as what was signed", id)
	}
}

// FuzzVerifyEKSToken: any input either verifies as what was signed or is
// refused, without a panic; CheckEKSToken agrees with VerifyEKSToken's
// local checks.
func FuzzVerifyEKSToken(f *testing.F) {
	e := newEnv(f, func(o *iamauth.VerifierOptions) { o.CacheSize = -1 })
	valid := e.token(f)
	u := urlOf(f, valid)
	f.Add(valid)
	f.Add(e.token(f, iamauth.Binding{Header: "X-Challenge", Value: "n"}))
	for _, s := range []string{
		tokenOf(u + "&x-amz-credential=AKIAEVIL"),
		tokenOf(strings.Replace(u, "sts.us-east-1.amazonaws.com", "sts.amazonaws.com@evil.example", 1)),
		tokenOf(setParam(u, "Action", "GetCallerIdentit%79")),
		tokenOf(setParam(u, "X-Amz-Expires", "9999999")),
		tokenOf(setParam(u, "X-Amz-Signature", strings.Repeat("0", 64))),
		tokenOf(strings.Replace(u, "https://", "http://", 1)),
		valid + "==", valid[:100], iamauth.TokenPrefix, "",
	} {
		f.Add(s)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, token string) {
		checkErr := e.verifier.CheckEKSToken(token)
		id, err := e.verifier.VerifyEKSToken(ctx, token)
		checkOutcome(t, e, id, err)
		if checkErr != nil && (err == nil || !errors.Is(err, checkErr.(*iamauth.VerifyError).Err)) {
			t.Fatalf("CheckEKSToken: %v; VerifyEKSToken: %v", checkErr, err)
		}
	})
}

// FuzzVerifyLogin does the same for login payloads.
func FuzzVerifyLogin(f *testing.F) {
	e := newEnv(f, func(o *iamauth.VerifierOptions) { o.CacheSize = -1 })
	for _, opts := range []iamauth.LoginOptions{{}, {Presign: true}} {
		p := e.payload(f, opts).Fields()
		f.Add(p[iamauth.FieldMethod], p[iamauth.FieldURL], p[iamauth.FieldBody], p[iamauth.FieldHeaders])
	}
	post := decodePayload(f, e.payload(f, iamauth.LoginOptions{}))
	for _, edit := range []func(d *decoded){
		func(d *decoded) { d.url += "?Action=GetCallerIdentity" },
		func(d *decoded) { d.header["x-amz-date"] = d.header["X-Amz-Date"] },
		func(d *decoded) { d.header["Host"] = []string{"evil.example"} },
		func(d *decoded) { d.body += "&Foo=1" },
	} {
		d := post.clone()
		edit(&d)
		p := d.encode(f).Fields()
		f.Add(p[iamauth.FieldMethod], p[iamauth.FieldURL], p[iamauth.FieldBody], p[iamauth.FieldHeaders])
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, method, url, body, headers string) {
		p := iamauth.NewLoginPayload(method, url, body, headers)
		checkErr := e.verifier.CheckLogin(p)
		id, err := e.verifier.VerifyLogin(ctx, p)
		checkOutcome(t, e, id, err)
		if checkErr != nil && (err == nil || !errors.Is(err, checkErr.(*iamauth.VerifyError).Err)) {
			t.Fatalf("CheckLogin: %v; VerifyLogin: %v", checkErr, err)
		}
	})
}

// FuzzParseLoginPayload: no panic; what it refuses it says in a bounded,
// clean line; what it accepts reads back the same.
func FuzzParseLoginPayload(f *testing.F) {
	f.Add([]byte(`{"role":"dev","iam_http_request_method":"POST","iam_request_url":"aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8=","iam_request_body":"QWN0aW9uPUdldENhbGxlcklkZW50aXR5JlZlcnNpb249MjAxMS0wNi0xNQ==","iam_request_headers":"e30="}`))
	f.Add([]byte(`{"iam_http_request_method":"POST","iam_http_request_method":"GET"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := iamauth.ParseLoginPayload(data)
		if err != nil {
			var ve *iamauth.VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T %v", err, err)
			}
			checkErrorText(t, err)
			return
		}
		f := p.Fields()
		for _, k := range []string{iamauth.FieldMethod, iamauth.FieldURL, iamauth.FieldBody, iamauth.FieldHeaders} {
			if _, ok := f[k]; !ok {
				t.Fatalf("no %s", k)
			}
		}
	})
}
