package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sts/ststest"
)

// TestRetriedErrorsMatchAWSCLI runs whoami and `aws sts
// get-caller-identity` against a fake STS that answers each with the same
// errors in turn, and wants the same bytes from both: botocore adds
// "(reached max retries: N)" only when the call stopped at its attempt
// limit, which in legacy mode (the default) means the last error would
// have been retried, and in standard and adaptive modes that the last
// allowed attempt failed, whatever the error (503 then 403 included).
// (Both wait their real backoff: the attempts are few.)
func TestRetriedErrorsMatchAWSCLI(t *testing.T) {
	peertest.Require(t, "aws")
	unavailable := ststest.Error(503, "ServiceUnavailable", "try later")
	denied := ststest.Error(403, "AccessDenied", "not you")
	internal := ststest.Error(500, "InternalFailure", "oops")
	tests := []struct {
		name   string
		env    map[string]string
		faults []ststest.Fault
		want   string // what the CLI prints after the operation's name
	}{
		{"legacy: 503 then 403", nil, []ststest.Fault{unavailable, denied}, " operation: not you"},
		{"legacy: 503 then 403 at the limit", map[string]string{"AWS_MAX_ATTEMPTS": "2"}, []ststest.Fault{unavailable, denied}, " operation: not you"},
		{"legacy: 500 to the limit", map[string]string{"AWS_MAX_ATTEMPTS": "2"}, []ststest.Fault{internal, internal}, " operation (reached max retries: 1): oops"},
		{"legacy: one attempt, 500", map[string]string{"AWS_MAX_ATTEMPTS": "1"}, []ststest.Fault{internal}, " operation (reached max retries: 0): oops"},
		{"legacy: one attempt, 403", map[string]string{"AWS_MAX_ATTEMPTS": "1"}, []ststest.Fault{denied}, " operation: not you"},
		{"standard: 503 then 403", map[string]string{"AWS_RETRY_MODE": "standard"}, []ststest.Fault{unavailable, denied}, " operation: not you"},
		{"standard: 503 then 403 at the limit", map[string]string{"AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "2"}, []ststest.Fault{unavailable, denied},
			" operation (reached max retries: 1): not you"},
		{"standard: one attempt, 403", map[string]string{"AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "1"}, []ststest.Fault{denied}, " operation (reached max retries: 0): not you"},
		{"adaptive: throttled to the limit", map[string]string{"AWS_RETRY_MODE": "adaptive", "AWS_MAX_ATTEMPTS": "2"}, []ststest.Fault{ststest.Throttling(), ststest.Throttling()},
			" operation (reached max retries: 1): Rate exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := ststest.NewServer()
			defer srv.Close()
			key := srv.AddUser(ststest.DefaultAccount, "/", "retried")
			vars := map[string]string{"AWS_ACCESS_KEY_ID": key.AccessKeyID, "AWS_SECRET_ACCESS_KEY": key.SecretAccessKey(), "AWS_ENDPOINT_URL_STS": srv.URL}
			for k, v := range tt.env {
				vars[k] = v
			}
			env := peertest.AWSEnv(t, vars)
			for _, f := range tt.faults {
				srv.FailNext(1, f)
			}
			cli := peertest.AWSCLI(t, env, "sts", "get-caller-identity")
			if n := len(srv.Requests()); n != len(tt.faults) {
				t.Fatalf("the CLI sent %d requests (stderr %q); want %d", n, cli.Stderr, len(tt.faults))
			}
			for _, f := range tt.faults {
				srv.FailNext(1, f)
			}
			got := runWhoami(t, env)
			if n := len(srv.Requests()) - len(tt.faults); n != len(tt.faults) {
				t.Errorf("whoami sent %d requests (stderr %q); want %d", n, got.Stderr, len(tt.faults))
			}
			if diff := cmp.Diff(cli, got); diff != "" {
				t.Errorf("whoami differs from aws sts get-caller-identity (-aws +whoami):\n%s", diff)
			}
			if !strings.HasSuffix(cli.Stderr, tt.want+"\n") {
				t.Errorf("the CLI printed %q; want it to end in %q", cli.Stderr, tt.want)
			}
		})
	}
}
