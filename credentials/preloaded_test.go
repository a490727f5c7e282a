package credentials

import (
	"os"
	"testing"
)

// TestDefaultChainPreloadedConfig checks that a chain given a SharedConfig
// uses it and does not read the files again: after LoadConfig, the files
// are replaced by a malformed one and the chain still answers from what
// was loaded.
func TestDefaultChainPreloadedConfig(t *testing.T) {
	h := newHarness(t, "", "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = "+testSecret+"\n")
	opts := h.opts()
	opts.Profile = "dev"
	cfg, prof, err := opts.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if prof.Name != "dev" {
		t.Fatalf("LoadConfig profile = %q, want dev", prof.Name)
	}
	if err := os.WriteFile(h.path("credentials"), []byte("[dev\nnot an ini file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := h.retrieve(opts); err == nil {
		t.Fatal("the chain without SharedConfig read the malformed file without error")
	}
	opts.SharedConfig = cfg
	got, err := h.retrieve(opts)
	if err != nil {
		t.Fatalf("with SharedConfig: %v", err)
	}
	if got.AccessKeyID != "AKIDDEV" || got.SecretAccessKey() != testSecret || got.Source != "SharedCredentialsFile(profile=dev)" {
		t.Errorf("got %v, want dev's keys from the preloaded config", got)
	}
}
