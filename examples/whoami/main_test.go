package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/callerid/callerid/internal/httpreplay"
	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sts/ststest"
)

type result struct {
	Code           int
	Stdout, Stderr string
}

// runWith runs whoami with args in an environment that holds env on top of
// what keeps the credential chain off this machine's files and instance
// metadata.
func runWith(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	full := peertest.AWSEnv(t, env)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, func(k string) string { return full[k] })
	return result{code, stdout.String(), stderr.String()}
}

func replay(t *testing.T, name string) string {
	t.Helper()
	rec, err := httpreplay.Load(filepath.Join("..", "..", "testdata", "recorded", name))
	if err != nil {
		t.Fatal(err)
	}
	srv := httpreplay.NewServer(rec)
	t.Cleanup(srv.Close)
	return srv.URL
}

var keys = map[string]string{"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY"}

func TestRunRecorded(t *testing.T) {
	tests := []struct {
		name string
		file string
		args []string
		want result
	}{
		{"json", "api-reference/user.http", nil, result{0,
			"{\n    \"UserId\": \"AIDACKCEVSQ6C2EXAMPLE\",\n    \"Account\": \"123456789012\",\n    \"Arn\": \"arn:aws:iam::123456789012:user/Alice\"\n}\n", ""}},
		{"text", "api-reference/assumed-role.http", []string{"--output", "text"}, result{0,
			"123456789012\tarn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name\tARO123EXAMPLE123:my-role-session-name\n", ""}},
		{"verbose", "api-reference/federated-user.http", []string{"--verbose", "--output=text"}, result{0,
			"123456789012\tarn:aws:sts::123456789012:federated-user/my-federated-user-name\t123456789012:my-federated-user-name\n",
			"credentials from EnvProvider; caller is a federated user\n"}},
		{"api error", "sts-documented/error-expired-token.http", nil, result{255, "",
			"\nAn error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired\n"}},
		{"moto error", "moto/error-invalid-client-token-id.http", nil, result{255, "",
			"\nAn error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := replay(t, tt.file)
			got := runWith(t, keys, append([]string{"--endpoint-url", url}, tt.args...)...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// usage is what whoami prints before a command-line error.
const usage = "usage: " + usageText

func TestRunUsageAndLocalErrors(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		stderr   string
	}{
		{"bad output", keys, []string{"--output", "yaml"}, 2, usage + "whoami: error: argument --output: Invalid choice, valid choices are:\n\n" +
			"json                                     | text                                    \ntable                                   \n"},
		{"output typo", keys, []string{"--out=tabel"}, 2, usage + "whoami: error: argument --output: Invalid choice, valid choices are:\n\n" +
			"json                                     | text                                    \ntable                                   \n\n\n" +
			"Invalid choice: 'tabel', maybe you meant:\n\n  * table\n"},
		{"unknown option", keys, []string{"--nope"}, 255, usage + "\nUnknown options: --nope\n"},
		{"extra argument", keys, []string{"extra", "-x", "--output", "text"}, 255, usage + "\nUnknown options: extra, -x\n"},
		{"ambiguous prefix", keys, []string{"--de"}, 2, usage + "whoami: error: ambiguous option: --de could match --debug, --demo\n"},
		{"flag with a value", keys, []string{"--debug=yes"}, 2, usage + "whoami: error: argument --debug: ignored explicit argument 'yes'\n"},
		{"missing value", keys, []string{"--region"}, 2, usage + "whoami: error: argument --region: expected one argument\n"},
		{"bad expected account", keys, []string{"--expect-account", "12"}, 2, usage + "whoami: error: argument --expect-account: an account id is 12 digits\n"},
		{"bad expected role", keys, []string{"--expect-role", "arn:aws:iam::123456789012:user/alice"}, 2,
			usage + "whoami: error: argument --expect-role: the ARN of an IAM user is not an IAM role's: want arn:PARTITION:iam::ACCOUNT:role/NAME\n"},
		{"empty expected role", keys, []string{"--expect-role="}, 2, usage + "whoami: error: argument --expect-role: expected a value\n"},
		{"no credentials", nil, []string{"--endpoint-url", "http://127.0.0.1:1"}, 255,
			"Unable to locate credentials. You can configure credentials by running \"aws configure\".\n"},
		// Unlike the AWS CLI, which ignores a lone AWS_SECRET_ACCESS_KEY,
		// the library refuses it; whoami says so in the CLI's words.
		{"lone secret", map[string]string{"AWS_SECRET_ACCESS_KEY": keys["AWS_SECRET_ACCESS_KEY"]}, nil, 255,
			"\nPartial credentials found in env, missing: AWS_ACCESS_KEY_ID\n"},
		// The CLI's words (TestRetryModeMatchesAWSCLI), even with no
		// credentials.
		{"retry mode", map[string]string{"AWS_RETRY_MODE": "fast"}, nil, 255,
			"\nInvalid value provided to \"mode\": \"fast\" must be one of: ('legacy', 'standard', 'adaptive')\n"},
		{"remote http", keys, []string{"--endpoint-url", "http://sts.example.test"}, 255,
			"\nsts: endpoint \"http://sts.example.test\": plain http is allowed only to a loopback host (127.0.0.0/8, ::1, localhost); use https\n"},
		{"unsupported query", keys, []string{"--query", "Arn.length(@)"}, 255,
			"\nBad value for --query Arn.length(@): valid JMESPath, but it uses a subexpression (a.b), which whoami does not evaluate; " + supportedQueries + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runWith(t, tt.env, tt.args...)
			if diff := cmp.Diff(result{tt.wantCode, "", tt.stderr}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if strings.Contains(got.Stderr, keys["AWS_SECRET_ACCESS_KEY"]) || strings.Contains(got.Stdout, keys["AWS_SECRET_ACCESS_KEY"]) {
				t.Errorf("output shows the secret")
			}
		})
	}
}

func TestRunDebugKeepsTheDetails(t *testing.T) {
	for _, flag := range []string{"--debug", "--verbose"} {
		got := runWith(t, nil, flag, "--endpoint-url", "http://127.0.0.1:1")
		if got.Code != 255 || !strings.HasPrefix(got.Stderr, "\nsts: GetCallerIdentity http://127.0.0.1:1/: credentials: no credentials found; tried:\n\tEnvProvider: ") ||
			!strings.Contains(got.Stderr, "IMDSProvider") {
			t.Errorf("whoami %s: got %+v, want the chain's report", flag, got)
		}
	}
}

func TestRunHelp(t *testing.T) {
	got := runWith(t, nil, "--output", "text", "--help", "--bogus")
	if got.Code != 0 || got.Stderr != "" || !strings.HasPrefix(got.Stdout, "usage: whoami [--profile NAME]") || !strings.Contains(got.Stdout, "--expect-role ROLE") {
		t.Errorf("--help: got %+v", got)
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		argv    []string
		values  map[string]string
		unknown []string
	}{
		{[]string{"--out", "text", "--q=Account", "--prof", "dev"}, map[string]string{"--output": "text", "--query": "Account", "--profile": "dev"}, nil},
		{[]string{"--query", "Arn", "--query", "Account"}, map[string]string{"--query": "Account"}, nil},
		{[]string{"--query", "-1", "--region", "-a b"}, map[string]string{"--query": "-1", "--region": "-a b"}, nil},
		{[]string{"--query="}, map[string]string{"--query": ""}, nil},
		{[]string{"--debug", "x", "--", "--output", "text"}, map[string]string{"--debug": ""}, []string{"x", "--output", "text"}},
		{[]string{"-", "--bogus=1", "-profile", "dev"}, map[string]string{}, []string{"-", "--bogus=1", "-profile", "dev"}},
	}
	for _, tt := range tests {
		a, err := parseArgs(tt.argv)
		if err != nil {
			t.Errorf("parseArgs(%q): %v", tt.argv, err)
			continue
		}
		if diff := cmp.Diff(&args{values: tt.values, unknown: tt.unknown}, a, cmp.AllowUnexported(args{})); diff != "" {
			t.Errorf("parseArgs(%q) (-want +got):\n%s", tt.argv, diff)
		}
	}
}

// TestCloseMatchesMatchesDifflib compares closeMatches with Python's
// difflib.get_close_matches, which the CLI uses for "maybe you meant".
func TestCloseMatchesMatchesDifflib(t *testing.T) {
	words := []string{"tabel", "jsn", "Text", "txt", "tex", "able", "jsonn", "tablee", "", "t", "JSON", "teext", "json ", "tables",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaatable"}
	possibilities := [][]string{{"json", "text", "table"}, {"abc", "bca", "cab", "acb"}, {"table", "tabel", "able"}}
	type tcase struct {
		Word  string
		Poss  []string
		Ratio []float64
	}
	var cases []tcase
	for _, w := range words {
		for _, p := range possibilities {
			cases = append(cases, tcase{Word: w, Poss: p})
		}
	}
	for _, w := range []string{"abc", "bac", "cba"} {
		cases = append(cases, tcase{Word: w, Poss: possibilities[1]})
	}
	const script = `
import difflib, json, sys
out = []
for c in json.load(sys.stdin):
    out.append({"Matches": difflib.get_close_matches(c["Word"], c["Poss"], cutoff=0.6),
                "Ratios": [difflib.SequenceMatcher(None, p, c["Word"]).ratio() for p in c["Poss"]]})
json.dump(out, sys.stdout)
`
	var want []struct {
		Matches []string
		Ratios  []float64
	}
	oracle(t, script, cases, &want)
	for i, c := range cases {
		var ratios []float64
		for _, p := range c.Poss {
			ratios = append(ratios, matchRatio([]rune(p), []rune(c.Word)))
		}
		got := closeMatches(c.Word, c.Poss, 3, 0.6)
		if diff := cmp.Diff(want[i].Ratios, ratios); diff != "" {
			t.Errorf("ratios of %q (-difflib +whoami):\n%s", c.Word, diff)
		}
		if diff := cmp.Diff(want[i].Matches, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("close matches of %q in %q (-difflib +whoami):\n%s", c.Word, c.Poss, diff)
		}
	}
}

func TestPyFloat(t *testing.T) {
	for f, want := range map[float64]string{1: "1.0", 1.5: "1.5", 1e16: "1e+16", 1e15: "1000000000000000.0", 1e-4: "0.0001", 1e-5: "1e-05",
		-2.5e-7: "-2.5e-07", 123456789.125: "123456789.125", 1e100: "1e+100", 0.1: "0.1"} {
		if got := pyFloat(f); got != want {
			t.Errorf("pyFloat(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestRunProfile(t *testing.T) {
	srv := ststest.NewServer(ststest.WithSeed(3))
	defer srv.Close()
	key := srv.AddUser(ststest.DefaultAccount, "/", "carol")
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	content := "[work]\naws_access_key_id = " + key.AccessKeyID + "\naws_secret_access_key = " + key.SecretAccessKey() + "\n"
	if err := os.WriteFile(creds, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"AWS_SHARED_CREDENTIALS_FILE": creds}
	got := runWith(t, env, "--profile", "work", "--endpoint-url", srv.URL, "--output", "text", "--verbose")
	want := result{0,
		"123456789012\tarn:aws:iam::123456789012:user/carol\t" + key.Identity.UserID + "\n",
		"credentials from SharedCredentialsFile(profile=work); caller is an IAM user\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got = runWith(t, env, "--profile", "play", "--endpoint-url", srv.URL)
	if diff := cmp.Diff(result{255, "", "\nThe config profile (play) could not be found\n"}, got); diff != "" {
		t.Errorf("unknown profile (-want +got):\n%s", diff)
	}
}

// FuzzParseArgs: no command line makes the parser panic; what it accepts
// holds only whoami's options, with a value only where one is taken.
func FuzzParseArgs(f *testing.F) {
	for _, argv := range [][]string{
		{"--out", "text", "--q=Account"}, {"--de"}, {"--debug=x"}, {"--output", "tabel"}, {"--", "--x"}, {"-1", "--query", "-a b"},
		{"--query"}, {"--expect-role=", "--help"}, {"-", "", "--=", "---", "--o=json"},
	} {
		f.Add(strings.Join(argv, "\x00"))
	}
	f.Fuzz(func(t *testing.T, line string) {
		argv := strings.Split(line, "\x00")
		a, err := parseArgs(argv)
		if err != nil {
			var ue *usageError
			if !errors.As(err, &ue) {
				t.Fatalf("parseArgs(%q) = %T, want a *usageError", argv, err)
			}
			return
		}
		for name, v := range a.values {
			var spec *optSpec
			for i := range options {
				if options[i].name == name {
					spec = &options[i]
				}
			}
			if spec == nil || (!spec.hasValue && v != "") {
				t.Fatalf("parseArgs(%q) gave %s=%q", argv, name, v)
			}
		}
		if len(a.unknown) > len(argv) {
			t.Fatalf("more unknown arguments than arguments")
		}
	})
}

// A network failure while getting credentials is not reported as one of
// the STS endpoint's.
func TestRunCredentialSourceUnreachable(t *testing.T) {
	got := runWith(t, map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/creds"}, "--endpoint-url", "http://127.0.0.1:2")
	if got.Code != 255 || strings.Contains(got.Stderr, "Could not connect to the endpoint URL") || !strings.Contains(got.Stderr, "127.0.0.1:1") {
		t.Errorf("got %+v, want exit 255 naming the container endpoint", got)
	}
}

// TestRunReadsTheConfigOnce: whoami reads the shared files once, for the
// credentials and for the profile's output. The profile's
// credential_process, which runs after that read, rewrites the config
// file's output from text to table: the answer is still text. (Read a
// second time, as whoami once did to find the output, it would be a
// table.)
func TestRunReadsTheConfigOnce(t *testing.T) {
	srv := ststest.NewServer(ststest.WithSeed(4))
	defer srv.Close()
	key := srv.AddUser(ststest.DefaultAccount, "/", "dana")
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	rewrite := filepath.Join(dir, "rewrite.sh")
	script := "#!/bin/sh\nsed 's/^output = text$/output = table/' '" + config + "' > '" + config + ".new' && mv '" + config + ".new' '" + config + "'\n" +
		`echo '{"Version": 1, "AccessKeyId": "` + key.AccessKeyID + `", "SecretAccessKey": "` + key.SecretAccessKey() + `"}'` + "\n"
	if err := os.WriteFile(rewrite, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, []byte("[default]\noutput = text\ncredential_process = "+rewrite+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got := runWith(t, map[string]string{"AWS_CONFIG_FILE": config}, "--endpoint-url", srv.URL)
	want := result{0, "123456789012\tarn:aws:iam::123456789012:user/dana\t" + key.Identity.UserID + "\n", ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if b, err := os.ReadFile(config); err != nil || !strings.Contains(string(b), "output = table") {
		t.Fatalf("the credential_process did not rewrite the config (%v): %q", err, b)
	}
}
