package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestProcessOutputErrorsMatchAWSCLI compares whoami with the AWS CLI on
// credential_process programs that print something other than
// credentials, or fail.
func TestProcessOutputErrorsMatchAWSCLI(t *testing.T) {
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// printing prints out on stdout.
	printing := func(name, out string) string {
		return "[default]\ncredential_process = " + script(name, "cat <<'EOF'\n"+out+"\nEOF\n") + "\n"
	}
	const keys = `"AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "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"`
	empty := script("empty.sh", "exit 0\n")
	// Valid credentials padded past the library's bound of 1 MiB.
	huge := script("huge.sh", `printf '{"Version": 1, `+keys+`, "Padding": "'; head -c 1100000 /dev/zero | tr '\0' a; printf '"}'`+"\n")
	failing := script("failing.sh", "echo '{\"Version\": 1}'; echo 'token expired' >&2; echo 'run login' >&2; exit 2\n")
	const prefix = "\nError when retrieving credentials from custom-process: "
	runCLIRows(t, []cliRow{
		{name: "no Version", config: printing("nover.sh", `{`+keys+`}`)},
		{name: "Version 2", config: printing("v2.sh", `{"Version": 2, `+keys+`}`)},
		{name: "Version null", config: printing("vnull.sh", `{"Version": null, `+keys+`}`)},
		{name: "no AccessKeyId", config: printing("noid.sh", `{"Version": 1, "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY"}`)},
		{name: "no SecretAccessKey", config: printing("nosecret.sh", `{"Version": 1, "AccessKeyId": "AKIAIOSFODNN7EXAMPLE"}`)},
		// The forms of Expiration programs print: both go on to STS.
		{name: "Expiration with Z", config: printing("z.sh", `{"Version": 1, `+keys+`, "SessionToken": "t", "Expiration": "2099-01-01T00:00:00Z"}`)},
		{name: "Expiration with milliseconds", config: printing("ms.sh", `{"Version": 1, `+keys+`, "SessionToken": "t", "Expiration": "2099-01-01T00:00:00.123Z"}`)},
		{name: "Expiration with +00:00", config: printing("isoformat.sh", `{"Version": 1, `+keys+`, "SessionToken": "t", "Expiration": "2099-01-01T00:00:00.123456+00:00"}`)},
		{name: "Expiration with +0000 after a space", config: printing("space.sh", `{"Version": 1, `+keys+`, "SessionToken": "t", "Expiration": "2099-01-01 00:00:00+0000"}`)},
		{name: "Expiration with -05:00 and nanoseconds", config: printing("ns.sh", `{"Version": 1, `+keys+`, "SessionToken": "t", "Expiration": "2099-01-01t00:00:00.123456789-05:00"}`)},
		{name: "exit status 2 with stderr", config: "[default]\ncredential_process = " + failing + "\n"},

		// botocore fails in Python's words: json.loads' and dateutil's.
		{name: "not JSON", config: printing("text.sh", "AKIAIOSFODNN7EXAMPLE"),
			differs: &struct{ cli, whoami string }{
				cli:    "\nExpecting value: line 1 column 1 (char 0)\n",
				whoami: prefix + `credential_process "` + filepath.Join(dir, "text.sh") + `": output is not valid JSON (syntax error at byte 1)` + "\n",
			}},
		{name: "empty output", config: "[default]\ncredential_process = " + empty + "\n",
			differs: &struct{ cli, whoami string }{
				cli:    "\nExpecting value: line 1 column 1 (char 0)\n",
				whoami: prefix + `credential_process "` + empty + `": printed nothing on stdout; want a JSON object with Version 1` + "\n",
			}},
		{name: "Expiration not a date", config: printing("exp.sh", `{"Version": 1, `+keys+`, "SessionToken": "t", "Expiration": "tomorrow"}`),
			differs: &struct{ cli, whoami string }{
				cli:    "\nUnknown string format: tomorrow\n",
				whoami: prefix + `credential_process "` + filepath.Join(dir, "exp.sh") + `": "Expiration" is not an ISO 8601 time such as 2006-01-02T15:04:05Z` + "\n",
			}},
		{name: "Expiration hour 24", config: printing("exp24.sh", `{"Version": 1, `+keys+`, "SessionToken": "t", "Expiration": "2099-01-01T24:00:00Z"}`),
			differs: &struct{ cli, whoami string }{
				cli:    "\nhour must be in 0..23: 2099-01-01T24:00:00Z\n",
				whoami: prefix + `credential_process "` + filepath.Join(dir, "exp24.sh") + `": "Expiration" is not an ISO 8601 time such as 2006-01-02T15:04:05Z` + "\n",
			}},
		// Without an offset botocore cannot compare the expiry with now.
		{name: "Expiration without an offset", config: printing("naive.sh", `{"Version": 1, `+keys+`, "SessionToken": "t", "Expiration": "2099-01-01T00:00:00"}`)},
		{name: "Expiration without an offset, with a space", config: printing("naive2.sh", `{"Version": 1, `+keys+`, "SessionToken": "t", "Expiration": "2099-01-01 00:00:00.5"}`)},
		// The CLI reads any amount and goes on to STS; whoami stops at
		// 1 MiB.
		{name: "output over 1 MiB", config: "[default]\ncredential_process = " + huge + "\n",
			differs: &struct{ cli, whoami string }{
				cli:    "\nCould not connect to the endpoint URL: \"DEAD/\"\n",
				whoami: prefix + `credential_process "` + huge + `": printed more than 1024 KiB on stdout` + "\n",
			}},
	})
}
