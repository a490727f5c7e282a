package shlex

import (
	"strings"
	"testing"
)

func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		`/opt/bin/creds --user helen`, `"/opt/my tools/creds" --name "a b"`, `a\ b c\"d`,
		`a '' "" b`, `creds "dq \"esc\" \\ \n"`, `unclosed "quote`, `trailing\`, "tab\tsep\nnl",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args, err := Split(s)
		if err != nil {
			return
		}
		// Quoting each argument POSIX-style and splitting again gives the
		// same arguments back.
		quoted := make([]string, len(args))
		for i, a := range args {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		again, err := Split(strings.Join(quoted, " "))
		if err != nil {
			t.Fatalf("splitting the re-quoted %q: %v", args, err)
		}
		if len(again) != len(args) {
			t.Fatalf("%q re-split as %q", args, again)
		}
		for i := range args {
			if again[i] != args[i] {
				t.Fatalf("%q re-split as %q", args, again)
			}
		}
	})
}
