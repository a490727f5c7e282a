//go:build !demo

package main

import (
	"strings"
	"testing"
)

func TestRunDemoNotBuiltIn(t *testing.T) {
	got := runWith(t, nil, "--demo")
	if got.Code != 2 || !strings.Contains(got.Stderr, "go run -tags demo ./examples/whoami --demo") {
		t.Errorf("got %+v, want exit 2 and how to run the demo", got)
	}
}
