package callerid_test

import (
	"fmt"
	"path/filepath"

	"github.com/callerid/callerid"
)

// Which shared files LoadConfig reads, for an environment of the
// program's own.
func ExampleSharedFilePaths() {
	env := map[string]string{"HOME": "/home/alice", "AWS_SHARED_CREDENTIALS_FILE": "$HOME/keys/aws"}
	configFile, credentialsFile := callerid.SharedFilePaths(func(k string) string { return env[k] })
	fmt.Println(filepath.ToSlash(configFile))
	fmt.Println(filepath.ToSlash(credentialsFile))
	// Output:
	// /home/alice/.aws/config
	// /home/alice/keys/aws
}
