package callerid

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/callerid/callerid/arn"
)

// Expect says who a caller must be, for Require and Expect.Check. Every
// field that is set must hold; an empty field is not checked, so the zero
// Expect accepts anyone.
type Expect struct {
	// Account is the 12-digit id of the account the caller must be in.
	Account string
	// Role is the IAM role the caller must be a session of: its name
	// ("deploy"), or its ARN ("arn:aws:iam::123456789012:role/ops/deploy"),
	// which pins the partition and the account as well.
	//
	// A caller matches when it is an assumed-role session whose canonical
	// role ARN (see arn.Principal.Canonical) names the role. Names are
	// compared regardless of case, as IAM compares them. A path, given as
	// "/ops/deploy" or in the ARN, is not checked: an assumed-role ARN does
	// not carry it, and a role name is unique in its account whatever its
	// path. An IAM user, a root user or a federated user never matches. A
	// name alone says nothing of the account: set Account too, or give the
	// role's ARN.
	Role string
	// Partition is the partition the caller must be in: "aws", "aws-cn",
	// "aws-us-gov", ...
	Partition string
	// ARN is a principal the caller must be: an IAM user
	// (arn:aws:iam::123456789012:user/alice), an IAM role (any of its
	// sessions matches), a root user or a federated user; an assumed-role
	// ARN stands for its role, whatever the session. Principals are
	// compared by arn.SamePrincipal: same partition and account, names of
	// users and roles regardless of case and path, session names ignored.
	ARN string
}

// Validate reports whether e can be checked: Account is 12 digits, Role a
// role name (with an optional path) or an IAM role ARN, ARN the ARN of a
// principal. Its error says which field is wrong and why.
func (e Expect) Validate() error {
	_, _, err := e.parse()
	return err
}

// parse validates e and returns the principals its Role (when it is an
// ARN) and ARN name; a zero Principal for those not given.
func (e Expect) parse() (role, principal arn.Principal, err error) {
	invalid := func(field, value string, err error) error {
		return &ExpectError{Field: field, Value: value, Err: err}
	}
	if e.Account != "" && !isAccountID(e.Account) {
		return role, principal, invalid("Account", e.Account, errors.New("an account id is 12 digits"))
	}
	if strings.HasPrefix(e.Role, "arn:") {
		role, err = arn.ParsePrincipal(e.Role)
		if err != nil {
			return role, principal, invalid("Role", e.Role, err)
		}
		if role.Kind != arn.KindRole {
			return role, principal, invalid("Role", e.Role, fmt.Errorf("the ARN of %s %s is not an IAM role's: want arn:PARTITION:iam::ACCOUNT:role/NAME", article(role.Kind), role.Kind))
		}
	} else if e.Role != "" {
		if why := checkRoleName(e.Role); why != "" {
			return role, principal, invalid("Role", e.Role, errors.New(why))
		}
	}
	if e.ARN != "" {
		principal, err = arn.ParsePrincipal(e.ARN)
		if err != nil {
			return role, principal, invalid("ARN", e.ARN, err)
		}
	}
	return role, principal, nil
}

// Check reports whether id is who e expects: nil if it is, a
// *MismatchError saying what differs if it is not, or Validate's error.
func (e Expect) Check(id *Identity) error {
	wantRole, wantPrincipal, err := e.parse()
	if err != nil {
		return err
	}
	if id == nil {
		return errors.New("callerid: Expect.Check: no identity to check")
	}
	p := id.Principal
	var ms []Mismatch
	if e.Partition != "" && p.ARN.Partition != e.Partition {
		ms = append(ms, Mismatch{What: "partition", Want: e.Partition, Got: p.ARN.Partition})
	}
	if e.Account != "" && id.Account != e.Account {
		ms = append(ms, Mismatch{What: "account", Want: e.Account, Got: id.Account})
	}
	if e.Role != "" {
		var ok bool
		want := e.Role
		if wantRole.Kind == arn.KindRole {
			ok = p.Kind == arn.KindAssumedRole && arn.SamePrincipal(wantRole, p)
		} else {
			want = e.Role[strings.LastIndexByte(e.Role, '/')+1:]
			ok = p.Kind == arn.KindAssumedRole && arn.EqualName(want, p.Name)
		}
		if !ok {
			ms = append(ms, Mismatch{What: "role", Want: want, Got: describeRole(p, wantRole.Kind == arn.KindRole)})
		}
	}
	if e.ARN != "" && !arn.SamePrincipal(wantPrincipal, p) {
		got := id.ARN
		if p.Kind == arn.KindAssumedRole && wantPrincipal.Kind == arn.KindRole {
			got = p.Canonical().String()
		}
		ms = append(ms, Mismatch{What: "principal", Want: e.ARN, Got: got})
	}
	if len(ms) > 0 {
		return &MismatchError{Identity: id, Mismatches: ms}
	}
	return nil
}

// describeRole says what p is, for a role expectation: "role NAME" (or the
// role's canonical ARN, when the expectation was an ARN) for a session,
// else its kind and name, such as "IAM user alice" or "root".
func describeRole(p arn.Principal, asARN bool) string {
	switch p.Kind {
	case arn.KindAssumedRole:
		if asARN {
			return "role " + p.Canonical().String()
		}
		return "role " + p.Name
	case arn.KindRoot, arn.KindUnknown:
		return p.Kind.String()
	}
	return p.Kind.String() + " " + p.Name
}

// Require asks STS who the caller is, as Whoami does with opts, and checks
// the answer against want: a guard to run before a program acts on an
// account, in place of a shell test such as
//
//	[ "$(aws sts get-caller-identity --query Account --output text)" = 123456789012 ] || exit 1
//
// It returns the identity and nil when the caller is who want says, and
// the identity and a *MismatchError when it is not. Other errors (from
// Validate, or Whoami's) come with a nil identity.
func Require(ctx context.Context, want Expect, opts ...Option) (*Identity, error) {
	if err := want.Validate(); err != nil {
		return nil, err
	}
	id, err := Whoami(ctx, opts...)
	if err != nil {
		return nil, err
	}
	if err := want.Check(id); err != nil {
		return id, err
	}
	return id, nil
}

// A Mismatch is one expectation the caller does not meet.
type Mismatch struct {
	// What names the expectation: "partition", "account", "role" or
	// "principal".
	What string
	// Want is what was expected: the partition, the account id, the role
	// name (or role ARN, as given), or the principal's ARN.
	Want string
	// Got is what was found: the caller's partition or account id; for a
	// role, "role NAME" (or "role ARN", when Want is an ARN) for an
	// assumed-role session and otherwise the kind of the caller, such as
	// "IAM user alice" or "root"; for a principal, the caller's ARN (its
	// canonical role ARN when Want is a role).
	Got string
}

// MismatchError is Require's and Expect.Check's error when the caller is
// not who was expected.
type MismatchError struct {
	// Identity is who the caller is.
	Identity *Identity
	// Mismatches lists the expectations the caller does not meet, in the
	// order partition, account, role, principal.
	Mismatches []Mismatch
}

// Error says in one line what was expected and what was found, e.g.
// "callerid: expected account 123456789012, found 111122223333 (caller
// arn:aws:iam::111122223333:user/alice)".
func (e *MismatchError) Error() string {
	var b strings.Builder
	b.WriteString("callerid: ")
	for i, m := range e.Mismatches {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString("expected ")
		b.WriteString(m.What)
		b.WriteByte(' ')
		b.WriteString(m.Want)
		b.WriteString(", found ")
		b.WriteString(m.Got)
	}
	if e.Identity != nil {
		b.WriteString(" (caller ")
		b.WriteString(e.Identity.ARN)
		b.WriteByte(')')
	}
	return b.String()
}

// ExpectError reports an Expect that cannot be checked: which field, its
// value and what is wrong with it.
type ExpectError struct {
	// Field is the Expect field: "Account", "Role" or "ARN".
	Field string
	// Value is the field's value.
	Value string
	// Err says what is wrong; for an ARN that does not parse, an
	// *arn.ParseError.
	Err error
}

// Error returns "callerid: Expect.Field "Value": what is wrong".
func (e *ExpectError) Error() string {
	v := e.Value
	if len(v) > 100 {
		v = v[:100] + "..."
	}
	return "callerid: Expect." + e.Field + " " + strconv.Quote(v) + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ExpectError) Unwrap() error { return e.Err }

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkRoleName returns why s is not a role name with an optional path
// ("deploy", "/ops/deploy", "ops/deploy"), or "".
func checkRoleName(s string) string {
	name := s[strings.LastIndexByte(s, '/')+1:]
	if name == "" {
		return "no role name after the path"
	}
	if len(name) > 64 {
		return "a role name is at most 64 characters long"
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_+=,.@-", c) >= 0) {
			return "a role name may only contain ASCII letters, digits and _+=,.@-"
		}
	}
	return ""
}

func article(k arn.Kind) string {
	if s := k.String(); s != "" && strings.IndexByte("aeiouAEIOU", s[0]) >= 0 {
		return "an"
	}
	return "a"
}
