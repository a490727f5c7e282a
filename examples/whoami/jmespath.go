package main

import (
	"strconv"
	"strings"
)

// This file reads --query expressions as JMESPath, the language of the
// AWS CLI's --query, well enough to tell a valid expression from an
// invalid one and to report an invalid one with the very message the AWS
// CLI (its jmespath 1.x package) gives: the whole grammar is parsed, so
// "Account[" is an "Incomplete expression" and "Account Arn" an
// "Unexpected token", with the same column and caret. Only the part of
// the language that query.go evaluates needs to be understood beyond
// that; the rest is parsed to be refused.

// Positions in JMESPath's messages count characters (code points), not
// bytes: the lexer works on runes.

// A token is one lexeme of an expression.
type token struct {
	typ   string // the jmespath token type, e.g. "unquoted_identifier"
	text  string // the token's value as jmespath's messages print it
	name  string // the identifier, for unquoted and quoted identifiers
	start int    // its position, in characters
}

// bindingPower is how strongly each token binds to the expression on its
// left, as in JMESPath's Pratt parser; tokens of power 0 end an
// expression and those below projectionStop end a projection.
var bindingPower = map[string]int{
	"eof": 0, "unquoted_identifier": 0, "quoted_identifier": 0, "literal": 0,
	"rbracket": 0, "rparen": 0, "comma": 0, "rbrace": 0, "number": 0,
	"current": 0, "expref": 0, "colon": 0, "pipe": 1, "or": 2, "and": 3,
	"eq": 5, "gt": 5, "lt": 5, "gte": 5, "lte": 5, "ne": 5, "flatten": 9,
	"star": 20, "filter": 21, "dot": 40, "not": 45, "lbrace": 50, "lbracket": 55, "lparen": 60,
}

const projectionStop = 10

// A node is a parsed expression: its kind (jmespath's AST node types:
// "field", "multi_select_list", "multi_select_dict", "key_val_pair",
// "subexpression", "projection", "function_expression", ...), the field
// name or key of "field" and "key_val_pair", and its children.
type node struct {
	kind     string
	name     string
	children []*node
}

// A queryError is an expression the AWS CLI refuses to compile, with the
// message its jmespath gives. Error returns that message.
type queryError struct{ msg string }

func (e *queryError) Error() string { return e.msg }

func lexerError(expr []rune, pos int, msg string) *queryError {
	return &queryError{"Bad jmespath expression: " + msg + ":\n" + string(expr) + "\n" + strings.Repeat(" ", pos) + "^"}
}

func parseError(expr []rune, tok token, msg string) *queryError {
	return &queryError{msg + ": Parse error at column " + strconv.Itoa(tok.start) +
		", token \"" + tok.text + "\" (" + strings.ToUpper(tok.typ) + "), for expression:\n\"" +
		string(expr) + "\"\n" + strings.Repeat(" ", tok.start+1) + "^"}
}

func incompleteError(expr []rune) *queryError {
	return &queryError{"Invalid jmespath expression: Incomplete expression:\n\"" + string(expr) + "\"\n" +
		strings.Repeat(" ", len(expr)+1) + "^"}
}

// maxQueryLength bounds an expression: a command line's argument is
// bounded anyway, and the parser recurses once per nesting level.
const maxQueryLength = 16 << 10

// parseJMESPath parses expr as the AWS CLI's jmespath does, returning its
// tree or a *queryError with the CLI's message.
func parseJMESPath(expr string) (*node, error) {
	if expr == "" {
		return nil, &queryError{"Invalid JMESPath expression: cannot be empty."}
	}
	if len(expr) > maxQueryLength {
		return nil, &queryError{"expression is longer than " + strconv.Itoa(maxQueryLength>>10) + " KiB"}
	}
	// A byte that is not UTF-8 becomes one U+FFFD, so that positions
	// still count one character for it, as Python's do.
	runes := []rune(expr)
	toks, lexErr := lexJMESPath(runes)
	if lexErr != nil {
		return nil, lexErr
	}
	p := &parser{expr: runes, toks: toks}
	n, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	if t := p.cur(); t.typ != "eof" {
		return nil, parseError(runes, t, "Unexpected token: "+t.text)
	}
	return n, nil
}

// lexJMESPath splits an expression into tokens, ending with "eof".
func lexJMESPath(s []rune) ([]token, *queryError) {
	var toks []token
	simple := map[rune]string{
		'.': "dot", '*': "star", ']': "rbracket", ',': "comma", ':': "colon",
		'@': "current", '(': "lparen", ')': "rparen", '{': "lbrace", '}': "rbrace",
	}
	at := func(i int) rune {
		if i < len(s) {
			return s[i]
		}
		return -1
	}
	// orElse lexes a one-character token that is another when followed by
	// next: "|" and "||", "&" and "&&", "<" and "<=", ...
	orElse := func(i int, next rune, two, one string) (token, int) {
		if at(i+1) == next {
			return token{typ: two, text: string(s[i : i+2]), start: i}, i + 2
		}
		return token{typ: one, text: string(s[i]), start: i}, i + 1
	}
	for i := 0; i < len(s); {
		c := s[i]
		if typ, ok := simple[c]; ok {
			toks = append(toks, token{typ: typ, text: string(c), start: i})
			i++
			continue
		}
		var t token
		switch {
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && isIdentChar(s[j]) {
				j++
			}
			t, i = token{typ: "unquoted_identifier", text: string(s[i:j]), name: string(s[i:j]), start: i}, j
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '[':
			switch at(i + 1) {
			case ']':
				t, i = token{typ: "flatten", text: "[]", start: i}, i+2
			case '?':
				t, i = token{typ: "filter", text: "[?", start: i}, i+2
			default:
				t, i = token{typ: "lbracket", text: "[", start: i}, i+1
			}
		case c == '\'':
			body, end, err := consumeUntil(s, i, '\'')
			if err != nil {
				return nil, err
			}
			t, i = token{typ: "literal", text: strings.ReplaceAll(body, `\'`, `'`), start: i}, end
		case c == '|':
			t, i = orElse(i, '|', "or", "pipe")
		case c == '&':
			t, i = orElse(i, '&', "and", "expref")
		case c == '`':
			body, end, err := consumeUntil(s, i, '`')
			if err != nil {
				return nil, err
			}
			body = strings.ReplaceAll(body, "\\`", "`")
			v, ok := parsePyJSON(body)
			if !ok {
				if v, ok = parsePyJSON(`"` + strings.TrimLeftFunc(body, isPySpace) + `"`); !ok {
					return nil, lexerError(s, i, "Bad token "+body)
				}
			}
			t, i = token{typ: "literal", text: pyStr(v), start: i}, end
		case '0' <= c && c <= '9':
			j := i + 1
			for j < len(s) && '0' <= s[j] && s[j] <= '9' {
				j++
			}
			t, i = token{typ: "number", text: pyInt(string(s[i:j])), start: i}, j
		case c == '-':
			j := i + 1
			for j < len(s) && '0' <= s[j] && s[j] <= '9' {
				j++
			}
			if j == i+1 {
				return nil, lexerError(s, i, "Unknown token '-'")
			}
			t, i = token{typ: "number", text: pyInt(string(s[i:j])), start: i}, j
		case c == '"':
			body, end, err := consumeUntil(s, i, '"')
			if err != nil {
				return nil, err
			}
			lexeme := `"` + body + `"`
			name, why := decodePyJSONString(lexeme)
			if why != "" {
				return nil, lexerError(s, i, why)
			}
			t, i = token{typ: "quoted_identifier", text: name, name: name, start: i}, end
		case c == '<':
			t, i = orElse(i, '=', "lte", "lt")
		case c == '>':
			t, i = orElse(i, '=', "gte", "gt")
		case c == '!':
			t, i = orElse(i, '=', "ne", "not")
		case c == '=':
			if at(i+1) != '=' {
				return nil, lexerError(s, i, "Unknown token '='")
			}
			t, i = token{typ: "eq", text: "==", start: i}, i+2
		default:
			return nil, lexerError(s, i, "Unknown token "+string(c))
		}
		toks = append(toks, t)
	}
	return append(toks, token{typ: "eof", start: len(s)}), nil
}

func isIdentStart(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

func isIdentChar(c rune) bool { return isIdentStart(c) || '0' <= c && c <= '9' }

// consumeUntil reads a delimited lexeme that starts at s[start] (the
// opening delimiter) and returns what is between the delimiters, with
// backslashes kept (a backslash escapes the character after it), and the
// position after the closing delimiter.
func consumeUntil(s []rune, start int, delim rune) (string, int, *queryError) {
	var b strings.Builder
	i := start + 1
	for {
		if i < len(s) && s[i] == delim {
			return b.String(), i + 1, nil
		}
		if i < len(s) && s[i] == '\\' {
			b.WriteRune('\\')
			i++
		}
		if i >= len(s) {
			return "", 0, lexerError(s, start, "Unclosed "+string(delim)+" delimiter")
		}
		b.WriteRune(s[i])
		i++
	}
}

// parser is a top-down operator precedence parser over the tokens of one
// expression, with jmespath's rules and error messages.
type parser struct {
	expr  []rune
	toks  []token
	i     int
	depth int
}

func (p *parser) cur() token { return p.toks[p.i] }

// peek returns the type of the token n after the current one ("eof" past
// the end).
func (p *parser) peek(n int) string {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n].typ
	}
	return "eof"
}

func (p *parser) advance() { p.i++ }

// match consumes a token of type typ, or fails as jmespath does: an
// incomplete expression at the end, "Expecting: typ, got: ..." elsewhere.
func (p *parser) match(typ string) error {
	if p.cur().typ == typ {
		p.advance()
		return nil
	}
	return p.expected(typ)
}

func (p *parser) expected(what string) error {
	t := p.cur()
	if t.typ == "eof" {
		return incompleteError(p.expr)
	}
	return parseError(p.expr, t, "Expecting: "+what+", got: "+t.typ)
}

// maxDepth bounds the nesting of expressions, and so the parser's
// recursion: every recursive path goes through expression.
const maxDepth = 250

func (p *parser) expression(bp int) (*node, error) {
	if p.depth++; p.depth > maxDepth {
		return nil, &queryError{"expression is nested more than " + strconv.Itoa(maxDepth) + " levels deep"}
	}
	defer func() { p.depth-- }()
	t := p.cur()
	p.advance()
	left, err := p.nud(t)
	if err != nil {
		return nil, err
	}
	for bp < bindingPower[p.cur().typ] {
		t := p.cur()
		if !hasLed(t.typ) {
			return nil, parseError(p.expr, t, "invalid token")
		}
		p.advance()
		if left, err = p.led(t, left); err != nil {
			return nil, err
		}
	}
	return left, nil
}

func hasLed(typ string) bool {
	switch typ {
	case "dot", "pipe", "or", "and", "lparen", "filter", "eq", "ne", "gt", "gte", "lt", "lte", "flatten", "lbracket":
		return true
	}
	return false
}

func leaf(kind string) *node { return &node{kind: kind} }

func branch(kind string, children ...*node) *node { return &node{kind: kind, children: children} }

// nud parses what an expression that starts with t is.
func (p *parser) nud(t token) (*node, error) {
	switch t.typ {
	case "literal":
		return leaf("literal"), nil
	case "unquoted_identifier":
		return &node{kind: "field", name: t.name}, nil
	case "quoted_identifier":
		if p.cur().typ == "lparen" {
			l := p.cur()
			l.start = 0 // jmespath reports this one at column 0
			return nil, parseError(p.expr, l, "Quoted identifier not allowed for function names.")
		}
		return &node{kind: "field", name: t.name}, nil
	case "star":
		right := leaf("identity")
		if p.cur().typ != "rbracket" {
			var err error
			if right, err = p.projectionRHS(bindingPower["star"]); err != nil {
				return nil, err
			}
		}
		return branch("value_projection", leaf("identity"), right), nil
	case "filter":
		return p.filter(leaf("identity"))
	case "lbrace":
		return p.multiSelectHash()
	case "lparen":
		n, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		return n, p.match("rparen")
	case "flatten":
		right, err := p.projectionRHS(bindingPower["flatten"])
		if err != nil {
			return nil, err
		}
		return branch("projection", branch("flatten", leaf("identity")), right), nil
	case "not":
		n, err := p.expression(bindingPower["not"])
		if err != nil {
			return nil, err
		}
		return branch("not_expression", n), nil
	case "lbracket":
		switch {
		case p.cur().typ == "number" || p.cur().typ == "colon":
			right, err := p.indexExpression()
			if err != nil {
				return nil, err
			}
			return p.projectIfSlice(leaf("identity"), right)
		case p.cur().typ == "star" && p.peek(1) == "rbracket":
			p.advance()
			p.advance()
			right, err := p.projectionRHS(bindingPower["star"])
			if err != nil {
				return nil, err
			}
			return branch("projection", leaf("identity"), right), nil
		}
		return p.multiSelectList()
	case "current":
		return leaf("current"), nil
	case "expref":
		n, err := p.expression(bindingPower["expref"])
		if err != nil {
			return nil, err
		}
		return branch("expref", n), nil
	case "eof":
		return nil, incompleteError(p.expr)
	}
	return nil, parseError(p.expr, t, "invalid token")
}

// led parses what t, which follows the expression left, makes of it.
func (p *parser) led(t token, left *node) (*node, error) {
	switch t.typ {
	case "dot":
		if p.cur().typ != "star" {
			right, err := p.dotRHS(bindingPower["dot"])
			if err != nil {
				return nil, err
			}
			return branch("subexpression", left, right), nil
		}
		p.advance()
		right, err := p.projectionRHS(bindingPower["dot"])
		if err != nil {
			return nil, err
		}
		return branch("value_projection", left, right), nil
	case "pipe", "or", "and", "eq", "ne", "gt", "gte", "lt", "lte":
		right, err := p.expression(bindingPower[t.typ])
		if err != nil {
			return nil, err
		}
		kind := map[string]string{"pipe": "pipe", "or": "or_expression", "and": "and_expression"}[t.typ]
		if kind == "" {
			kind = "comparator"
		}
		return branch(kind, left, right), nil
	case "lparen":
		if left.kind != "field" {
			prev := p.toks[p.i-2]
			return nil, parseError(p.expr, prev, "Invalid function name '"+prev.text+"'")
		}
		fn := &node{kind: "function_expression", name: left.name}
		for p.cur().typ != "rparen" {
			arg, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			if p.cur().typ == "comma" {
				if err := p.match("comma"); err != nil {
					return nil, err
				}
			}
			fn.children = append(fn.children, arg)
		}
		return fn, p.match("rparen")
	case "filter":
		return p.filter(left)
	case "flatten":
		right, err := p.projectionRHS(bindingPower["flatten"])
		if err != nil {
			return nil, err
		}
		return branch("projection", branch("flatten", left), right), nil
	case "lbracket":
		if typ := p.cur().typ; typ == "number" || typ == "colon" {
			right, err := p.indexExpression()
			if err != nil {
				return nil, err
			}
			if left.kind == "index_expression" {
				left.children = append(left.children, right)
				return left, nil
			}
			return p.projectIfSlice(left, right)
		}
		if err := p.match("star"); err != nil {
			return nil, err
		}
		if err := p.match("rbracket"); err != nil {
			return nil, err
		}
		right, err := p.projectionRHS(bindingPower["star"])
		if err != nil {
			return nil, err
		}
		return branch("projection", left, right), nil
	}
	return nil, parseError(p.expr, t, "invalid token")
}

func (p *parser) filter(left *node) (*node, error) {
	cond, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	if err := p.match("rbracket"); err != nil {
		return nil, err
	}
	right := leaf("identity")
	if p.cur().typ != "flatten" {
		if right, err = p.projectionRHS(bindingPower["filter"]); err != nil {
			return nil, err
		}
	}
	return branch("filter_projection", left, right, cond), nil
}

// indexExpression parses [NUMBER] or a slice [START:STOP:STEP], the "["
// consumed.
func (p *parser) indexExpression() (*node, error) {
	if p.peek(0) == "colon" || p.peek(1) == "colon" {
		return p.sliceExpression()
	}
	p.advance() // the number
	return leaf("index"), p.match("rbracket")
}

func (p *parser) sliceExpression() (*node, error) {
	colons := 0
	for p.cur().typ != "rbracket" {
		switch p.cur().typ {
		case "colon":
			colons++
			if colons == 3 {
				return nil, parseError(p.expr, p.cur(), "syntax error")
			}
			p.advance()
		case "number":
			p.advance()
		default:
			return nil, parseError(p.expr, p.cur(), "syntax error")
		}
	}
	return leaf("slice"), p.match("rbracket")
}

func (p *parser) projectIfSlice(left, right *node) (*node, error) {
	index := branch("index_expression", left, right)
	if right.kind != "slice" {
		return index, nil
	}
	rhs, err := p.projectionRHS(bindingPower["star"])
	if err != nil {
		return nil, err
	}
	return branch("projection", index, rhs), nil
}

func (p *parser) multiSelectList() (*node, error) {
	list := &node{kind: "multi_select_list"}
	for {
		n, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		list.children = append(list.children, n)
		if p.cur().typ == "rbracket" {
			break
		}
		if err := p.match("comma"); err != nil {
			return nil, err
		}
	}
	return list, p.match("rbracket")
}

func (p *parser) multiSelectHash() (*node, error) {
	hash := &node{kind: "multi_select_dict"}
	for {
		key := p.cur()
		if key.typ != "quoted_identifier" && key.typ != "unquoted_identifier" {
			return nil, p.expected("['quoted_identifier', 'unquoted_identifier']")
		}
		p.advance()
		if err := p.match("colon"); err != nil {
			return nil, err
		}
		value, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		hash.children = append(hash.children, &node{kind: "key_val_pair", name: key.name, children: []*node{value}})
		switch p.cur().typ {
		case "comma":
			p.advance()
		case "rbrace":
			p.advance()
			return hash, nil
		}
		// Anything else: jmespath reads the next key right away.
	}
}

func (p *parser) projectionRHS(bp int) (*node, error) {
	switch t := p.cur(); {
	case bindingPower[t.typ] < projectionStop:
		return leaf("identity"), nil
	case t.typ == "lbracket", t.typ == "filter":
		return p.expression(bp)
	case t.typ == "dot":
		p.advance()
		return p.dotRHS(bp)
	default:
		return nil, parseError(p.expr, t, "syntax error")
	}
}

func (p *parser) dotRHS(bp int) (*node, error) {
	switch t := p.cur(); t.typ {
	case "quoted_identifier", "unquoted_identifier", "star":
		return p.expression(bp)
	case "lbracket":
		p.advance()
		return p.multiSelectList()
	case "lbrace":
		p.advance()
		return p.multiSelectHash()
	default:
		return nil, parseError(p.expr, t, "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: "+t.typ)
	}
}
