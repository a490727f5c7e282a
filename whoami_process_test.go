package callerid_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/callerid/callerid"
	"github.com/callerid/callerid/credentials"
)

func TestWithProcessStderr(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run a credential_process with")
	}
	config := filepath.Join(t.TempDir(), "config")
	content := "[default]\ncredential_process = " + sh + " -c 'echo the vault is sealed >&2; exit 3'\n"
	if err := os.WriteFile(config, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	_, err = callerid.Whoami(context.Background(),
		callerid.WithGetenv(isolated(t, map[string]string{"AWS_CONFIG_FILE": config})),
		callerid.WithEndpointURL("http://127.0.0.1:1"),
		callerid.WithProcessStderr(&stderr))
	var exit *credentials.ProcessExitError
	if !errors.As(err, &exit) || exit.Program != sh || exit.ExitCode != 3 {
		t.Fatalf("err = %v, want a *credentials.ProcessExitError of %s with status 3", err, sh)
	}
	if got, want := stderr.String(), "the vault is sealed\n"; got != want {
		t.Errorf("the process's stderr = %q, want %q", got, want)
	}
}
