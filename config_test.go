package callerid

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/sts"
	"github.com/callerid/callerid/sts/ststest"
)

func TestLoadConfigProfile(t *testing.T) {
	h := newHarness(t, "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\nsts_regional_endpoints = regional\noutput = text\n", "")
	delete(h.env, "AWS_DEFAULT_REGION")
	cfg, err := h.load()
	if err != nil || cfg.Profile != "default" || cfg.Region != "us-east-1" {
		t.Fatalf("LoadConfig() = %+v, %v", cfg, err)
	}
	h.env["AWS_PROFILE"] = "dev"
	cfg, err = h.load()
	if err != nil || cfg.Profile != "dev" || cfg.Region != "eu-west-1" {
		t.Fatalf("LoadConfig() = %+v, %v", cfg, err)
	}
	for key, want := range map[string]string{"output": "text", "Output": "text", "sts_regional_endpoints": "regional"} {
		if v, ok := cfg.ProfileValue(key); !ok || v != want {
			t.Errorf("ProfileValue(%q) = %q, %v; want %q", key, v, ok, want)
		}
	}
	if v, ok := cfg.ProfileValue("nope"); ok || v != "" {
		t.Errorf(`ProfileValue("nope") = %q, %v; want it unset`, v, ok)
	}
	h.env["AWS_PROFILE"] = "nope"
	if _, err := h.load(); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("err = %v", err)
	}
	// No files at all: the unnamed default profile is empty, not an error.
	h = newHarness(t, "", "")
	delete(h.env, "AWS_DEFAULT_REGION")
	cfg, err = h.load()
	if err != nil || cfg.Profile != "default" || cfg.Region != "" {
		t.Errorf("LoadConfig() = %+v, %v", cfg, err)
	}
	// A file named by the environment.
	h.env["AWS_CONFIG_FILE"] = writeFile(t, h.home, "elsewhere", "[default]\nregion = ap-east-1\n")
	if cfg, err := h.load(); err != nil || cfg.Region != "ap-east-1" {
		t.Errorf("LoadConfig() = %+v, %v", cfg, err)
	}
}

// TestLoadConfigIsolated checks that WithGetenv keeps the configuration off
// the machine's: without HOME in it there is no home directory, not the
// one os.UserHomeDir knows; without WithGetenv, that one is used.
func TestLoadConfigIsolated(t *testing.T) {
	realHome := t.TempDir()
	writeFile(t, realHome, ".aws/config", "[default]\nregion = from-the-real-home\n")
	t.Setenv("HOME", realHome)
	for _, k := range []string{"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
	}
	cfg, err := LoadConfig(context.Background(), WithGetenv(func(string) string { return "" }))
	if err != nil || cfg.Region != "" {
		t.Errorf("isolated: LoadConfig() = %+v, %v; want nothing of the real home", cfg, err)
	}
	// The same, reading the process's environment, sees the home.
	cfg, err = LoadConfig(context.Background())
	if err != nil || cfg.Region != "from-the-real-home" {
		t.Errorf("LoadConfig() = %+v, %v; want the region of $HOME/.aws/config", cfg, err)
	}
}

// TestLoadConfigReadsTheEnvironmentOnce checks that LoadConfig asks for no
// variable twice, however many settings and sources depend on it.
func TestLoadConfigReadsTheEnvironmentOnce(t *testing.T) {
	h := newHarness(t, "[default]\nrole_arn = arn:aws:iam::111111111111:role/r\nsource_profile = base\n[profile base]\nregion = eu-west-1\n",
		"[base]\naws_access_key_id = {base.id}\naws_secret_access_key = {base.secret}\n")
	reads := map[string]int{}
	getenv := func(k string) string {
		reads[k]++
		return h.env[k]
	}
	if _, err := LoadConfig(context.Background(), WithGetenv(getenv)); err != nil {
		t.Fatal(err)
	}
	for k, n := range reads {
		if n > 1 {
			t.Errorf("%s read %d times", k, n)
		}
	}
	if reads["AWS_REGION"] != 1 || reads["HOME"] != 1 {
		t.Errorf("reads = %v, want AWS_REGION and HOME read", reads)
	}
}

// TestConfigSTSEndpoint checks that WithEndpointURL sends Config.STS's
// clients elsewhere, while a profile's role is assumed at the configured
// endpoint, as with the AWS CLI's --endpoint-url.
func TestConfigSTSEndpoint(t *testing.T) {
	h := newHarness(t, "[default]\nrole_arn = arn:aws:iam::222222222222:role/r\nsource_profile = base\n",
		"[base]\naws_access_key_id = {base.id}\naws_secret_access_key = {base.secret}\n")
	other := ststest.NewServer(ststest.WithClock(fixedNow))
	defer other.Close()
	cfg, err := h.load(WithEndpointURL(other.URL))
	if err != nil {
		t.Fatal(err)
	}
	client, err := cfg.STS()
	if err != nil {
		t.Fatal(err)
	}
	if client.Endpoint() != other.URL+"/" {
		t.Errorf("client endpoint %s, want %s/", client.Endpoint(), other.URL)
	}
	// The role's temporary key is the configured STS's: the other one
	// refuses it, but was asked.
	_, err = client.GetCallerIdentity(context.Background())
	if err == nil || !strings.Contains(err.Error(), "InvalidClientTokenId") {
		t.Errorf("err = %v, want the other STS's InvalidClientTokenId", err)
	}
	var actions []string
	for _, r := range h.sts.Requests() {
		actions = append(actions, r.Form.Get("Action"))
	}
	for _, r := range other.Requests() {
		actions = append(actions, "other:"+r.Form.Get("Action"))
	}
	if diff := cmp.Diff([]string{"AssumeRole", "other:GetCallerIdentity"}, actions); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	// Options given to STS win.
	client, err = cfg.STS(func(o *sts.Options) { o.EndpointURL = h.sts.URL })
	if err != nil || client.Endpoint() != h.sts.URL+"/" {
		t.Errorf("STS(endpoint) = %v, %v", client, err)
	}
}

func TestLoadConfigCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadConfig(ctx, WithGetenv(func(string) string { return "" })); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestConfigHidesSecrets checks that printing a Config, in any fmt form,
// shows none of the secrets it was loaded from.
func TestConfigHidesSecrets(t *testing.T) {
	h := newHarness(t, "[default]\nregion = eu-west-1\naws_session_token = "+testSecret+"-token\n",
		"[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = "+testSecret+"\n")
	h.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = testSecret + "-container"
	cfg, err := h.load()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.Credentials.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%+v", *cfg), fmt.Sprintf("%#v", cfg.profile)} {
		if strings.Contains(s, "SECRETKEY") {
			t.Errorf("a secret shows: %s", s)
		}
	}
}
