package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/internal/peertest"
)

// testKeys are the static keys of the profiles in these tests, which no
// STS knows.
const testKeys = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = 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\n"

// deadSTS returns the variables that send every STS call, the roles'
// included, to a loopback port nothing listens on, once: no test reaches
// AWS, and a configuration that gets as far as calling STS fails there
// alike in whoami and the CLI.
func deadSTS(t *testing.T) map[string]string {
	t.Helper()
	port, err := peertest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:" + strconv.Itoa(port), "AWS_MAX_ATTEMPTS": "1"}
}

// cliRow is a case of a table that runs whoami and the AWS CLI on one
// shared config file and compares what they print.
type cliRow struct {
	name    string
	config  string            // the shared config file
	profile string            // --profile
	env     map[string]string // more variables
	// differs, when set, is the stderr of each where whoami differs on
	// purpose (see the README), DEAD standing for the dead STS's URL and
	// CONFIG for the config file's path:
	// both are checked exactly, and the rest (stdout, exit status) must
	// still match.
	differs *struct{ cli, whoami string }
}

// runCLIRows runs each row in a fresh environment whose STS is deadSTS.
func runCLIRows(t *testing.T, rows []cliRow) {
	peertest.Require(t, "aws")
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // the AWS CLI takes half a second to start
			vars := deadSTS(t)
			vars["AWS_CONFIG_FILE"] = filepath.Join(t.TempDir(), "config")
			if err := os.WriteFile(vars["AWS_CONFIG_FILE"], []byte(tt.config), 0o600); err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.env {
				vars[k] = v
			}
			var args []string
			if tt.profile != "" {
				args = []string{"--profile", tt.profile}
			}
			want, got := runBoth(t, vars, args...)
			if tt.differs != nil {
				if cli := strings.ReplaceAll(tt.differs.cli, "DEAD", vars["AWS_ENDPOINT_URL_STS"]); want.Stderr != cli {
					t.Errorf("the AWS CLI printed %q on stderr, want %q (as the README says)", want.Stderr, cli)
				}
				want.Stderr = strings.NewReplacer("DEAD", vars["AWS_ENDPOINT_URL_STS"], "CONFIG", vars["AWS_CONFIG_FILE"]).Replace(tt.differs.whoami)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("whoami differs from aws sts get-caller-identity (-aws +whoami):\n%s", diff)
			}
			if strings.Contains(got.Stderr+got.Stdout, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY") {
				t.Errorf("whoami printed the secret key")
			}
		})
	}
}

// TestRoleConfigErrorsMatchAWSCLI compares whoami with the AWS CLI on role
// profiles whose source of credentials is wrong, and on the mistakes in
// other role settings that get as far as STS.
func TestRoleConfigErrorsMatchAWSCLI(t *testing.T) {
	const role = "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
	const base = "[profile base]\n" + testKeys
	runCLIRows(t, []cliRow{
		{name: "no source", config: role, profile: "r"},
		{name: "source_profile not there", config: role + "source_profile = ghost\n", profile: "r"},
		{name: "credential_source not valid", config: role + "credential_source = environment\n", profile: "r"},
		{name: "both sources", config: role + "source_profile = base\ncredential_source = Environment\n" + base, profile: "r"},
		{name: "loop", profile: "a",
			config: "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n" +
				"[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = c\n" +
				"[profile c]\nrole_arn = arn:aws:iam::123456789012:role/c\nsource_profile = b\n"},
		{name: "loop through the profile in use", profile: "a",
			config: "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n" +
				"[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n"},
		{name: "own source without keys", config: "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = a\n", profile: "a"},
		// With keys a profile may be its own source: AssumeRole is sent.
		{name: "own source with keys", config: "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = a\n" + testKeys, profile: "a"},
		{name: "source profile without credentials", config: role + "source_profile = base\n[profile base]\nregion = eu-west-1\n", profile: "r"},
		{name: "source profile's source without credentials", profile: "r",
			config: role + "source_profile = mid\n[profile mid]\nrole_arn = arn:aws:iam::123456789012:role/mid\nsource_profile = base\n[profile base]\nregion = eu-west-1\n"},
		{name: "credential_source Environment without keys", config: role + "credential_source = Environment\n", profile: "r"},
		{name: "web identity token file not there", config: role + "web_identity_token_file = /nonexistent/token\n", profile: "r"},
		{name: "duration_seconds not a number", config: role + "source_profile = base\nduration_seconds = an hour\n" + base, profile: "r"},
		{name: "role_arn not an ARN", config: "[profile r]\nrole_arn = this-is-not-an-arn-at-all\nsource_profile = base\n" + base, profile: "r"},
	})
}

// TestRoleParamsMatchAWSCLI compares whoami with the AWS CLI on role
// settings that STS's API model refuses: botocore refuses those under a
// minimum before sending, and so does the library (sts.ParamError); the
// rest botocore sends, and the library refuses before sending, saying
// what is wrong.
func TestRoleParamsMatchAWSCLI(t *testing.T) {
	const base = "[profile base]\n" + testKeys
	role := func(settings string) string {
		return "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\n" + settings + base
	}
	dir := t.TempDir()
	tokenFile := func(name, token string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(token), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	webIdentity := func(roleARN, token string) string {
		return "[profile r]\nrole_arn = " + roleARN + "\nweb_identity_token_file = " + tokenFile(token+".jwt", token) + "\n"
	}
	const library = "\nsts: GetCallerIdentity DEAD/: AssumeRoleProvider(role=arn:aws:iam::123456789012:role/deploy): sts: AssumeRole DEAD/: invalid input: "
	runCLIRows(t, []cliRow{
		{name: "role_arn too short", config: "[profile r]\nrole_arn = not-an-arn\nsource_profile = base\n" + base, profile: "r"},
		{name: "role_session_name of one character", config: role("role_session_name = a\n"), profile: "r"},
		{name: "external_id of one character", config: role("external_id = x\n"), profile: "r"},
		{name: "role_session_name and role_arn too short", profile: "r",
			config: "[profile r]\nrole_arn = arn:aws:iam\nsource_profile = base\nrole_session_name = a\nexternal_id = x\n" + base},
		// botocore reads duration_seconds with Python's int(), ignores
		// it when that fails, and refuses a number under 900.
		{name: "duration_seconds 0", config: role("duration_seconds = 0\n"), profile: "r"},
		{name: "duration_seconds -5", config: role("duration_seconds = -5\n"), profile: "r"},
		{name: "duration_seconds +1_00", config: role("duration_seconds = +1_00\n"), profile: "r"},
		{name: "duration_seconds 899 and a short session name", config: role("duration_seconds = 899\nrole_session_name = a\n"), profile: "r",
			differs: &struct{ cli, whoami string }{
				cli: "\nParameter validation failed:\nInvalid length for parameter RoleSessionName, value: 1, valid min length: 2\n" +
					"Invalid value for parameter DurationSeconds, value: 899, valid min value: 900\n",
				whoami: "\nParameter validation failed:\nInvalid value for parameter DurationSeconds, value: 899, valid min value: 900\n",
			}},
		{name: "duration_seconds 1_000", config: role("duration_seconds = 1_000\n"), profile: "r"},
		{name: "duration_seconds in Arabic-Indic digits", config: role("duration_seconds = ٩٠٠\n"), profile: "r"},
		{name: "duration_seconds 0x400", config: role("duration_seconds = 0x400\n"), profile: "r"},
		{name: "duration_seconds 43201", config: role("duration_seconds = 43201\n"), profile: "r",
			differs: &struct{ cli, whoami string }{
				cli:    "\nCould not connect to the endpoint URL: \"DEAD/\"\n",
				whoami: "\nsts: GetCallerIdentity DEAD/: AssumeRoleProvider(profile=r): CONFIG:4: profile \"r\": duration_seconds: DurationSeconds 43201 is out of range; STS takes 900 to 43200\n",
			}},
		{name: "role_session_name of two characters", config: role("role_session_name = ab\n"), profile: "r"},
		{name: "web identity token of three characters", config: webIdentity("arn:aws:iam::123456789012:role/pod", "eyJ"), profile: "r"},
		{name: "web identity role_arn too short", config: webIdentity("arn:aws:iam", "eyJhbGciOiJub25lIn0.e30."), profile: "r"},
		// botocore sends these, for STS to refuse; the library refuses
		// them before sending.
		{name: "role_session_name with a space", config: role("role_session_name = my session\n"), profile: "r",
			differs: &struct{ cli, whoami string }{
				cli:    "\nCould not connect to the endpoint URL: \"DEAD/\"\n",
				whoami: library + `RoleSessionName "my session" has a character STS does not take at offset 2; it takes [\w+=,.@-]*` + "\n",
			}},
		{name: "role_session_name of 65 characters", config: role("role_session_name = " + strings.Repeat("s", 65) + "\n"), profile: "r",
			differs: &struct{ cli, whoami string }{
				cli:    "\nCould not connect to the endpoint URL: \"DEAD/\"\n",
				whoami: library + `RoleSessionName "` + strings.Repeat("s", 64) + `..." is 65 characters long; STS takes 2 to 64` + "\n",
			}},
	})
}

// TestRegionalEndpointsMatchAWSCLI compares whoami with the AWS CLI on an
// sts_regional_endpoints, or AWS_STS_REGIONAL_ENDPOINTS, that botocore
// refuses.
func TestRegionalEndpointsMatchAWSCLI(t *testing.T) {
	runCLIRows(t, []cliRow{
		{name: "sts_regional_endpoints Regional", config: "[default]\n" + testKeys + "sts_regional_endpoints = Regional\n"},
		{name: "sts_regional_endpoints global in a named profile", config: "[profile p]\n" + testKeys + "sts_regional_endpoints = global\n", profile: "p"},
		{name: "AWS_STS_REGIONAL_ENDPOINTS legacy with spaces", config: "[default]\n" + testKeys, env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": " legacy "}},
		{name: "AWS_STS_REGIONAL_ENDPOINTS over a valid profile setting", config: "[default]\n" + testKeys + "sts_regional_endpoints = legacy\n",
			env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "REGIONAL"}},
	})
}

// TestRetryModeMatchesAWSCLI compares whoami with the AWS CLI on a
// retry_mode, or AWS_RETRY_MODE, that botocore refuses (refused before
// any request, even with no credentials; after an invalid
// sts_regional_endpoints), and on valid ones written with space around
// them in the profile, which get as far as the dead STS.
func TestRetryModeMatchesAWSCLI(t *testing.T) {
	runCLIRows(t, []cliRow{
		{name: "AWS_RETRY_MODE fast", config: "[default]\n" + testKeys, env: map[string]string{"AWS_RETRY_MODE": "fast"}},
		{name: "retry_mode fast", config: "[default]\n" + testKeys + "retry_mode = fast\n"},
		{name: "retry_mode Standard in a named profile", config: "[profile p]\n" + testKeys + "retry_mode = Standard\n", profile: "p"},
		{name: "AWS_RETRY_MODE standard after a space", config: "[default]\n" + testKeys, env: map[string]string{"AWS_RETRY_MODE": " standard"}},
		{name: "AWS_RETRY_MODE with quotes", config: "[default]\n" + testKeys, env: map[string]string{"AWS_RETRY_MODE": `a'b"c`}},
		{name: "AWS_RETRY_MODE over a valid retry_mode", config: "[default]\n" + testKeys + "retry_mode = standard\n", env: map[string]string{"AWS_RETRY_MODE": "LEGACY"}},
		{name: "retry_mode fast, no credentials", config: "[default]\nretry_mode = fast\n"},
		// botocore checks sts_regional_endpoints first, but after the
		// retry settings when an endpoint URL is set.
		{name: "sts_regional_endpoints first", config: "[default]\n" + testKeys + "retry_mode = fast\nsts_regional_endpoints = global\n",
			env: map[string]string{"AWS_ENDPOINT_URL_STS": ""}},
		{name: "retry_mode first with an endpoint URL", config: "[default]\n" + testKeys + "retry_mode = fast\nsts_regional_endpoints = global\n"},
		{name: "retry_mode standard with spaces", config: "[default]\n" + testKeys + "retry_mode =  standard  \n"},
		{name: "retry_mode adaptive", config: "[default]\n" + testKeys + "retry_mode = adaptive\n"},
		{name: "retry_mode empty", config: "[default]\n" + testKeys + "retry_mode =\n"},
	})
}
