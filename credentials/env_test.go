package credentials

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEnvProviderBotocoreVariables(t *testing.T) {
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name    string
		env     map[string]string
		want    Credentials
		wantErr string
	}{
		{
			name: "AWS_SECURITY_TOKEN first, as botocore",
			env:  map[string]string{"AWS_ACCESS_KEY_ID": "ASIA", "AWS_SECRET_ACCESS_KEY": testSecret, "AWS_SECURITY_TOKEN": "old-name", "AWS_SESSION_TOKEN": testToken},
			want: withSource(New("ASIA", testSecret, "old-name"), "EnvProvider"),
		},
		{
			name: "expiration and account",
			env: map[string]string{"AWS_ACCESS_KEY_ID": "ASIA", "AWS_SECRET_ACCESS_KEY": testSecret, "AWS_SESSION_TOKEN": testToken,
				"AWS_CREDENTIAL_EXPIRATION": "2030-01-02T03:04:05Z", "AWS_ACCOUNT_ID": "123456789012"},
			want: func() Credentials {
				c := withSource(New("ASIA", testSecret, testToken), "EnvProvider")
				c.Expires, c.AccountID = exp, "123456789012"
				return c
			}(),
		},
		{
			name:    "bad expiration",
			env:     map[string]string{"AWS_ACCESS_KEY_ID": "ASIA", "AWS_SECRET_ACCESS_KEY": testSecret, "AWS_CREDENTIAL_EXPIRATION": "tomorrow"},
			wantErr: "AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 time",
		},
		{
			name:    "the Go SDK's aliases are not the CLI's",
			env:     map[string]string{"AWS_ACCESS_KEY": "AKID", "AWS_SECRET_KEY": testSecret},
			wantErr: "no credentials found",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EnvProvider{Getenv: func(k string) string { return tt.env[k] }}.Retrieve(context.Background())
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
