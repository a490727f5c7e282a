package main

import (
	"errors"
	"math/rand"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var testResponse = response{UserID: "AIDACKCEVSQ6C2EXAMPLE", Account: "123456789012", ARN: "arn:aws:iam::123456789012:user/Alice"}

func TestCompileQuery(t *testing.T) {
	tests := []struct {
		expr string
		want string // formatJSON of the result
	}{
		{"Account", "\"123456789012\"\n"},
		{" Arn\t", "\"arn:aws:iam::123456789012:user/Alice\"\n"},
		{`"UserId"`, "\"AIDACKCEVSQ6C2EXAMPLE\"\n"},
		{"account", "null\n"},
		{"[Account, Arn]", "[\n    \"123456789012\",\n    \"arn:aws:iam::123456789012:user/Alice\"\n]\n"},
		{"[Nope]", "[\n    null\n]\n"},
		{"{acct: Account, arn: Arn}", "{\n    \"acct\": \"123456789012\",\n    \"arn\": \"arn:aws:iam::123456789012:user/Alice\"\n}\n"},
		{`{"my key": Account, b: Nope}`, "{\n    \"my key\": \"123456789012\",\n    \"b\": null\n}\n"},
		// jmespath keeps a repeated key's first place and last value,
		// and reads a key right after a value, without a comma.
		{"{a: Account, b: Arn, a: UserId}", "{\n    \"a\": \"AIDACKCEVSQ6C2EXAMPLE\",\n    \"b\": \"arn:aws:iam::123456789012:user/Alice\"\n}\n"},
		{"{a: Account b: Arn}", "{\n    \"a\": \"123456789012\",\n    \"b\": \"arn:aws:iam::123456789012:user/Alice\"\n}\n"},
	}
	for _, tt := range tests {
		q, err := compileQuery(tt.expr)
		if err != nil {
			t.Errorf("compileQuery(%q): %v", tt.expr, err)
			continue
		}
		if got := formatJSON(q.search(testResponse)); got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.expr, got, tt.want)
		}
	}
}

func TestCompileQueryErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"", "Invalid JMESPath expression: cannot be empty."},
		{"Account[", "Invalid jmespath expression: Incomplete expression:\n\"Account[\"\n         ^"},
		{"Account,Arn", "Unexpected token: ,: Parse error at column 7, token \",\" (COMMA), for expression:\n\"Account,Arn\"\n        ^"},
		{"{Account}", "Expecting: colon, got: rbrace: Parse error at column 8, token \"}\" (RBRACE), for expression:\n\"{Account}\"\n         ^"},
		{"Acc$ount", "Bad jmespath expression: Unknown token $:\nAcc$ount\n   ^"},
		{"Account.foo", "valid JMESPath, but it uses a subexpression (a.b), which whoami does not evaluate; " + supportedQueries},
		{"length(Arn)", "valid JMESPath, but it uses a function (length()), which whoami does not evaluate; " + supportedQueries},
		{"[Account, [Arn]]", "valid JMESPath, but it uses a list inside a list or hash, which whoami does not evaluate; " + supportedQueries},
	}
	for _, tt := range tests {
		_, err := compileQuery(tt.expr)
		var qe *queryError
		if !errors.As(err, &qe) || err.Error() != tt.want {
			t.Errorf("compileQuery(%q) = %v\nwant %q", tt.expr, err, tt.want)
		}
	}
}

// queryPieces are what the generated expressions are made of: the
// tokens of JMESPath, well and badly formed.
var queryPieces = []string{
	"Account", "Arn", "UserId", "a", "b1", `"Account"`, `"my key"`, `"a\qb"`, `"\u00e9"`, `"\ud83d\ude00"`, `"\uZZZZ"`, `"x`, `"a\"b"`,
	"[", "]", "{", "}", ",", ":", ".", "*", "|", "||", "&", "&&", "@", "(", ")", "!", "!=", "==", "=", "<", "<=", ">", ">=",
	"[?", "[]", "0", "1", "42", "-1", "-", "'lit'", `'it\'s'`, "`1`", "`1.5e20`", "`{\"a\": [1, 2.50, true, null, \"q'\"]}`", "`foo`", "`\"x`", "`[1,`",
	"$", "#", " ", "é", "\t", "length", "`", "'",
}

// generatedQueries returns n expressions of up to 8 pieces, always the
// same ones.
func generatedQueries(n int) []string {
	r := rand.New(rand.NewSource(12))
	out := make([]string, 0, n)
	for len(out) < n {
		var b strings.Builder
		for k := 1 + r.Intn(8); k > 0; k-- {
			b.WriteString(queryPieces[r.Intn(len(queryPieces))])
		}
		out = append(out, b.String())
	}
	return out
}

// handwrittenQueries are what people type, right and wrong.
var handwrittenQueries = []string{
	"", " ", "Account", "account", "Account Arn", "Account,Arn", "[Account Arn]", "[Account, Arn", "[Account, Arn]", "[Account,]",
	"[,]", "[ ]", "[]", "{}", "{Account}", "{a: Account", "{a: Account,}", "{a:}", "{:a}", "{1: a}", "{a Account}",
	"{acct: Account, arn: Arn}", `{"acct": Account}`, "'Account'", "Account]", "Account[0]", "Account.foo", "Account | Arn",
	"[1]", "1", "-", "-1", "a-b", "\"Account", "Acc$ount", "&", "a.", "a.[]", "a.(", "f(a b)", `"f"(a)`, "[a](b)", "a[1 2]", "a[1:2 3]",
	"a[::1:]", "a[:", "a[?b]", "a[?b", "!a", "a !", "a {", "a *", "@", "@.Arn", "Arn.length(@)", "`1` a", "a `{\"k\": 1.0}`",
	"a '\\'x'", "`NaN` a", "`-Infinity` a", "`1e16` a", "`1e15` a", "`0.0001` a", "`0.00001` a", "`-0` a", "`007`", "`\"\\u00e9\"` a",
}

// TestQueryMatchesJMESPath compares whoami's reading of thousands of
// expressions with the AWS CLI's jmespath: the same error message for
// every invalid one, and for a valid one either the same answer or
// whoami's refusal.
func TestQueryMatchesJMESPath(t *testing.T) {
	exprs := append(append([]string(nil), handwrittenQueries...), generatedQueries(6000)...)
	const script = `
import json, sys, jmespath
resp = {"UserId": "AIDACKCEVSQ6C2EXAMPLE", "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/Alice"}
out = []
for e in json.load(sys.stdin):
    try:
        c = jmespath.compile(e)
    except Exception as x:
        out.append({"Err": str(x)})
        continue
    r = {"Kind": c.parsed["type"]}
    try:
        r["Result"] = json.dumps(c.search(resp), indent=4, ensure_ascii=False) + "\n"
    except Exception as x:
        r["SearchErr"] = type(x).__name__
    out.append(r)
json.dump(out, sys.stdout)
`
	var want []struct {
		Err, Kind, Result, SearchErr string
	}
	oracle(t, script, exprs, &want)
	if len(want) != len(exprs) {
		t.Fatalf("oracle answered %d of %d", len(want), len(exprs))
	}
	supported, refused, invalid := 0, 0, 0
	for i, e := range exprs {
		w := want[i]
		n, err := parseJMESPath(e)
		if w.Err != "" {
			invalid++
			if err == nil {
				t.Errorf("%q: whoami parses it (as %s), jmespath says:\n%s", e, n.kind, w.Err)
			} else if err.Error() != w.Err {
				t.Errorf("%q:\n%s", e, cmp.Diff(w.Err, err.Error()))
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: jmespath parses it (as %s), whoami says:\n%s", e, w.Kind, err)
			continue
		}
		if n.kind != w.Kind {
			t.Errorf("%q: whoami parses it as %s, jmespath as %s", e, n.kind, w.Kind)
		}
		q, err := compileQuery(e)
		if err != nil {
			refused++
			if !strings.Contains(err.Error(), supportedQueries) {
				t.Errorf("%q: refused without saying what is supported: %v", e, err)
			}
			continue
		}
		supported++
		if got := formatJSON(q.search(testResponse)); got != w.Result {
			t.Errorf("%q: whoami answers\n%s\njmespath\n%s", e, got, w.Result)
		}
	}
	t.Logf("%d expressions: %d invalid, %d refused, %d answered", len(exprs), invalid, refused, supported)
	if supported < 10 || refused < 100 || invalid < 1000 {
		t.Errorf("the corpus does not exercise all three outcomes enough")
	}
}

// FuzzQuery: no input makes the parser panic or hang, an accepted query
// answers, and an error is a *queryError.
func FuzzQuery(f *testing.F) {
	for _, e := range handwrittenQueries {
		f.Add(e)
	}
	for _, e := range generatedQueries(50) {
		f.Add(e)
	}
	f.Add(strings.Repeat("[", 300) + "a" + strings.Repeat("]", 300))
	f.Add(strings.Repeat("{a:", 300))
	f.Add("\xff\xfe" + `"\ud800"`)
	f.Fuzz(func(t *testing.T, expr string) {
		q, err := compileQuery(expr)
		if err != nil {
			var qe *queryError
			if !errors.As(err, &qe) {
				t.Fatalf("compileQuery(%q) = %T %v, want a *queryError", expr, err, err)
			}
			return
		}
		v := q.search(testResponse)
		for _, out := range []string{formatJSON(v), formatText(v), formatTable(v, 80)} {
			if strings.Contains(out, "\x00") && !strings.Contains(expr, "\x00") {
				t.Fatalf("output of %q has a NUL", expr)
			}
		}
	})
}
