package main

import "strings"

// whoami's --query understands the JMESPath that people write against
// get-caller-identity, and answers exactly as the AWS CLI does for it:
//
//	Account                     a field (any name; one STS does not send is null)
//	[Account, Arn]              a multiselect list of fields
//	{acct: Account, arn: Arn}   a multiselect hash of fields
//
// Field names may be quoted ("Account"), as JMESPath allows. Any other
// valid JMESPath is refused with a message that says what is supported,
// and an invalid expression with the AWS CLI's own message (jmespath.go).

// A query is a compiled --query expression.
type query struct {
	// fields are the fields it selects, in order.
	fields []string
	// keys are the keys of a multiselect hash, one per field; nil for a
	// field or a multiselect list.
	keys []string
	// list is set for a multiselect list.
	list bool
}

// supportedQueries says what whoami's --query takes, for its error.
const supportedQueries = "whoami's --query takes a field (Account, Arn or UserId), " +
	"a list of fields ([Account, Arn]) or a hash of fields ({acct: Account, arn: Arn})"

// compileQuery compiles expr, or returns the error to print after
// "Bad value for --query EXPR: ".
func compileQuery(expr string) (*query, error) {
	n, err := parseJMESPath(expr)
	if err != nil {
		return nil, err
	}
	switch n.kind {
	case "field":
		return &query{fields: []string{n.name}}, nil
	case "multi_select_list":
		q := &query{list: true}
		for _, c := range n.children {
			if c.kind != "field" {
				return nil, unsupported(c)
			}
			q.fields = append(q.fields, c.name)
		}
		return q, nil
	case "multi_select_dict":
		q := &query{keys: []string{}}
		for _, kv := range n.children {
			c := kv.children[0]
			if c.kind != "field" {
				return nil, unsupported(c)
			}
			q.keys = append(q.keys, kv.name)
			q.fields = append(q.fields, c.name)
		}
		return q, nil
	}
	return nil, unsupported(n)
}

// unsupported is the error for a valid expression whoami does not
// evaluate, naming what n is.
func unsupported(n *node) error {
	what := map[string]string{
		"subexpression":       "a subexpression (a.b)",
		"index_expression":    "an index ([0])",
		"projection":          "a projection ([*], [], [:])",
		"value_projection":    "a projection (*)",
		"filter_projection":   "a filter ([?...])",
		"pipe":                "a pipe (|)",
		"or_expression":       "an or (||)",
		"and_expression":      "an and (&&)",
		"not_expression":      "a not (!)",
		"comparator":          "a comparison",
		"function_expression": "a function (" + n.name + "())",
		"literal":             "a literal",
		"current":             "the current node (@)",
		"expref":              "an expression reference (&)",
		"multi_select_list":   "a list inside a list or hash",
		"multi_select_dict":   "a hash inside a list or hash",
	}[n.kind]
	if what == "" {
		what = "a " + strings.ReplaceAll(n.kind, "_", " ")
	}
	return &queryError{"valid JMESPath, but it uses " + what + ", which whoami does not evaluate; " + supportedQueries}
}

// A value is what a query yields: null, a string, a list of them, or a
// hash of them with keys in the order the query gives them.
type value struct {
	null  bool
	str   string
	list  []value
	keys  []string // set for a hash
	isSeq bool     // set for a list
}

// response is the GetCallerIdentity answer as the AWS CLI holds it.
type response struct {
	UserID, Account, ARN string
}

// field returns the field name of r, or null for any other name: names
// are case-sensitive, as in JMESPath.
func (r response) field(name string) value {
	switch name {
	case "UserId":
		return value{str: r.UserID}
	case "Account":
		return value{str: r.Account}
	case "Arn":
		return value{str: r.ARN}
	}
	return value{null: true}
}

// whole is the response as a value: a hash in the order of the API's
// output shape, which is how the AWS CLI prints it without --query.
func (r response) whole() value {
	return value{keys: []string{"UserId", "Account", "Arn"}, list: []value{r.field("UserId"), r.field("Account"), r.field("Arn")}}
}

// search evaluates q on r; a nil q yields the whole response.
func (q *query) search(r response) value {
	switch {
	case q == nil:
		return r.whole()
	case q.list:
		v := value{isSeq: true}
		for _, f := range q.fields {
			v.list = append(v.list, r.field(f))
		}
		return v
	case q.keys != nil:
		// A repeated key keeps its first place and its last value, as in
		// the Python dict jmespath builds.
		v := value{keys: []string{}}
		at := map[string]int{}
		for i, k := range q.keys {
			if j, ok := at[k]; ok {
				v.list[j] = r.field(q.fields[i])
				continue
			}
			at[k] = len(v.keys)
			v.keys = append(v.keys, k)
			v.list = append(v.list, r.field(q.fields[i]))
		}
		return v
	}
	return r.field(q.fields[0])
}

func (v value) isHash() bool { return v.keys != nil }
