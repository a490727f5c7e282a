package credentials

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The test binary doubles as the credential_process under test: run with
// CALLERID_TEST_HELPER set, it behaves as that variable says instead of
// running tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("CALLERID_TEST_HELPER"); mode != "" {
		os.Exit(helperProcess(mode, os.Args[1:]))
	}
	os.Exit(m.Run())
}

func helperProcess(mode string, args []string) int {
	switch mode {
	case "ok":
		// AccountId echoes the arguments, to check how they were split.
		fmt.Printf(`{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": %q, "AccountId": %q}`, testSecret, strings.Join(args, "|"))
	case "expiring":
		fmt.Printf(`{"Version": 1.0, "AccessKeyId": "ASIAPROCESS", "SecretAccessKey": %q, "SessionToken": %q, "Expiration": "2030-01-02T03:04:05Z"}`, testSecret, testToken)
	case "fail-secret":
		fmt.Printf(`{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": %q}`, testSecret)
		fmt.Fprintln(os.Stderr, "helper: cannot reach the vault")
		return 3
	case "junk":
		fmt.Printf("Password for %s: ", testSecret)
	case "version2":
		fmt.Printf(`{"Version": 2, "AccessKeyId": "AKID", "SecretAccessKey": %q}`, testSecret)
	case "missing":
		fmt.Print(`{"Version": 1, "AccessKeyId": "AKID"}`)
	case "big":
		chunk := strings.Repeat("x", 64<<10)
		for i := 0; i < 40; i++ {
			fmt.Print(chunk)
		}
	case "hang":
		if len(args) > 0 {
			os.WriteFile(args[0], []byte(strconv.Itoa(os.Getpid())), 0o600)
		}
		time.Sleep(time.Hour)
	default:
		fmt.Fprintln(os.Stderr, "unknown helper mode", mode)
		return 2
	}
	return 0
}

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
