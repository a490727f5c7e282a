//go:build demo

package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRunDemo(t *testing.T) {
	// The demo needs nothing from the environment: no keys, no endpoint,
	// no region.
	got := runWith(t, map[string]string{"AWS_DEFAULT_REGION": ""}, "--demo", "--output", "text", "--verbose")
	want := result{0,
		"123456789012\tarn:aws:iam::123456789012:user/demo-user\tAIDAI2HLD654KEJC7CLIK\n",
		"credentials from ststest; caller is an IAM user\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := runWith(t, nil, "--demo", "--profile", "dev"); got.Code != 2 {
		t.Errorf("--demo --profile: exit %d, want 2", got.Code)
	}
}
