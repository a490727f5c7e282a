package compat

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	awscreds "github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/endpoints"
	"github.com/aws/aws-sdk-go/aws/session"
	awssts "github.com/aws/aws-sdk-go/service/sts"
	consulauth "github.com/hashicorp/consul-awsauth"
	"github.com/hashicorp/go-hclog"
	"sigs.k8s.io/aws-iam-authenticator/pkg/token"

	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/sts/ststest"
)

// The peers of package iamauth: aws-iam-authenticator's token generator
// and verifier (what EKS runs), and Consul's aws-iam auth method
// (consul-awsauth, which follows Vault's). Each is pointed at the fake STS
// of sts/ststest, which checks every signature as STS does.

const peerCluster = "compat-cluster"

// toServer sends every request to srv, whatever host its URL names, with
// that host as the Host header: how a verifier that calls the host a token
// names is pointed at the fake STS.
type toServer struct {
	srv *ststest.Server
	rt  http.RoundTripper
}

func (t toServer) RoundTrip(r *http.Request) (*http.Response, error) {
	base, err := url.Parse(t.srv.URL)
	if err != nil {
		return nil, err
	}
	r2 := r.Clone(r.Context())
	if r2.Host == "" {
		r2.Host = r.URL.Host
	}
	r2.URL.Scheme, r2.URL.Host = base.Scheme, base.Host
	return t.rt.RoundTrip(r2)
}

// peerEnv is a fake STS with a key, callerid's verifier, and
// aws-iam-authenticator's verifier and generator, all on the real clock
// (aws-iam-authenticator's verifier reads it).
type peerEnv struct {
	srv       *ststest.Server
	key       ststest.Key
	ours      *iamauth.Verifier
	theirs    token.Verifier
	generator token.Generator
	sts       *awssts.STS
	prover    *iamauth.Prover
}

func newPeerEnv(t testing.TB, cacheSize int) *peerEnv {
	t.Helper()
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_SDK_LOAD_CONFIG", "AWS_STS_REGIONAL_ENDPOINTS",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS"} {
		t.Setenv(k, "")
	}
	srv := ststest.NewServer(ststest.WithRegion("us-east-1"))
	t.Cleanup(srv.Close)
	e := &peerEnv{srv: srv, key: srv.AddAssumedRole("123456789012", "eks-admin", "compat-7")}
	transport := toServer{srv: srv, rt: http.DefaultTransport}
	// aws-iam-authenticator's verifier has a client of its own, which
	// uses http.DefaultTransport.
	saved := http.DefaultTransport
	http.DefaultTransport = transport
	t.Cleanup(func() { http.DefaultTransport = saved })

	var err error
	e.ours, err = iamauth.NewVerifier(iamauth.VerifierOptions{
		ClusterID:  peerCluster,
		HTTPClient: &http.Client{Transport: transport, Timeout: 10 * time.Second},
		CacheSize:  cacheSize,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.theirs = token.NewVerifier(peerCluster, "aws", "us-east-1")
	if e.generator, err = token.NewGenerator(false, false); err != nil {
		t.Fatal(err)
	}
	sess, err := session.NewSession(&aws.Config{
		Region:              aws.String("us-east-1"),
		Credentials:         awscreds.NewStaticCredentials(e.key.AccessKeyID, e.key.SecretAccessKey(), e.key.SessionToken()),
		STSRegionalEndpoint: endpoints.RegionalSTSEndpoint,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.sts = awssts.New(sess)
	e.prover = &iamauth.Prover{Credentials: e.key.Provider(), Endpoint: iamauth.Endpoint{Region: "us-east-1"}}
	return e
}

func (e *peerEnv) theirToken(t testing.TB) string {
	t.Helper()
	tok, err := e.generator.GetWithSTS(peerCluster, e.sts)
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token
}

func (e *peerEnv) ourToken(t testing.TB) string {
	t.Helper()
	tok, err := e.prover.EKSToken(context.Background(), peerCluster)
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token()
}

// sameIdentity compares the identities both verifiers make of a token.
func sameIdentity(t *testing.T, ours iamauth.Identity, theirs *token.Identity) {
	t.Helper()
	uid, _, _ := strings.Cut(ours.UserID, ":")
	if ours.ARN != theirs.ARN || ours.CanonicalARN != theirs.CanonicalARN || ours.Account != theirs.AccountID ||
		uid != theirs.UserID || ours.SessionName != theirs.SessionName || ours.AccessKeyID != theirs.AccessKeyID {
		t.Errorf("identities differ:\ncallerid:              %+v\naws-iam-authenticator: %+v", ours, *theirs)
	}
}

// TestEKSTokensAgainstAWSIAMAuthenticator: tokens aws-iam-authenticator
// makes verify with callerid's verifier, callerid's with its verifier,
// and both verifiers make the same identity of them.
func TestEKSTokensAgainstAWSIAMAuthenticator(t *testing.T) {
	e := newPeerEnv(t, -1)
	ctx := context.Background()
	for name, tok := range map[string]string{"aws-iam-authenticator's": e.theirToken(t), "callerid's": e.ourToken(t)} {
		t.Run(name, func(t *testing.T) {
			ours, err := e.ours.VerifyEKSToken(ctx, tok)
			if err != nil {
				t.Fatalf("callerid's verifier: %v", err)
			}
			theirs, err := e.theirs.Verify(tok)
			if err != nil {
				t.Fatalf("aws-iam-authenticator's verifier: %v", err)
			}
			sameIdentity(t, ours, theirs)
			if ours.ARN != e.key.Identity.ARN {
				t.Errorf("ARN %s, want %s", ours.ARN, e.key.Identity.ARN)
			}
		})
	}
	// Their token's parameters are ours, in another order, but for
	// X-Amz-Expires: aws-iam-authenticator presigns for 60 nanoseconds
	// (a time.Duration of 60), which is 0 seconds.
	theirs, ours := tokenParams(t, e.theirToken(t)), tokenParams(t, e.ourToken(t))
	if !strings.Contains(theirs, " X-Amz-Expires=0 ") || !strings.Contains(ours, " X-Amz-Expires=60 ") {
		t.Errorf("X-Amz-Expires: aws-iam-authenticator %s; callerid %s", theirs, ours)
	}
	if got, want := strings.Replace(theirs, "X-Amz-Expires=0", "X-Amz-Expires=60", 1), ours; got != want {
		t.Errorf("parameters differ:\naws-iam-authenticator: %s\ncallerid:              %s", got, want)
	}
}

// tokenParams lists the names of a token's query parameters, sorted, with
// the values of those that do not depend on the moment or the key.
func tokenParams(t *testing.T, tok string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, iamauth.TokenPrefix))
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(string(b))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	var out []string
	for _, k := range []string{"Action", "Version", "X-Amz-Algorithm", "X-Amz-Expires", "X-Amz-SignedHeaders"} {
		out = append(out, k+"="+q.Get(k))
	}
	for _, k := range []string{"X-Amz-Credential", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Signature"} {
		if q.Get(k) != "" {
			out = append(out, k)
		}
	}
	return u.Scheme + "://" + u.Host + u.Path + " " + strings.Join(out, " ") + fmt.Sprintf(" (%d parameters)", len(q))
}

// mutations are the ways a token's URL is changed to make the tokens both
// verifiers are given: the adversarial classes, and random edits.
func mutations(u string, r *rand.Rand) []string {
	host := "sts.us-east-1.amazonaws.com"
	rest := strings.TrimPrefix(u, "https://"+host)
	set := func(name, value string) string {
		re := name + "=" + strings.SplitN(strings.SplitN(u, name+"=", 2)[1], "&", 2)[0]
		return strings.Replace(u, re, name+"="+value, 1)
	}
	out := []string{
		strings.Replace(u, "https://", "http://", 1),
		"https://sts.amazonaws.com.evil.example" + rest,
		"https://sts.amazonaws.com@evil.example" + rest,
		"https://" + host + ":443" + rest,
		"https://" + host + "." + rest,
		"https://STS.US-EAST-1.AMAZONAWS.COM" + rest,
		"https://127.0.0.1" + rest,
		"https://" + host + "/x" + rest[1:],
		u + "#f",
		u + "&x-amz-credential=AKIAEVILEVILEVILEVIL%2F20260101%2Fus-east-1%2Fsts%2Faws4_request",
		u + "&X-Amz-%43redential=x",
		u + "&Action=GetCallerIdentity",
		u + "&Foo=bar",
		strings.Replace(u, "?Action=", "?action=", 1),
		strings.Replace(u, "?Action=", "?Act%69on=", 1),
		set("Action", "AssumeRole"),
		set("Action", "GetCallerIdentit%79"),
		set("Version", "2099-01-01"),
		set("X-Amz-Expires", "9999999"),
		set("X-Amz-Expires", "0"),
		set("X-Amz-Expires", "900"),
		set("X-Amz-Date", time.Now().UTC().Add(10*time.Minute).Format("20060102T150405Z")),
		set("X-Amz-Date", time.Now().UTC().Add(-20*time.Minute).Format("20060102T150405Z")),
		set("X-Amz-SignedHeaders", "host"),
		set("X-Amz-SignedHeaders", "host%3Bx-k8s-aws-id%3Bx-other"),
		set("X-Amz-Signature", strings.Repeat("0", 64)),
		set("X-Amz-Algorithm", "AWS4-HMAC-SHA512"),
		u + "%zz",
		u + ";a=b",
	}
	// Random edits: a byte changed, removed or doubled; a parameter
	// dropped, doubled or case-changed.
	params := strings.Split(strings.SplitN(u, "?", 2)[1], "&")
	for i := 0; i < 300; i++ {
		b := []byte(u)
		switch r.IntN(6) {
		case 0:
			const chars = "%&=;#/?:@.-_aZ09 \x00"
			b[r.IntN(len(b))] = chars[r.IntN(len(chars))]
		case 1:
			j := r.IntN(len(b))
			b = append(b[:j], b[j+1:]...)
		case 2:
			j := r.IntN(len(b))
			b = append(b[:j+1], b[j:]...)
		case 3:
			p := params[r.IntN(len(params))]
			b = []byte(strings.Replace(u, "&"+p, "", 1))
		case 4:
			p := params[r.IntN(len(params))]
			b = []byte(u + "&" + p)
		case 5:
			p := params[r.IntN(len(params))]
			b = []byte(u + "&" + strings.ToLower(p[:1]) + p[1:])
		}
		out = append(out, string(b))
	}
	return out
}

// TestEKSVerifierRefusesWhatAWSIAMAuthenticatorRefuses presents the
// mutations of a token to both verifiers: every token
// aws-iam-authenticator's refuses, callerid's refuses too. It logs the
// tokens callerid's alone refuses (none of which STS accepts, as the last
// check shows).
func TestEKSVerifierRefusesWhatAWSIAMAuthenticatorRefuses(t *testing.T) {
	e := newPeerEnv(t, -1)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(13, 0))
	for _, tok := range []string{e.theirToken(t), e.ourToken(t)} {
		b, _ := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, iamauth.TokenPrefix))
		both, onlyOurs := 0, 0
		for _, m := range mutations(string(b), r) {
			mt := iamauth.TokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(m))
			_, oursErr := e.ours.VerifyEKSToken(ctx, mt)
			theirs, theirsErr := e.theirs.Verify(mt)
			switch {
			case theirsErr != nil && oursErr == nil:
				t.Errorf("aws-iam-authenticator refuses and callerid accepts %s\n(%v)", m, theirsErr)
			case theirsErr != nil:
				both++
			case oursErr != nil:
				onlyOurs++
				t.Logf("callerid alone refuses (%v): %s, which aws-iam-authenticator verifies as %s", oursErr, m, theirs.ARN)
				if theirs.ARN != e.key.Identity.ARN {
					t.Errorf("aws-iam-authenticator verifies %s as %s", m, theirs.ARN)
				}
			}
		}
		t.Logf("%d refused by both, %d by callerid alone", both, onlyOurs)
	}
}

// TestLoginPayloadsAgainstConsul: login data consul-awsauth makes verify
// with callerid's verifier, callerid's with consul-awsauth's verifier.
func TestLoginPayloadsAgainstConsul(t *testing.T) {
	e := newPeerEnv(t, -1)
	ctx := context.Background()
	const serverID = "consul.example.com"
	ours, err := iamauth.NewVerifier(iamauth.VerifierOptions{
		ServerID: serverID, ServerIDHeader: iamauth.ConsulServerIDHeader, Endpoint: e.srv.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := consulauth.NewAuthenticator(&consulauth.Config{
		BoundIAMPrincipalARNs: []string{"arn:aws:iam::123456789012:role/eks-admin"},
		ServerIDHeaderValue:   serverID,
		ServerIDHeaderName:    iamauth.ConsulServerIDHeader,
		STSEndpoint:           e.srv.URL,
	}, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}

	data, err := consulauth.GenerateLoginData(&consulauth.LoginInput{
		Creds:               awscreds.NewStaticCredentials(e.key.AccessKeyID, e.key.SecretAccessKey(), e.key.SessionToken()),
		STSRegion:           "us-east-1",
		ServerIDHeaderValue: serverID,
		ServerIDHeaderName:  iamauth.ConsulServerIDHeader,
	})
	if err != nil {
		t.Fatal(err)
	}
	theirJSON, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.prover.LoginPayload(ctx, iamauth.LoginOptions{ServerID: serverID, ServerIDHeader: iamauth.ConsulServerIDHeader})
	if err != nil {
		t.Fatal(err)
	}
	ourJSON, err := json.Marshal(p.Fields())
	if err != nil {
		t.Fatal(err)
	}
	for name, login := range map[string][]byte{"consul-awsauth's": theirJSON, "callerid's": ourJSON} {
		t.Run(name, func(t *testing.T) {
			payload, err := iamauth.ParseLoginPayload(login)
			if err != nil {
				t.Fatal(err)
			}
			id, err := ours.VerifyLogin(ctx, payload)
			if err != nil {
				t.Fatalf("callerid's verifier: %v", err)
			}
			details, err := theirs.ValidateLogin(ctx, string(login))
			if err != nil {
				t.Fatalf("consul-awsauth's verifier: %v", err)
			}
			uid, _, _ := strings.Cut(id.UserID, ":")
			if details.EntityName != id.Principal.Name || details.EntityId != uid || details.AccountId != id.Account || id.ARN != e.key.Identity.ARN {
				t.Errorf("identities differ:\ncallerid:       %+v\nconsul-awsauth: %+v", id, *details)
			}
		})
	}

	// A payload for another server is refused by both.
	other, err := e.prover.LoginPayload(ctx, iamauth.LoginOptions{ServerID: "other.example.com", ServerIDHeader: iamauth.ConsulServerIDHeader})
	if err != nil {
		t.Fatal(err)
	}
	otherJSON, _ := json.Marshal(other.Fields())
	if _, err := ours.VerifyLogin(ctx, other); err == nil {
		t.Error("callerid verified a payload for another server")
	}
	if _, err := theirs.ValidateLogin(ctx, string(otherJSON)); err == nil {
		t.Error("consul-awsauth verified a payload for another server")
	}
}

// BenchmarkEKSPeers compares callerid and aws-iam-authenticator on the
// same machine: verifying a token end to end against the fake STS (no
// cache), and making one.
//
//	cd testdata/compat && go test -run '^$' -bench EKSPeers -benchmem
func BenchmarkEKSPeers(b *testing.B) {
	e := newPeerEnv(b, -1)
	ctx := context.Background()
	tok := e.ourToken(b)
	b.Run("verify/callerid", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := e.ours.VerifyEKSToken(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("verify/aws-iam-authenticator", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := e.theirs.Verify(tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("generate/callerid", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := e.prover.EKSToken(ctx, peerCluster); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("generate/aws-iam-authenticator", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := e.generator.GetWithSTS(peerCluster, e.sts); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestConsulHostCheck records a difference (DIFFERENCES.md): without an
// STSEndpoint, consul-awsauth takes any host that starts with "sts." and
// ends with ".amazonaws.com" for STS's; callerid takes only the STS hosts
// of its partitions.
func TestConsulHostCheck(t *testing.T) {
	e := newPeerEnv(t, -1)
	p, err := e.prover.LoginPayload(context.Background(), iamauth.LoginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ours, err := iamauth.NewVerifier(iamauth.VerifierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &consulauth.Config{BoundIAMPrincipalARNs: []string{"arn:aws:iam::123456789012:role/eks-admin"}}
	for host, consulAccepts := range map[string]bool{
		"sts.us-east-1.amazonaws.com":         true,
		"sts.s3.amazonaws.com":                true, // an S3 bucket named sts
		"sts.my-app.elb.amazonaws.com":        true,
		"sts.amazonaws.com.evil.example":      false,
		"sts.us-east-1.amazonaws.com@evil.io": false,
	} {
		f := p.Fields()
		f[iamauth.FieldURL] = base64.StdEncoding.EncodeToString([]byte("https://" + host + "/"))
		login, _ := json.Marshal(f)
		_, consulErr := consulauth.NewBearerToken(string(login), cfg)
		if (consulErr == nil) != consulAccepts {
			t.Errorf("consul-awsauth on %s: %v; the table says it accepts: %t", host, consulErr, consulAccepts)
		}
		payload, _ := iamauth.ParseLoginPayload(login)
		oursErr := ours.CheckLogin(payload)
		if host == "sts.us-east-1.amazonaws.com" {
			if oursErr != nil {
				t.Errorf("callerid on %s: %v", host, oursErr)
			}
		} else if !errors.Is(oursErr, iamauth.ErrHost) {
			t.Errorf("callerid on %s: %v, want ErrHost", host, oursErr)
		}
	}
}
