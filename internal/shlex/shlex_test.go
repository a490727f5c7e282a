package shlex

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The expectations are what Python's shlex.split, which the AWS CLI uses
// to split credential_process on Linux and macOS, returns.
func TestSplitCommand(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr error
	}{
		{in: `/opt/bin/creds --user helen`, want: []string{"/opt/bin/creds", "--user", "helen"}},
		{in: `"/opt/my tools/creds" --name "a b"`, want: []string{"/opt/my tools/creds", "--name", "a b"}},
		{in: `creds 'single $HOME \n' x`, want: []string{"creds", `single $HOME \n`, "x"}},
		{in: `creds "dq \"esc\" \\ \n \$ end"`, want: []string{"creds", `dq "esc" \ \n \$ end`}},
		{in: `a\ b c\"d`, want: []string{"a b", `c"d`}},
		{in: `a"b c"d`, want: []string{"ab cd"}},
		{in: `a '' "" b`, want: []string{"a", "", "", "b"}},
		{in: "  lead  and   trail  ", want: []string{"lead", "and", "trail"}},
		{in: "tab\tsep\nnl\rcr", want: []string{"tab", "sep", "nl", "cr"}},
		{in: "x # not a comment", want: []string{"x", "#", "not", "a", "comment"}},
		{in: `mix'ed'"quo"tes`, want: []string{"mixedquotes"}},
		{in: `back\\slash`, want: []string{`back\slash`}},
		{in: "café €", want: []string{"café", "€"}},
		{in: "a\\\nb", want: []string{"a\nb"}},
		{in: "", want: nil},
		{in: "   ", want: nil},
		{in: `unclosed "quote`, wantErr: ErrNoClosingQuote},
		{in: `unclosed 'single`, wantErr: ErrNoClosingQuote},
		{in: `trailing\`, wantErr: ErrNoEscapedChar},
		{in: `"ends in backslash\`, wantErr: ErrNoEscapedChar},
	}
	for _, tt := range tests {
		got, err := Split(tt.in)
		if err != tt.wantErr {
			t.Errorf("Split(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Split(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
