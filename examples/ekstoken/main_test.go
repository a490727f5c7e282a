package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/iamauth"
	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sts/ststest"
)

type result struct {
	Code           int
	Stdout, Stderr string
}

// ours runs ekstoken with args in env (on top of what keeps the
// credential chain off this machine's files and instance metadata).
func ours(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] })
	return result{code, stdout.String(), stderr.String()}
}

// cli runs aws eks get-token with args in env.
func cli(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	r := peertest.AWSCLI(t, env, append([]string{"eks", "get-token"}, args...)...)
	return result{r.ExitCode, r.Stdout, r.Stderr}
}

// execCredential is the output, parsed.
type execCredential struct {
	Kind       string
	APIVersion string `json:"apiVersion"`
	Spec       map[string]any
	Status     struct {
		ExpirationTimestamp string `json:"expirationTimestamp"`
		Token               string `json:"token"`
	}
}

func parse(t *testing.T, r result) execCredential {
	t.Helper()
	var ec execCredential
	if err := json.Unmarshal([]byte(r.Stdout), &ec); err != nil {
		t.Fatalf("output %q: %v", r.Stdout, err)
	}
	return ec
}

// tokenURL decodes a token and drops what depends on the second it was
// signed in.
func tokenURL(t *testing.T, tok string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, iamauth.TokenPrefix))
	if err != nil || !strings.HasPrefix(tok, iamauth.TokenPrefix) {
		t.Fatalf("token %q: %v", tok, err)
	}
	u, err := url.Parse(string(b))
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, p := range strings.Split(u.RawQuery, "&") {
		k, v, _ := strings.Cut(p, "=")
		switch k {
		case "X-Amz-Date", "X-Amz-Signature":
			v = "…"
		case "X-Amz-Credential":
			v = strings.Join(append(strings.SplitN(v, "%2F", 3)[:1], "DATE", strings.SplitN(v, "%2F", 3)[2]), "%2F")
		}
		parts = append(parts, k+"="+v)
	}
	return u.Scheme + "://" + u.Host + u.Path + "?" + strings.Join(parts, "&")
}

// sameOutput compares the two outputs field by field: the same exit code,
// stderr and ExecCredential, the token the same but for its signing time
// (and so its signature), the expiry 14 minutes after.
func sameOutput(t *testing.T, want, got result, start time.Time) {
	t.Helper()
	if want.Code != got.Code || want.Stderr != got.Stderr {
		t.Fatalf("exit %d, stderr %q; the CLI: exit %d, stderr %q", got.Code, got.Stderr, want.Code, want.Stderr)
	}
	if want.Code != 0 {
		if got.Stdout != want.Stdout {
			t.Errorf("stdout %q; the CLI: %q", got.Stdout, want.Stdout)
		}
		return
	}
	if strings.HasPrefix(want.Stdout, "{") {
		w, g := parse(t, want), parse(t, got)
		if diff := cmp.Diff(tokenURL(t, w.Status.Token), tokenURL(t, g.Status.Token)); diff != "" {
			t.Errorf("token URL (-CLI +ekstoken):\n%s", diff)
		}
		for _, ts := range []string{w.Status.ExpirationTimestamp, g.Status.ExpirationTimestamp} {
			exp, err := time.Parse(time.RFC3339, ts)
			if err != nil || exp.Before(start.Add(14*time.Minute-time.Second)) || exp.After(time.Now().Add(14*time.Minute+time.Second)) {
				t.Errorf("expirationTimestamp %q is not 14 minutes from now (%v)", ts, err)
			}
		}
		// Byte for byte, once the token and its time are set aside.
		mask := func(r result, ec execCredential) string {
			return strings.NewReplacer(ec.Status.Token, "TOKEN", ec.Status.ExpirationTimestamp, "TIME").Replace(r.Stdout)
		}
		if diff := cmp.Diff(mask(want, w), mask(got, g)); diff != "" {
			t.Errorf("output (-CLI +ekstoken):\n%s", diff)
		}
		return
	}
	// Text: the token and time are the two last fields of the STATUS line.
	wl, gl := strings.Split(want.Stdout, "\t"), strings.Split(got.Stdout, "\t")
	if len(wl) != len(gl) || wl[0] != gl[0] || wl[1] != gl[1] {
		t.Errorf("text output %q; the CLI: %q", got.Stdout, want.Stdout)
	}
}

// TestAgainstTheCLI runs ekstoken and aws eks get-token side by side,
// with the keys of a fake STS's user, and compares what they print; both
// tokens verify with iamauth's verifier against the fake STS.
func TestAgainstTheCLI(t *testing.T) {
	peertest.Require(t, "aws")
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddAssumedRole("123456789012", "eks-admin", "laptop")
	verifier := func(cluster string) *iamauth.Verifier {
		v, err := iamauth.NewVerifier(iamauth.VerifierOptions{ClusterID: cluster, Endpoint: srv.URL, CacheSize: -1})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	config := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(config, []byte("[profile eu]\nregion = eu-central-1\n[profile legacy]\nregion = us-west-2\nsts_regional_endpoints = legacy\n[profile fips1]\nregion = us-east-2\nuse_fips_endpoint = 1\nuse_dualstack_endpoint = TRUE\n"+
		"[profile services]\nregion = eu-west-3\nservices = local\nendpoint_url = https://all.example.test\n[services local]\nsts =\n  endpoint_url = "+srv.URL+"/services\n"+
		"[profile url]\nregion = eu-west-3\nendpoint_url = "+srv.URL+"\n"+
		"[profile ignore]\nregion = eu-west-3\nendpoint_url = "+srv.URL+"\nignore_configured_endpoint_urls = TRUE\n"+
		"[profile capital]\nregion = us-west-2\nsts_regional_endpoints = Regional\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{"AWS_ACCESS_KEY_ID": key.AccessKeyID, "AWS_SECRET_ACCESS_KEY": key.SecretAccessKey(), "AWS_SESSION_TOKEN": key.SessionToken()}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range keys {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	const roleARN = "arn:aws:iam::123456789012:role/eks-admin"
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		cluster string // verify the token for this cluster
		named   bool   // verify it at the endpoint it names, the fake STS
	}{
		{"region flag", []string{"--cluster-name", "prod", "--region", "eu-west-1"}, keys, "prod", false},
		{"region=flag", []string{"--cluster-name=prod", "--region=ap-southeast-2"}, keys, "prod", false},
		{"AWS_DEFAULT_REGION", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_DEFAULT_REGION": "us-west-2"}), "prod", false},
		{"no region: the global endpoint", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_DEFAULT_REGION": ""}), "prod", false},
		{"no region, FIPS: aws-global's FIPS endpoint", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_DEFAULT_REGION": "", "AWS_USE_FIPS_ENDPOINT": "true"}), "", false},
		{"no region, dual-stack: aws-global's dual-stack endpoint", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_DEFAULT_REGION": "", "AWS_USE_DUALSTACK_ENDPOINT": "true"}), "", false},
		{"no region, FIPS and dual-stack", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_DEFAULT_REGION": "", "AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"}), "", false},
		// botocore reads AWS_DEFAULT_REGION only (LoadConfig reads AWS_REGION too).
		{"FIPS", []string{"--cluster-name", "prod", "--region", "us-east-2"}, with(map[string]string{"AWS_USE_FIPS_ENDPOINT": "TRUE"}), "", false},
		{"FIPS not true", []string{"--cluster-name", "prod", "--region", "us-east-2"}, with(map[string]string{"AWS_USE_FIPS_ENDPOINT": "yes", "AWS_USE_DUALSTACK_ENDPOINT": "1"}), "prod", false},
		{"FIPS with space is not true", []string{"--cluster-name", "prod", "--region", "us-east-2"}, with(map[string]string{"AWS_USE_FIPS_ENDPOINT": " true "}), "prod", false},
		{"profile's FIPS 1 is not true, dual-stack TRUE is", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_CONFIG_FILE": config, "AWS_PROFILE": "fips1", "AWS_DEFAULT_REGION": ""}), "prod", false},
		{"AWS_REGION alone: the global endpoint", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": ""}), "prod", false},
		{"profile's region", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_CONFIG_FILE": config, "AWS_PROFILE": "eu", "AWS_DEFAULT_REGION": ""}), "prod", false},
		// A profile named on the command line has no keys: the
		// environment's are not used.
		{"profile without keys", []string{"--cluster-name", "prod", "--profile", "eu"}, with(map[string]string{"AWS_CONFIG_FILE": config}), "", false},
		{"legacy endpoints", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_CONFIG_FILE": config, "AWS_PROFILE": "legacy", "AWS_DEFAULT_REGION": ""}), "prod", false},
		{"cluster id", []string{"--cluster-id", "0123456789abcdef", "--region", "us-east-1"}, keys, "0123456789abcdef", false},
		{"exec info v1", []string{"--cluster-name", "prod", "--region", "us-east-1"}, with(map[string]string{"KUBERNETES_EXEC_INFO": `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`}), "prod", false},
		{"exec info v1alpha1", []string{"--cluster-name", "prod", "--region", "us-east-1"}, with(map[string]string{"KUBERNETES_EXEC_INFO": `{"apiVersion":"client.authentication.k8s.io/v1alpha1"}`}), "prod", false},
		{"exec info malformed", []string{"--cluster-name", "prod", "--region", "us-east-1"}, with(map[string]string{"KUBERNETES_EXEC_INFO": `{"apiVersion":`}), "prod", false},
		{"exec info unknown", []string{"--cluster-name", "prod", "--region", "us-east-1"}, with(map[string]string{"KUBERNETES_EXEC_INFO": `{"apiVersion":"client.authentication.k8s.io/v2"}`}), "prod", false},
		{"text", []string{"--cluster-name", "prod", "--region", "us-east-1", "--output", "text"}, keys, "", false},
		{"no cluster", []string{"--region", "us-east-1"}, keys, "", false},
		{"both clusters", []string{"--cluster-name", "a", "--cluster-id", "b"}, keys, "", false},
		{"unknown option", []string{"--cluster-name", "a", "--bogus"}, keys, "", false},
		{"no credentials", []string{"--cluster-name", "a", "--region", "us-east-1"}, map[string]string{}, "", false},
		// botocore's words for an sts_regional_endpoints it refuses.
		{"sts_regional_endpoints Regional", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_CONFIG_FILE": config, "AWS_PROFILE": "capital", "AWS_DEFAULT_REGION": ""}), "", false},
		{"AWS_STS_REGIONAL_ENDPOINTS global", []string{"--cluster-name", "prod", "--region", "us-east-1"}, with(map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "global"}), "", false},
		{"AWS_STS_REGIONAL_ENDPOINTS with spaces", []string{"--cluster-name", "prod", "--region", "us-east-1"}, with(map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": " regional "}), "", false},

		// A configured endpoint is named as it is, signed for the region.
		{"AWS_ENDPOINT_URL_STS", []string{"--cluster-name", "prod", "--region", "eu-west-1"}, with(map[string]string{"AWS_ENDPOINT_URL_STS": srv.URL}), "prod", true},
		{"AWS_ENDPOINT_URL_STS with a path", []string{"--cluster-name", "prod", "--region", "eu-west-1"}, with(map[string]string{"AWS_ENDPOINT_URL_STS": srv.URL + "/base/"}), "prod", true},
		{"AWS_ENDPOINT_URL", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_ENDPOINT_URL": srv.URL}), "prod", true},
		{"AWS_ENDPOINT_URL_STS beats AWS_ENDPOINT_URL", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_ENDPOINT_URL_STS": srv.URL, "AWS_ENDPOINT_URL": "https://all.example.test"}), "prod", true},
		{"services section beats endpoint_url", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_CONFIG_FILE": config, "AWS_PROFILE": "services", "AWS_DEFAULT_REGION": ""}), "prod", true},
		{"profile's endpoint_url", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_CONFIG_FILE": config, "AWS_PROFILE": "url", "AWS_DEFAULT_REGION": ""}), "prod", true},
		{"the endpoint over FIPS, dual-stack and legacy", []string{"--cluster-name", "prod", "--region", "us-west-2"},
			with(map[string]string{"AWS_ENDPOINT_URL_STS": srv.URL, "AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true", "AWS_STS_REGIONAL_ENDPOINTS": "legacy"}), "prod", true},
		{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", []string{"--cluster-name", "prod", "--region", "eu-west-1"},
			with(map[string]string{"AWS_ENDPOINT_URL_STS": srv.URL, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}), "prod", false},
		{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=1 is not true", []string{"--cluster-name", "prod", "--region", "eu-west-1"},
			with(map[string]string{"AWS_ENDPOINT_URL_STS": srv.URL, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "1"}), "prod", true},
		{"ignore_configured_endpoint_urls", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_CONFIG_FILE": config, "AWS_PROFILE": "ignore", "AWS_DEFAULT_REGION": ""}), "prod", false},
		{"--endpoint-url is not used", []string{"--cluster-name", "prod", "--region", "eu-west-1", "--endpoint-url", "https://flag.example.test"}, keys, "prod", false},
		{"--endpoint-url= does not beat AWS_ENDPOINT_URL_STS", []string{"--endpoint-url=https://flag.example.test", "--cluster-name", "prod"},
			with(map[string]string{"AWS_ENDPOINT_URL_STS": srv.URL}), "prod", true},
		{"an endpoint without a region", []string{"--cluster-name", "prod"}, with(map[string]string{"AWS_ENDPOINT_URL_STS": srv.URL, "AWS_DEFAULT_REGION": ""}), "", false},
		{"an endpoint without a region or a cluster", nil, with(map[string]string{"AWS_ENDPOINT_URL_STS": srv.URL, "AWS_DEFAULT_REGION": ""}), "", false},
		// The CLI cannot sign the AssumeRole call: nothing is sent.
		{"a role at an endpoint without a region", []string{"--role-arn", roleARN}, with(map[string]string{"AWS_ENDPOINT_URL_STS": srv.URL, "AWS_DEFAULT_REGION": ""}), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := peertest.AWSEnv(t, tt.env)
			for k, v := range tt.env {
				if v == "" {
					delete(env, k)
				}
			}
			start := time.Now()
			want := cli(t, env, tt.args...)
			got := ours(t, env, tt.args...)
			sameOutput(t, want, got, start)
			if tt.cluster != "" && (want.Code != 0 || got.Code != 0) {
				t.Fatalf("exit %d (%s); the CLI: exit %d (%s)", got.Code, got.Stderr, want.Code, want.Stderr)
			}
			if tt.cluster == "" {
				return
			}
			v := verifier(tt.cluster)
			for who, r := range map[string]result{"the CLI's": want, "ekstoken's": got} {
				tok := parse(t, r).Status.Token
				if tt.named {
					if arn := verifyAtNamedEndpoint(t, tok, tt.cluster); arn != key.Identity.ARN {
						t.Errorf("%s token: the endpoint it names says %q", who, arn)
					}
					continue
				}
				id, err := v.VerifyEKSToken(context.Background(), tok)
				if err != nil || id.ARN != key.Identity.ARN {
					t.Errorf("%s token: %v, %v", who, id.ARN, err)
				}
			}
		})
	}
}

// verifyAtNamedEndpoint sends an EKS token's request to the endpoint it
// names, with the cluster's x-k8s-aws-id header, as a verifier configured
// for that endpoint would, and returns the Arn the answer holds.
func verifyAtNamedEndpoint(t *testing.T, token, cluster string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(token, iamauth.TokenPrefix))
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(string(b))
	if err != nil || u.Scheme != "http" || !strings.HasPrefix(u.Host, "127.0.0.1:") {
		t.Fatalf("the token names %s, not the fake STS (%v)", u.Redacted(), err)
	}
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(iamauth.ClusterIDHeader, cluster)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct {
		Arn string `xml:"GetCallerIdentityResult>Arn"`
	}
	if err := xml.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&answer); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the fake STS answered %d (%v)", resp.StatusCode, err)
	}
	return answer.Arn
}

// tokenEndpoint returns the scheme, host and path of an EKS token's URL.
func tokenEndpoint(token string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(token, iamauth.TokenPrefix))
	if err != nil {
		return "", err
	}
	u, err := url.Parse(string(b))
	if err != nil {
		return "", err
	}
	return u.Scheme + "://" + u.Host + u.Path, nil
}

// TestRoleARN assumes a role for the token, as the CLI does, through the
// fake STS at AWS_ENDPOINT_URL_STS: session EKSGetTokenAuth, and a token
// that names that endpoint.
func TestRoleARN(t *testing.T) {
	srv := ststest.NewServer()
	defer srv.Close()
	key := srv.AddUser("123456789012", "/", "alice")
	env := peertest.AWSEnv(t, map[string]string{
		"AWS_ACCESS_KEY_ID": key.AccessKeyID, "AWS_SECRET_ACCESS_KEY": key.SecretAccessKey(), "AWS_ENDPOINT_URL_STS": srv.URL,
	})
	args := []string{"--cluster-name", "prod", "--region", "eu-west-1", "--role-arn", "arn:aws:iam::210987654321:role/eks-admin"}
	got := ours(t, env, args...)
	if got.Code != 0 || got.Stderr != "" {
		t.Fatalf("exit %d: %s", got.Code, got.Stderr)
	}
	// The token names the endpoint the role was assumed at, as the CLI's
	// does, and that endpoint (the fake STS) verifies it.
	const assumed = "arn:aws:sts::210987654321:assumed-role/eks-admin/EKSGetTokenAuth"
	tok := parse(t, got).Status.Token
	if arn := verifyAtNamedEndpoint(t, tok, "prod"); arn != assumed {
		t.Errorf("identity %q, want %q", arn, assumed)
	}
	if u, err := tokenEndpoint(tok); err != nil || u != srv.URL+"/" {
		t.Errorf("token URL at %q (%v), want %s/", u, err, srv.URL)
	}
	reqs := srv.Requests()
	if len(reqs) < 1 || reqs[0].Action != "AssumeRole" || reqs[0].Form.Get("RoleSessionName") != "EKSGetTokenAuth" {
		t.Errorf("requests %+v", reqs)
	}

	if peertest.Require(t, "aws") != "" {
		want := cli(t, env, args...)
		if want.Code != 0 {
			t.Fatalf("the CLI: exit %d: %s", want.Code, want.Stderr)
		}
		tok := parse(t, want).Status.Token
		if u, err := tokenEndpoint(tok); err != nil || u != srv.URL+"/" {
			t.Errorf("the CLI's token URL at %q (%v), want %s/", u, err, srv.URL)
		}
		if arn := verifyAtNamedEndpoint(t, tok, "prod"); arn != assumed {
			t.Errorf("the CLI's identity %q, want %q", arn, assumed)
		}
	}

	// A refusal is worded as the CLI words it.
	first := "x"
	if key.SecretAccessKey()[0] == 'x' {
		first = "y"
	}
	env["AWS_SECRET_ACCESS_KEY"] = first + key.SecretAccessKey()[1:]
	got = ours(t, env, args...)
	if got.Code != 255 || !strings.HasPrefix(got.Stderr, "\nAn error occurred (SignatureDoesNotMatch) when calling the AssumeRole operation: ") {
		t.Errorf("exit %d, stderr %q", got.Code, got.Stderr)
	}
	if peertest.Require(t, "aws") != "" {
		want := cli(t, env, args...)
		if want.Code != got.Code || want.Stderr != got.Stderr {
			t.Errorf("exit %d, stderr %q; the CLI: exit %d, stderr %q", got.Code, got.Stderr, want.Code, want.Stderr)
		}
	}
}

// TestOutput checks the output's layout without the CLI: what the CLI
// prints (TestAgainstTheCLI compares the two).
func TestOutput(t *testing.T) {
	env := peertest.AWSEnv(t, map[string]string{"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"KUBERNETES_EXEC_INFO": `{"apiVersion":"client.authentication.k8s.io/v1alpha1"}`})
	r := ours(t, env, "--cluster-name", "prod", "--region", "eu-west-1")
	ec := parse(t, r)
	want := "{\n    \"kind\": \"ExecCredential\",\n    \"apiVersion\": \"client.authentication.k8s.io/v1alpha1\",\n    \"spec\": {},\n    \"status\": {\n" +
		"        \"expirationTimestamp\": \"" + ec.Status.ExpirationTimestamp + "\",\n        \"token\": \"" + ec.Status.Token + "\"\n    }\n}\n\n"
	if r.Code != 0 || r.Stdout != want {
		t.Errorf("exit %d, output\n%s\nwant\n%s", r.Code, r.Stdout, want)
	}
	if r.Stderr != "Kubeconfig user entry is using deprecated API version client.authentication.k8s.io/v1alpha1. Run 'aws eks update-kubeconfig' to update.\n" {
		t.Errorf("stderr %q", r.Stderr)
	}
	if u := tokenURL(t, ec.Status.Token); u != "https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&"+
		"X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2FDATE%2Feu-west-1%2Fsts%2Faws4_request&X-Amz-Date=…&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=…" {
		t.Errorf("token URL %s", u)
	}
	for _, tt := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"--region", "eu-west-1"}, 1, "Either parameter --cluster-name or --cluster-id must be specified.\n"},
		{[]string{"--cluster-name"}, 255, "\nargument --cluster-name: expected one argument\n"},
		{[]string{"--cluster-name", "a", "--output", "yaml"}, 252, "ekstoken: error: argument --output: invalid choice \"yaml\" (choose from json, text)\n"},
	} {
		if r := ours(t, env, tt.args...); r.Code != tt.code || r.Stderr != tt.stderr || r.Stdout != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want %d, %q", tt.args, r.Code, r.Stderr, r.Stdout, tt.code, tt.stderr)
		}
	}
}

// TestPlainHTTPEndpoint: a configured endpoint that is plain http to a
// host other than loopback is refused, where the CLI would name it in
// the token (and a verifier would send the signed request, its session
// token included, in the clear).
func TestPlainHTTPEndpoint(t *testing.T) {
	env := peertest.AWSEnv(t, map[string]string{"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_ENDPOINT_URL_STS": "http://192.0.2.1/"})
	r := ours(t, env, "--cluster-name", "prod", "--region", "eu-west-1")
	if r.Code != 255 || r.Stdout != "" || !strings.Contains(r.Stderr, `"http://192.0.2.1/": plain http is allowed only to a loopback host`) {
		t.Errorf("exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
}
