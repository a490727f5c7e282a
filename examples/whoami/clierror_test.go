package main

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/callerid/callerid"
	"github.com/callerid/callerid/credentials"
)

// TestSSOMessage builds botocore's SSO messages from the library's typed
// errors, nested as the credential chain nests them. (The same messages
// are compared with the real AWS CLI in TestSSOErrorsMatchAWSCLI; these
// rows run without it.)
func TestSSOMessage(t *testing.T) {
	const start = "https://d-1234567890.awsapps.com/start"
	token := func(kind error, session string, cause error) error {
		return &credentials.Error{Source: "SSOProvider", Err: &credentials.SSOTokenError{
			Kind: kind, SessionName: session, StartURL: start, Path: "/home/u/.aws/sso/cache/0123.json", Err: cause,
		}}
	}
	config := func(e *callerid.SSOConfigError) error {
		return &credentials.Error{Source: "SSOProvider(profile=p)", Err: &callerid.ConfigError{Path: "/home/u/.aws/config", Line: 1, Profile: e.Profile, Err: e}}
	}
	unknownKind := errors.New("some new kind")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"token not found, sso_session", token(credentials.ErrSSOTokenNotFound, "corp", fs.ErrNotExist),
			"\nError loading SSO Token: Token for corp does not exist\n"},
		{"token not found, legacy", token(credentials.ErrSSOTokenNotFound, "", fs.ErrNotExist),
			"\nError loading SSO Token: Token for " + start + " does not exist\n"},
		{"token invalid names the start URL in both forms", token(credentials.ErrSSOTokenInvalid, "corp", errors.New(`no "accessToken"`)),
			"\nError loading SSO Token: Token for " + start + " is invalid\n"},
		{"token expired", token(credentials.ErrSSOTokenExpired, "corp", errors.New("refused")),
			"\nError when retrieving token from sso: Token has expired and refresh failed\n"},
		{"session expired", token(credentials.ErrSSOSessionExpired, "", nil),
			"\nThe SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.\n"},
		{"config missing", config(&callerid.SSOConfigError{Kind: callerid.ErrSSOConfigMissing, Profile: "p", Missing: []string{"sso_role_name", "sso_region"}}),
			"\nThe profile \"p\" is configured to use SSO but is missing required configuration: sso_role_name, sso_region\n"},
		{"sso-session not found", config(&callerid.SSOConfigError{Kind: callerid.ErrSSOSessionNotFound, Profile: "p", Session: "ghost"}),
			"\nThe specified sso-session does not exist: \"ghost\"\n"},
		{"inconsistent", config(&callerid.SSOConfigError{Kind: callerid.ErrSSOConfigInconsistent, Profile: "p", Session: "corp",
			Key: "sso_region", ProfileValue: "eu-west-1", SessionValue: "us-east-1"}),
			"\nThe value for sso_region is inconsistent between profile (eu-west-1) and sso-session (us-east-1).\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (failure{err: tt.err}).message(); got != tt.want {
				t.Errorf("message:\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
	// A kind whoami does not know gets the library's own account.
	for _, err := range []error{
		token(unknownKind, "corp", nil),
		config(&callerid.SSOConfigError{Kind: unknownKind, Profile: "p"}),
	} {
		if got, want := (failure{err: err}).message(), "\n"+err.Error()+"\n"; got != want {
			t.Errorf("message:\n%q\nwant the library's error\n%q", got, want)
		}
	}
}
