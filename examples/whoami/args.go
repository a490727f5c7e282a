package main

import (
	"regexp"
	"sort"
	"strings"
)

// whoami reads its command line as the AWS CLI does (Python's argparse,
// as awscli configures it): --name value or --name=value, in any order,
// any unambiguous prefix of a name (--out text), the last of a repeated
// option winning; an option that needs a value and is followed by another
// option or nothing is an error, as is a value outside an option's
// choices; whatever is not an option of whoami is collected and reported
// as "Unknown options: ...".

type optSpec struct {
	name     string
	hasValue bool
	choices  []string
	help     string
	metavar  string
}

// options are whoami's, the AWS CLI's global options that apply to
// get-caller-identity first, in the order the CLI registers them (which
// is the order in which an ambiguous prefix lists them).
var options = []optSpec{
	{name: "--debug", help: "on an error, print the detailed report of where credentials were looked for and what went wrong, instead of the AWS CLI's one-line message"},
	{name: "--endpoint-url", hasValue: true, metavar: "URL", help: "call this STS endpoint instead of the region's (plain http only to a loopback host)"},
	{name: "--output", hasValue: true, metavar: "FORMAT", choices: []string{"json", "text", "table"}, help: "output format: json, text or table (default: AWS_DEFAULT_OUTPUT, else the profile's output, else json)"},
	{name: "--query", hasValue: true, metavar: "EXPRESSION", help: "print this part of the answer: a field (Account), a list of fields ([Account, Arn]) or a hash of fields ({acct: Account, arn: Arn})"},
	{name: "--profile", hasValue: true, metavar: "NAME", help: "use this profile of the shared config and credentials files"},
	{name: "--region", hasValue: true, metavar: "REGION", help: "call the STS endpoint of this region"},
	{name: "--verbose", help: "as --debug, and on success also print on stderr where the credentials came from and what kind of principal the caller is"},
	{name: "--expect-account", hasValue: true, metavar: "ACCOUNT", help: "fail (exit 1, one line on stderr, nothing on stdout) unless the caller is in this 12-digit account"},
	{name: "--expect-role", hasValue: true, metavar: "ROLE", help: "fail (exit 1) unless the caller is a session of this IAM role: a name, or a role ARN"},
	{name: "--demo", help: "ask a fake STS started on loopback, with made-up keys (built in only with -tags demo)"},
	{name: "--help", help: "print this help and exit"},
}

const usageText = "whoami [--profile NAME] [--region REGION] [--endpoint-url URL]\n" +
	"              [--output json|text|table] [--query EXPRESSION]\n" +
	"              [--expect-account ACCOUNT] [--expect-role ROLE]\n" +
	"              [--debug | --verbose] [--demo] [--help]\n" +
	"To see help text, you can run:\n" +
	"\n" +
	"  whoami --help\n"

// helpText is what --help prints.
func helpText() string {
	var b strings.Builder
	b.WriteString("usage: " + usageText[:strings.Index(usageText, "To see")])
	b.WriteString("\nPrints who the AWS credentials it finds belong to, as `aws sts get-caller-identity` does.\n\noptions:\n")
	for _, o := range options {
		name := o.name
		if o.hasValue {
			name += " " + o.metavar
		}
		b.WriteString("  " + name + "\n      " + o.help + "\n")
	}
	b.WriteString("\nExit status: 0 on success, 1 when --expect-account or --expect-role does not hold,\n" +
		"2 for a malformed command line, 255 when the caller cannot be told, as the AWS CLI.\n")
	return b.String()
}

// args is a parsed command line: the value of each option given (the
// last one when repeated) and what was not an option of whoami.
type args struct {
	values  map[string]string
	unknown []string
}

func (a *args) has(name string) bool { _, ok := a.values[name]; return ok }

func (a *args) get(name string) string { return a.values[name] }

// A usageError is a command line argparse refuses: its message, printed
// after the usage as "whoami: error: MESSAGE", and exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

var negativeNumber = regexp.MustCompile(`^-\d+$|^-\d*\.\d+$`)

// argKind is how argparse sees an argument before consuming any.
type argKind struct {
	opt      *optSpec // the option it names, nil if none
	explicit *string  // the value after "=", if any
	optional bool     // it looks like an option (known or not)
}

// classify tells an option from a value, as argparse's _parse_optional
// does, resolving prefixes (an ambiguous one is an error).
func classify(arg string) (argKind, error) {
	if arg == "" || arg[0] != '-' || len(arg) == 1 {
		return argKind{}, nil
	}
	for i := range options {
		if options[i].name == arg {
			return argKind{opt: &options[i], optional: true}, nil
		}
	}
	if name, value, ok := strings.Cut(arg, "="); ok {
		for i := range options {
			if options[i].name == name {
				return argKind{opt: &options[i], explicit: &value, optional: true}, nil
			}
		}
	}
	if strings.HasPrefix(arg, "--") {
		prefix, value, hasValue := strings.Cut(arg, "=")
		var matches []*optSpec
		for i := range options {
			if strings.HasPrefix(options[i].name, prefix) {
				matches = append(matches, &options[i])
			}
		}
		if len(matches) > 1 {
			names := make([]string, len(matches))
			for i, m := range matches {
				names[i] = m.name
			}
			return argKind{}, &usageError{"ambiguous option: " + arg + " could match " + strings.Join(names, ", ")}
		}
		if len(matches) == 1 {
			k := argKind{opt: matches[0], optional: true}
			if hasValue {
				k.explicit = &value
			}
			return k, nil
		}
	}
	if negativeNumber.MatchString(arg) || strings.Contains(arg, " ") {
		return argKind{}, nil
	}
	return argKind{optional: true}, nil
}

// parseArgs reads a command line; an error is a *usageError. With --help
// it stops there and returns the options read so far and "--help".
func parseArgs(argv []string) (*args, error) {
	a := &args{values: map[string]string{}}
	kinds := make([]argKind, len(argv))
	end := len(argv) // the position of "--", if any
	for i, arg := range argv {
		if arg == "--" {
			end = i
			break
		}
		k, err := classify(arg)
		if err != nil {
			return nil, err
		}
		kinds[i] = k
	}
	for i := 0; i < end; i++ {
		k := kinds[i]
		switch {
		case k.opt == nil:
			a.unknown = append(a.unknown, argv[i])
			continue
		case !k.opt.hasValue:
			if k.explicit != nil {
				return nil, &usageError{"argument " + k.opt.name + ": ignored explicit argument " + pyQuote(*k.explicit)}
			}
			a.values[k.opt.name] = ""
			if k.opt.name == "--help" {
				return a, nil
			}
			continue
		}
		var v string
		if k.explicit != nil {
			v = *k.explicit
		} else {
			if i+1 >= end || kinds[i+1].optional {
				return nil, &usageError{"argument " + k.opt.name + ": expected one argument"}
			}
			i++
			v = argv[i]
		}
		if k.opt.choices != nil {
			if err := checkChoice(k.opt, v); err != nil {
				return nil, err
			}
		}
		a.values[k.opt.name] = v
	}
	if end < len(argv) {
		a.unknown = append(a.unknown, argv[end+1:]...)
	}
	return a, nil
}

// checkChoice is awscli's message for a value that is not one of an
// option's choices: the choices two per line, and the close ones.
func checkChoice(o *optSpec, v string) error {
	for _, c := range o.choices {
		if c == v {
			return nil
		}
	}
	lines := []string{"Invalid choice, valid choices are:\n"}
	for i := 0; i < len(o.choices); i += 2 {
		var cur []string
		for _, c := range o.choices[i:min(i+2, len(o.choices))] {
			cur = append(cur, c+spaces(40-len([]rune(c))))
		}
		lines = append(lines, strings.Join(cur, " | "))
	}
	if close := closeMatches(v, o.choices, 3, 0.8); len(close) > 0 {
		lines = append(lines, "\n\nInvalid choice: "+pyQuote(v)+", maybe you meant:\n")
		for _, c := range close {
			lines = append(lines, "  * "+c)
		}
	}
	return &usageError{"argument " + o.name + ": " + strings.Join(lines, "\n")}
}

// closeMatches is Python's difflib.get_close_matches: the possibilities
// at least cutoff similar to word, best first (and, among equals, the
// last in alphabetical order first), at most n of them.
func closeMatches(word string, possibilities []string, n int, cutoff float64) []string {
	type scored struct {
		score float64
		s     string
	}
	var found []scored
	b := []rune(word)
	for _, p := range possibilities {
		a := []rune(p)
		if r := matchRatio(a, b); r >= cutoff {
			found = append(found, scored{r, p})
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].score != found[j].score {
			return found[i].score > found[j].score
		}
		return found[i].s > found[j].s
	})
	var out []string
	for i := 0; i < len(found) && i < n; i++ {
		out = append(out, found[i].s)
	}
	return out
}

// matchRatio is difflib.SequenceMatcher(None, a, b).ratio(): twice the
// number of characters in the matching blocks over the total length.
func matchRatio(a, b []rune) float64 {
	if len(a)+len(b) == 0 {
		return 1
	}
	// b2j: where each character of b is, leaving out "popular" ones when b
	// is long, as SequenceMatcher's autojunk does.
	b2j := map[rune][]int{}
	for j, c := range b {
		b2j[c] = append(b2j[c], j)
	}
	if len(b) >= 200 {
		limit := len(b)/100 + 1
		for c, js := range b2j {
			if len(js) > limit {
				delete(b2j, c)
			}
		}
	}
	longest := func(alo, ahi, blo, bhi int) (int, int, int) {
		besti, bestj, bestk := alo, blo, 0
		j2len := map[int]int{}
		for i := alo; i < ahi; i++ {
			next := map[int]int{}
			for _, j := range b2j[a[i]] {
				if j < blo {
					continue
				}
				if j >= bhi {
					break
				}
				k := j2len[j-1] + 1
				next[j] = k
				if k > bestk {
					besti, bestj, bestk = i-k+1, j-k+1, k
				}
			}
			j2len = next
		}
		// Popular characters are not junk: extend the match over them.
		for besti > alo && bestj > blo && a[besti-1] == b[bestj-1] {
			besti, bestj, bestk = besti-1, bestj-1, bestk+1
		}
		for besti+bestk < ahi && bestj+bestk < bhi && a[besti+bestk] == b[bestj+bestk] {
			bestk++
		}
		return besti, bestj, bestk
	}
	matches := 0
	queue := [][4]int{{0, len(a), 0, len(b)}}
	for len(queue) > 0 {
		q := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		i, j, k := longest(q[0], q[1], q[2], q[3])
		if k == 0 {
			continue
		}
		matches += k
		if q[0] < i && q[2] < j {
			queue = append(queue, [4]int{q[0], i, q[2], j})
		}
		if i+k < q[1] && j+k < q[3] {
			queue = append(queue, [4]int{i + k, q[1], j + k, q[3]})
		}
	}
	return 2 * float64(matches) / float64(len(a)+len(b))
}
