package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/callerid/callerid/internal/peertest"
)

// The AWS CLI's own Python modules (jmespath, awscli.table, awscli.text,
// difflib) are the oracle for the parts of whoami that imitate them: a
// test sends them many inputs at once and compares their answers with
// whoami's. The Python that runs the aws command has them.

// python returns a Python interpreter that can import the AWS CLI's
// modules, skipping t when there is none (failing it when
// CALLERID_REQUIRE_PEERS=1), as peertest.Require does for the CLI.
func python(t *testing.T) string {
	t.Helper()
	peertest.Require(t, "aws")
	for _, name := range []string{"python3", "python"} {
		path, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import awscli.table, awscli.text, jmespath").Run() == nil {
			return path
		}
	}
	if os.Getenv("CALLERID_REQUIRE_PEERS") == "1" {
		t.Fatal("no python3 that imports awscli and jmespath, and CALLERID_REQUIRE_PEERS=1 requires it")
	}
	t.Skip("no python3 that imports awscli and jmespath (the AWS CLI's); set CALLERID_REQUIRE_PEERS=1 to make this a failure")
	return ""
}

// oracle runs script with in as JSON on its stdin and decodes its stdout
// into out.
func oracle(t *testing.T, script string, in, out any) {
	t.Helper()
	py := python(t)
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "-c", script)
	cmd.Env = append(os.Environ(), "PYTHONIOENCODING=utf-8", "PYTHONHASHSEED=0")
	cmd.Stdin = bytes.NewReader(data)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python oracle: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("python oracle's answer: %v\n%s", err, stdout.String())
	}
}
