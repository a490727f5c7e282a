package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/sts/ststest"
)

// TestAgainstFakeSTS runs the program against sts/ststest, which checks
// its signature as STS would: as an IAM user, with temporary keys (a
// session token), and with keys the server does not know. The SDK reads
// no file of this machine and never asks instance metadata.
func TestAgainstFakeSTS(t *testing.T) {
	srv := ststest.NewServer(ststest.WithRegion("eu-west-3"))
	defer srv.Close()
	user := srv.AddUser(ststest.DefaultAccount, "/", "alice")
	role := srv.AddAssumedRole(ststest.DefaultAccount, "deploy", "ci")
	unknown := user
	unknown.AccessKeyID = "AKIAUNKNOWNUNKNOWN12"

	for _, tt := range []struct {
		name       string
		key        ststest.Key
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"user", user, 0, identityJSON(user), ""},
		{"assumed role", role, 0, identityJSON(role), ""},
		{"unknown key", unknown, 255, "", "\nAn error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range map[string]string{
				"AWS_REGION": "eu-west-3", "AWS_ENDPOINT_URL_STS": srv.URL, "AWS_EC2_METADATA_DISABLED": "true",
				"AWS_ACCESS_KEY_ID": tt.key.AccessKeyID, "AWS_SECRET_ACCESS_KEY": tt.key.SecretAccessKey(), "AWS_SESSION_TOKEN": tt.key.SessionToken(),
				"AWS_PROFILE": "", "AWS_ENDPOINT_URL": "", "AWS_MAX_ATTEMPTS": "1",
			} {
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), &stdout, &stderr,
				config.WithSharedConfigFiles([]string{}), config.WithSharedCredentialsFiles([]string{}),
				config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
			got := []any{code, stdout.String(), stderr.String()}
			if diff := cmp.Diff([]any{tt.wantCode, tt.wantStdout, tt.wantStderr}, got); diff != "" {
				t.Errorf("exit code, stdout, stderr (-want +got):\n%s", diff)
			}
		})
	}
}

// identityJSON is what `aws sts get-caller-identity` prints for k.
func identityJSON(k ststest.Key) string {
	return "{\n    \"UserId\": \"" + k.Identity.UserID + "\",\n    \"Account\": \"" + k.Identity.Account + "\",\n    \"Arn\": \"" + k.Identity.ARN + "\"\n}\n"
}
