package iamauth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/sts"
)

// TestEndpointHostsAgreeWithSTS checks that every Region of every
// partition gets from Endpoint.Host the host and signing region the sts
// package resolves, regional, FIPS and dual-stack, and that a Verifier of
// that partition accepts it.
func TestEndpointHostsAgreeWithSTS(t *testing.T) {
	for _, p := range arn.Partitions() {
		v, err := iamauth.NewVerifier(iamauth.VerifierOptions{Partitions: []string{p.ID}})
		if err != nil {
			t.Fatal(err)
		}
		for _, region := range p.Regions() {
			if strings.HasSuffix(region, "-global") {
				continue
			}
			for _, fd := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				e := iamauth.Endpoint{Region: region, FIPS: fd[0], DualStack: fd[1]}
				host, signing, err := e.Host()
				want, wantErr := sts.ResolveEndpoint(sts.EndpointOptions{Region: region, UseFIPS: fd[0], UseDualStack: fd[1]})
				if (err != nil) != (wantErr != nil) {
					t.Errorf("%+v: %v; sts: %v", e, err, wantErr)
					continue
				}
				if err != nil {
					continue
				}
				if "https://"+host+"/" != want.URL || signing != want.SigningRegion {
					t.Errorf("%+v: %s for %s; sts: %s for %s", e, host, signing, want.URL, want.SigningRegion)
				}
				if !acceptsHost(t, v, host) {
					t.Errorf("a verifier of %s refuses %s", p.ID, host)
				}
			}
		}
	}
	host, signing, err := iamauth.Endpoint{Global: true}.Host()
	want, _ := sts.ResolveEndpoint(sts.EndpointOptions{Region: "us-east-1", UseGlobalEndpoint: true})
	if err != nil || "https://"+host+"/" != want.URL || signing != want.SigningRegion {
		t.Errorf("global: %s %s %v; sts: %+v", host, signing, err, want)
	}
}

// acceptsHost reports whether v's host check passes a token for host
// (whatever it refuses next).
func acceptsHost(t *testing.T, v *iamauth.Verifier, host string) bool {
	t.Helper()
	err := v.CheckEKSToken(tokenOf("https://" + host + "/?Action=GetCallerIdentity&Version=2011-06-15"))
	return err != nil && !strings.Contains(err.Error(), ": host:")
}

func TestEndpointErrors(t *testing.T) {
	for _, e := range []iamauth.Endpoint{
		{},
		{Region: "US-EAST-1"},
		{Region: "us-east-1.evil.example"},
		{Region: "aws-global"},
		{Region: "mars-north-1"},
		{Global: true, FIPS: true},
		{Global: true, Region: "cn-north-1"},
	} {
		if host, _, err := e.Host(); err == nil {
			t.Errorf("%+v: %s, want an error", e, host)
		}
	}
}

// TestEndpointURL: a custom endpoint is named as it is given, with its
// port and path, and signed for the Region whatever its host, as the AWS
// CLI names and signs AWS_ENDPOINT_URL_STS's; what sts would not call is
// refused, as are the settings it leaves no room for.
func TestEndpointURL(t *testing.T) {
	for _, tt := range []struct {
		e          iamauth.Endpoint
		host, url  string // the host, and the token's URL up to its query
		signing    string
		errWanted  string
		stsErrType bool
	}{
		{e: iamauth.Endpoint{Region: "eu-west-1", URL: "https://sts.example.test"}, host: "sts.example.test", url: "https://sts.example.test/", signing: "eu-west-1"},
		{e: iamauth.Endpoint{Region: "eu-west-1", URL: "https://vpce-1.sts.eu-west-1.vpce.amazonaws.com/"}, host: "vpce-1.sts.eu-west-1.vpce.amazonaws.com",
			url: "https://vpce-1.sts.eu-west-1.vpce.amazonaws.com/", signing: "eu-west-1"},
		// An AWS host does not change the signing region (sts would
		// sign for us-west-2 here; the CLI signs for the region).
		{e: iamauth.Endpoint{Region: "us-east-2", URL: "https://sts.us-west-2.amazonaws.com"}, host: "sts.us-west-2.amazonaws.com",
			url: "https://sts.us-west-2.amazonaws.com/", signing: "us-east-2"},
		{e: iamauth.Endpoint{Region: "us-east-1", URL: "http://127.0.0.1:9999/base"}, host: "127.0.0.1:9999", url: "http://127.0.0.1:9999/base", signing: "us-east-1"},
		{e: iamauth.Endpoint{Region: "us-east-1", URL: "HTTPS://STS.Example.Test:8443/a%20b/c/"}, host: "STS.Example.Test:8443", url: "https://STS.Example.Test:8443/a%20b/c/", signing: "us-east-1"},
		{e: iamauth.Endpoint{Region: "aws-global", URL: "https://sts.example.test"}, host: "sts.example.test", url: "https://sts.example.test/", signing: "aws-global"},

		{e: iamauth.Endpoint{URL: "https://sts.example.test"}, errWanted: "no region"},
		{e: iamauth.Endpoint{Region: "us-east-1.evil", URL: "https://sts.example.test"}, errWanted: "not a region name"},
		{e: iamauth.Endpoint{Region: "us-east-1", Global: true, URL: "https://sts.example.test"}, errWanted: "cannot also set"},
		{e: iamauth.Endpoint{Region: "us-east-1", FIPS: true, URL: "https://sts.example.test"}, errWanted: "cannot also set"},
		{e: iamauth.Endpoint{Region: "us-east-1", DualStack: true, URL: "https://sts.example.test"}, errWanted: "cannot also set"},
		{e: iamauth.Endpoint{Region: "us-east-1", URL: "http://10.0.0.1"}, errWanted: "plain http", stsErrType: true},
		{e: iamauth.Endpoint{Region: "us-east-1", URL: "https://user:pw@sts.example.test"}, errWanted: "user information", stsErrType: true},
		{e: iamauth.Endpoint{Region: "us-east-1", URL: "https://sts.example.test/?x=1"}, errWanted: "query", stsErrType: true},
		{e: iamauth.Endpoint{Region: "us-east-1", URL: "https://sts.example.test/#f"}, errWanted: "fragment", stsErrType: true},
		{e: iamauth.Endpoint{Region: "us-east-1", URL: "sts.example.test"}, errWanted: "no host", stsErrType: true},
		{e: iamauth.Endpoint{Region: "us-east-1", URL: "ftp://sts.example.test"}, errWanted: "scheme", stsErrType: true},
	} {
		t.Run(tt.e.URL, func(t *testing.T) {
			host, signing, err := tt.e.Host()
			p := &iamauth.Prover{Credentials: &credentials.StaticProvider{Credentials: credentials.New("AKIAIOSFODNN7EXAMPLE", "secret", "")}, Endpoint: tt.e}
			tok, tokErr := p.EKSToken(context.Background(), "prod")
			if tt.errWanted != "" {
				var ee *sts.EndpointError
				var pe *iamauth.ProveError
				if err == nil || !strings.Contains(err.Error(), tt.errWanted) || errors.As(err, &ee) != tt.stsErrType {
					t.Errorf("Host: %q, %v; want an error saying %q (an *sts.EndpointError: %t)", host, err, tt.errWanted, tt.stsErrType)
				}
				if !errors.As(tokErr, &pe) || !strings.Contains(tokErr.Error(), tt.errWanted) {
					t.Errorf("EKSToken: %v; want a *ProveError saying %q", tokErr, tt.errWanted)
				}
				return
			}
			if err != nil || host != tt.host || signing != tt.signing {
				t.Fatalf("Host: %q, %q, %v; want %q, %q", host, signing, err, tt.host, tt.signing)
			}
			if tokErr != nil {
				t.Fatal(tokErr)
			}
			u := urlOf(t, tok.Token())
			want := tt.url + "?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F"
			if !strings.HasPrefix(u, want) || !strings.Contains(u, "%2F"+tt.signing+"%2Fsts%2Faws4_request&") || tok.Host != tt.host {
				t.Errorf("token URL %s, Host %q; want it to start %s, signed for %s, Host %q", u, tok.Host, want, tt.signing, tt.host)
			}
		})
	}
}

// TestEndpointURLProofsVerify: proofs that name a custom endpoint are
// signed for it (path included): the fake STS, called at the URL they
// name, verifies them. A Verifier, whose hosts are STS's own, refuses
// the tokens even when it sends its proofs to that very endpoint.
func TestEndpointURLProofsVerify(t *testing.T) {
	e := newEnv(t, nil)
	for _, path := range []string{"", "/", "/base/x"} {
		prover := &iamauth.Prover{Credentials: e.key.Provider(), Endpoint: iamauth.Endpoint{Region: "eu-central-1", URL: e.srv.URL + path}, Now: e.clock.Now}
		tok, err := prover.EKSToken(context.Background(), testCluster)
		if err != nil {
			t.Fatal(err)
		}
		u := urlOf(t, tok.Token())
		if !strings.HasPrefix(u, e.srv.URL+"/"+strings.TrimPrefix(path, "/")+"?") {
			t.Errorf("token URL %s, want it at %s%s", u, e.srv.URL, path)
		}
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set(iamauth.ClusterIDHeader, testCluster)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), e.key.Identity.ARN) {
			t.Errorf("path %q: the fake STS answered %d: %s", path, resp.StatusCode, body)
		}
		reqs := e.srv.Requests()
		if last := reqs[len(reqs)-1]; last.AccessKeyID != e.key.AccessKeyID {
			t.Errorf("path %q: the fake STS checked no signature: %+v", path, last)
		}

		calls := e.calls()
		_, err = e.verifier.VerifyEKSToken(context.Background(), tok.Token())
		var ve *iamauth.VerifyError
		if !errors.As(err, &ve) || e.calls() != calls {
			t.Errorf("path %q: the Verifier's answer %v, after %d calls to STS; want a refusal, no call", path, err, e.calls()-calls)
		}
		// The same over https: the host is what it refuses.
		https := &iamauth.Prover{Credentials: e.key.Provider(), Endpoint: iamauth.Endpoint{Region: "eu-central-1", URL: "https://" + strings.TrimPrefix(e.srv.URL, "http://") + path}, Now: e.clock.Now}
		if tok, err := https.EKSToken(context.Background(), testCluster); err != nil || !errors.Is(e.verifier.CheckEKSToken(tok.Token()), iamauth.ErrHost) {
			t.Errorf("path %q: over https: %v, the Verifier's check %v; want ErrHost", path, err, e.verifier.CheckEKSToken(tok.Token()))
		}

		p, err := prover.LoginPayload(context.Background(), iamauth.LoginOptions{ServerID: testServerID})
		if err != nil {
			t.Fatal(err)
		}
		if d := decodePayload(t, p); d.url != e.srv.URL+"/"+strings.TrimPrefix(path, "/") {
			t.Errorf("login payload's URL %s, want %s%s", d.url, e.srv.URL, path)
		}
	}
}
