package arn

import (
	"errors"
	"strconv"
	"strings"
)

// A Kind is the kind of AWS principal an ARN or a user ID names.
type Kind int

const (
	// KindUnknown is the zero Kind: not a principal, or not known which.
	KindUnknown Kind = iota
	// KindUser is an IAM user: arn:aws:iam::123456789012:user/Alice, or
	// with a path, arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob.
	KindUser
	// KindRoot is the root user of an AWS account:
	// arn:aws:iam::123456789012:root.
	KindRoot
	// KindAssumedRole is a session of an IAM role, as returned by
	// GetCallerIdentity for credentials from AssumeRole,
	// AssumeRoleWithSAML, AssumeRoleWithWebIdentity, IAM Identity Center,
	// EC2 instance profiles, Lambda, ...:
	// arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name.
	KindAssumedRole
	// KindFederatedUser is a session from GetFederationToken:
	// arn:aws:sts::123456789012:federated-user/my-federated-user-name.
	KindFederatedUser
	// KindRole is an IAM role itself:
	// arn:aws:iam::123456789012:role/path/Name. A role never calls AWS
	// itself (its sessions do, as KindAssumedRole), but its ARN is how
	// policies and allow-lists name it.
	KindRole
)

// String returns a readable name for k: "IAM user", "root",
// "assumed role", "federated user", "IAM role", or "unknown".
func (k Kind) String() string {
	switch k {
	case KindUnknown:
		return "unknown"
	case KindUser:
		return "IAM user"
	case KindRoot:
		return "root"
	case KindAssumedRole:
		return "assumed role"
	case KindFederatedUser:
		return "federated user"
	case KindRole:
		return "IAM role"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// A Principal is an ARN that names an AWS principal, taken apart.
//
// The zero Principal has Kind KindUnknown and names nothing.
type Principal struct {
	// ARN is the principal's ARN, as parsed.
	ARN ARN
	// Kind is the kind of principal.
	Kind Kind
	// Name is the IAM user name (KindUser), the role name (KindRole and
	// KindAssumedRole) or the federated user name (KindFederatedUser). It
	// is empty for KindRoot.
	Name string
	// Path is the IAM path of a user or a role (KindUser and KindRole):
	// "/" when it has none, or a path such as
	// "/division_abc/subdivision_xyz/", which always starts and ends with
	// a slash. It is empty for the other kinds, and in particular for
	// KindAssumedRole: an assumed-role ARN does not carry the role's path,
	// which is then unknown (see [Principal.RoleARN]).
	Path string
	// SessionName is the role session name of KindAssumedRole, and empty
	// for the other kinds. It is chosen by whoever assumed the role (for
	// IAM Identity Center, the user name; for EC2, the instance ID), so it
	// identifies nothing by itself.
	SessionName string
}

// ParsePrincipal parses s as the ARN of a principal: an IAM user, the root
// user, an assumed-role session, a federated user or an IAM role. It is
// [Parse] followed by [ClassifyARN]: text that is not an ARN at all gets
// Parse's error, and an ARN that does not name a principal gets an error
// that wraps [ErrNotPrincipal]. Both are [*ParseError] values.
//
// ParsePrincipal accepts exactly these forms (the partition can be any
// known one, the account must be 12 digits):
//
//	arn:aws:iam::123456789012:root
//	arn:aws:iam::123456789012:user/NAME
//	arn:aws:iam::123456789012:user/PATH/NAME
//	arn:aws:iam::123456789012:role/NAME
//	arn:aws:iam::123456789012:role/PATH/NAME
//	arn:aws:sts::123456789012:assumed-role/ROLE-NAME/SESSION-NAME
//	arn:aws:sts::123456789012:federated-user/NAME
//
// User and role names must be 1 to 64 characters long and session and
// federated user names 2 to 64 and 2 to 32, all from the set IAM and STS
// allow: ASCII letters and digits and _+=,.@- . A path must be at most
// 512 bytes of printable ASCII. Anything else is not a principal: no
// wildcard, no region in an sts ARN, no third slash in an assumed-role
// ARN. ParsePrincipal does not allocate unless it fails.
func ParsePrincipal(s string) (Principal, error) {
	a, err := Parse(s)
	if err != nil {
		return Principal{}, err
	}
	p, perr := classify(a)
	if perr != nil {
		perr.Input = cut(s)
		return Principal{}, perr
	}
	return p, nil
}

// ClassifyARN is [ParsePrincipal] for an ARN already parsed, or built by
// hand: it first checks that a is valid as [Parse] would (see
// [ARN.Validate]), then that it names a principal. Positions in its errors
// refer to a.String().
func ClassifyARN(a ARN) (Principal, error) {
	if err := a.validate(); err != nil {
		return Principal{}, err
	}
	p, err := classify(a)
	if err != nil {
		err.Input = cut(a.String())
		return Principal{}, err
	}
	return p, nil
}

// classify classifies a valid ARN. Its errors lack Input.
func classify(a ARN) (Principal, *ParseError) {
	off := a.offsets()
	notPrincipal := func(field int, value string, offset int, reason string) *ParseError {
		e := newError("", fieldNames[field], value, offset, field, reason)
		e.Err = ErrNotPrincipal
		return e
	}
	if a.Service != "iam" && a.Service != "sts" {
		return Principal{}, notPrincipal(fieldService, a.Service, off[fieldService],
			"principals are in iam or sts ARNs")
	}
	if a.Region != "" { // Parse already refuses a region for iam
		return Principal{}, notPrincipal(fieldRegion, a.Region, off[fieldRegion],
			"a principal's ARN has no region")
	}
	if !isAccountID(a.AccountID) {
		return Principal{}, notPrincipal(fieldAccount, a.AccountID, off[fieldAccount],
			"a principal's account must be 12 digits")
	}
	res, resOff := a.Resource, off[fieldResource]
	badResource := func(reason string) *ParseError {
		return notPrincipal(fieldResource, res, resOff, reason)
	}
	typ, rest, hasSlash := strings.Cut(res, "/")
	p := Principal{ARN: a}
	switch {
	case a.Service == "iam" && res == "root":
		p.Kind = KindRoot
		return p, nil
	case a.Service == "iam" && hasSlash && (typ == "user" || typ == "role"):
		p.Kind = KindUser
		what := "user name"
		if typ == "role" {
			p.Kind, what = KindRole, "role name"
		}
		// The path runs from the slash after the type to the last slash,
		// taken from res itself so as not to allocate.
		j := strings.LastIndexByte(res, '/')
		p.Path, p.Name = res[len(typ):j+1], res[j+1:]
		if why := checkPath(p.Path); why != "" {
			return Principal{}, badResource(why)
		}
		if why := checkName(what, p.Name, 1, 64); why != "" {
			return Principal{}, badResource(why)
		}
		return p, nil
	case a.Service == "sts" && hasSlash && typ == "assumed-role":
		role, session, ok := strings.Cut(rest, "/")
		if !ok {
			return Principal{}, badResource("an assumed-role ARN needs a role name and a session name: assumed-role/ROLE/SESSION")
		}
		if strings.IndexByte(session, '/') >= 0 {
			return Principal{}, badResource("an assumed-role ARN has exactly two parts after assumed-role/: ROLE/SESSION")
		}
		if why := checkName("role name", role, 1, 64); why != "" {
			return Principal{}, badResource(why)
		}
		if why := checkName("session name", session, 2, 64); why != "" {
			return Principal{}, badResource(why)
		}
		p.Kind, p.Name, p.SessionName = KindAssumedRole, role, session
		return p, nil
	case a.Service == "sts" && hasSlash && typ == "federated-user":
		if strings.IndexByte(rest, '/') >= 0 {
			return Principal{}, badResource("a federated user name cannot contain a slash")
		}
		if why := checkName("federated user name", rest, 2, 32); why != "" {
			return Principal{}, badResource(why)
		}
		p.Kind, p.Name = KindFederatedUser, rest
		return p, nil
	}
	if a.Service == "iam" {
		return Principal{}, badResource("an iam principal's resource is root, user/NAME or role/NAME; " +
			strconv.Quote(cutType(typ)) + " is not a principal")
	}
	return Principal{}, badResource("an sts principal's resource is assumed-role/ROLE/SESSION or federated-user/NAME; " +
		strconv.Quote(cutType(typ)) + " is not a principal")
}

// cutType shortens a resource type for an error message.
func cutType(typ string) string {
	if len(typ) > 40 {
		return typ[:40] + "..."
	}
	return typ
}

// checkName returns why name is not a valid IAM or STS name of minLen to
// maxLen characters from [\w+=,.@-], or "".
func checkName(what, name string, minLen, maxLen int) string {
	if len(name) < minLen || len(name) > maxLen {
		if name == "" {
			return what + " is empty"
		}
		return what + " must be " + strconv.Itoa(minLen) + " to " + strconv.Itoa(maxLen) + " characters long"
	}
	for i := 0; i < len(name); i++ {
		if !isNameChar(name[i]) {
			return what + " may only contain ASCII letters, digits and _+=,.@-"
		}
	}
	return ""
}

// isNameChar reports whether c may appear in an IAM user or role name, an
// STS role session name or a federated user name: [\w+=,.@-].
func isNameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		strings.IndexByte("_+=,.@-", c) >= 0
}

// checkPath returns why path is not a valid IAM path, or "". A valid path
// is "/" or starts and ends with "/", is at most 512 bytes long and is
// printable ASCII without spaces (U+0021 to U+007E).
func checkPath(path string) string {
	if len(path) > 512 {
		return "path must be at most 512 bytes long"
	}
	if path == "" || path[0] != '/' || path[len(path)-1] != '/' {
		return "path must start and end with a slash"
	}
	for i := 0; i < len(path); i++ {
		if path[i] < 0x21 || path[i] > 0x7e {
			return "path may only contain printable ASCII characters other than space"
		}
	}
	return ""
}

// RoleARN returns the ARN of the IAM role behind an assumed-role principal,
// arn:PARTITION:iam::ACCOUNT:role/PATH/NAME.
//
// An assumed-role ARN names the role without its path: the role
// arn:aws:iam::123456789012:role/division_abc/Admin is assumed as
// arn:aws:sts::123456789012:assumed-role/Admin/alice. The role's true ARN
// can't be derived from the session's ARN alone; pass its path if you
// know it ("/division_abc/", or from IAM GetRole), or "" for a role
// ARN without the path, which is correct only for roles at path "/".
// Roles made by IAM Identity Center (named AWSReservedSSO_...) live under
// [SSORolePath]. Since role names are unique within an account whatever
// their path, the role ARN without path still names the right role for
// most purposes (see [SamePrincipal]), but it is not byte-for-byte the
// ARN that IAM and IAM policies know when the role has a path.
//
// For a KindRole principal, RoleARN returns its own ARN; path must then be
// "" or the role's own path. For other kinds RoleARN returns an error, as it
// does for a path that is not a valid IAM path (see [ParsePrincipal]).
func (p Principal) RoleARN(path string) (ARN, error) {
	switch p.Kind {
	case KindRole:
		if path != "" && path != p.Path {
			return ARN{}, errors.New("arn: RoleARN: role " + strconv.Quote(p.Name) +
				" has path " + strconv.Quote(p.Path) + ", not " + strconv.Quote(cut(path)))
		}
		return p.ARN, nil
	case KindAssumedRole:
		if path == "" {
			path = "/"
		}
		if why := checkPath(path); why != "" {
			return ARN{}, errors.New("arn: RoleARN: invalid path " + strconv.Quote(cut(path)) + ": " + why)
		}
		return p.roleARN(path), nil
	}
	return ARN{}, errors.New("arn: RoleARN: " + p.Kind.String() + " principal is not a role")
}

// roleARN returns the ARN of the role of name p.Name at path in p's
// account.
func (p Principal) roleARN(path string) ARN {
	return ARN{
		Partition: p.ARN.Partition,
		Service:   "iam",
		AccountID: p.ARN.AccountID,
		Resource:  "role" + path + p.Name,
	}
}

// Canonical returns the ARN that stands for p in an allow-list, built the
// way Amazon EKS (aws-iam-authenticator) and HashiCorp Vault build it:
//
//   - an assumed role gives the role's ARN without path,
//     arn:aws:iam::123456789012:role/NAME: the session name is dropped,
//     since whoever assumes a role chooses it, and the path because the
//     assumed-role ARN does not carry it;
//   - an IAM user, an IAM role, a federated user and the root user give
//     their own ARN, path included.
//
// Mind the risks of comparing canonical ARNs as strings:
//
//   - A role with a path, arn:aws:iam::123456789012:role/team/Admin, is
//     not equal to the canonical ARN of its own sessions,
//     arn:aws:iam::123456789012:role/Admin. This is the trap EKS users fall
//     into with role paths; use [Principal.CanonicalWithoutPath] on both
//     sides, or [SamePrincipal]. Since a role name is unique within an
//     account whatever its path, dropping paths merges no two roles.
//   - IAM names are unique regardless of case, so "Admin" and "admin" are
//     the same name; string comparison says they differ.
//   - All the sessions of a role map to the same canonical ARN: whoever can
//     assume the role is, to an allow-list of canonical ARNs, the role.
//   - A federated user's name is chosen by whoever called
//     GetFederationToken, so a federated-user ARN is only as trustworthy
//     as everyone allowed to call it in that account.
//   - An ARN names whatever entity holds the name now: a user or role that
//     is deleted and created again gets the same ARN. Compare unique IDs
//     (see [ParseUserID]) to tell them apart.
//
// Canonical returns the zero ARN for a Principal of KindUnknown.
func (p Principal) Canonical() ARN {
	switch p.Kind {
	case KindAssumedRole:
		return p.roleARN("/")
	case KindUser, KindRole, KindFederatedUser, KindRoot:
		return p.ARN
	}
	return ARN{}
}

// CanonicalWithoutPath is [Principal.Canonical] with the path of IAM users
// and roles dropped as well: a user gives arn:aws:iam::ACCOUNT:user/NAME
// and a role or an assumed role arn:aws:iam::ACCOUNT:role/NAME. Since IAM
// user and role names are unique within an account whatever their path,
// two principals whose CanonicalWithoutPath are equal are the same
// principal; the converse holds only up to the case of names (see
// [EqualName]).
func (p Principal) CanonicalWithoutPath() ARN {
	switch p.Kind {
	case KindUser:
		return ARN{Partition: p.ARN.Partition, Service: "iam", AccountID: p.ARN.AccountID, Resource: "user/" + p.Name}
	case KindRole, KindAssumedRole:
		return p.roleARN("/")
	}
	return p.Canonical()
}

// SamePartition reports whether a and b are in the same, non-empty,
// partition. Principals in different partitions are never the same, even
// with the same account ID and name.
func SamePartition(a, b ARN) bool {
	return a.Partition != "" && a.Partition == b.Partition
}

// SameAccount reports whether a and b belong to the same AWS account: the
// same partition and the same 12-digit account ID. ARNs without an account
// ID (such as S3 buckets), or with the "aws" pseudo-account, are in no
// account and SameAccount is false for them.
func SameAccount(a, b ARN) bool {
	return SamePartition(a, b) && isAccountID(a.AccountID) && a.AccountID == b.AccountID
}

// SamePrincipal reports whether a and b are the same principal, comparing
// what identifies them rather than their ARNs as strings:
//
//   - both must be in the same partition and account;
//   - an assumed role is the same principal as its role and as any other
//     session of the role: session names are ignored, being chosen by the
//     caller;
//   - users are compared by name, roles and assumed roles by role name,
//     ignoring paths (unique names make them redundant, and assumed-role
//     ARNs lack them) and the case of ASCII letters (IAM names are unique
//     regardless of case), see [EqualName];
//   - federated users are compared by exact name;
//   - the root user is the same as the root user of the same account only.
//
// A Principal of KindUnknown is the same as nothing. SamePrincipal cannot
// tell apart an entity and a later one created with the same name: compare
// unique IDs for that.
func SamePrincipal(a, b Principal) bool {
	if a.Kind == KindUnknown || b.Kind == KindUnknown || !SameAccount(a.ARN, b.ARN) {
		return false
	}
	ka, kb := a.Kind, b.Kind
	if ka == KindAssumedRole {
		ka = KindRole
	}
	if kb == KindAssumedRole {
		kb = KindRole
	}
	if ka != kb {
		return false
	}
	switch ka {
	case KindRoot:
		return true
	case KindFederatedUser:
		return a.Name == b.Name
	}
	return EqualName(a.Name, b.Name)
}

// EqualName reports whether a and b are the same IAM name (of a user, role,
// group, policy, ...). IAM names are unique within an account regardless of
// case: an account cannot have both a role "Admin" and a role "admin", so
// EqualName ignores the case of ASCII letters. Only ASCII letters fold: IAM
// names are ASCII, and Unicode case folding would let, for example, the
// Kelvin sign U+212A match "k" (as strings.EqualFold does).
func EqualName(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		ca, cb := a[i], b[i]
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			return false
		}
	}
	return true
}

// SSORolePrefix is how the names of the IAM roles that IAM Identity Center
// (formerly AWS SSO) creates for permission sets start:
// AWSReservedSSO_PERMISSION-SET-NAME_UNIQUE-SUFFIX.
const SSORolePrefix = "AWSReservedSSO_"

// SSORolePath returns the IAM path of the roles IAM Identity Center
// creates, which a caller needs to build their full role ARN from an
// assumed-role ARN (see [Principal.RoleARN]). The IAM Identity Center
// documentation gives the path as "/aws-reserved/sso.amazonaws.com/REGION/",
// with the Region of the Identity Center instance, such as
// "/aws-reserved/sso.amazonaws.com/eu-west-1/"; but the roles of an
// instance in us-east-1 are found under "/aws-reserved/sso.amazonaws.com/",
// without a Region, which is what SSORolePath returns for region "". When
// in doubt, read the role's path with IAM GetRole.
func SSORolePath(region string) string {
	if region == "" {
		return "/aws-reserved/sso.amazonaws.com/"
	}
	return "/aws-reserved/sso.amazonaws.com/" + region + "/"
}

// IsSSORoleName reports whether a role name has the form of the roles IAM
// Identity Center creates: [SSORolePrefix], a permission set name, an
// underscore and a suffix of 16 hexadecimal digits, as in
// AWSReservedSSO_AdministratorAccess_0123456789abcdef.
//
// The name alone does not prove that Identity Center made the role:
// anyone allowed to create roles in the account may be able to give one
// such a name. When it matters, check the role's path (through IAM
// GetRole: it is under /aws-reserved/sso.amazonaws.com/), which an
// assumed-role ARN does not carry.
func IsSSORoleName(name string) bool {
	_, ok := SSOPermissionSetName(name)
	return ok
}

// SSOPermissionSetName returns the permission set name in the name of a
// role made by IAM Identity Center ("AdministratorAccess" for
// AWSReservedSSO_AdministratorAccess_0123456789abcdef), and whether the
// name has that form (see [IsSSORoleName]). The unique suffix changes
// whenever Identity Center creates the role again, so the permission set
// name is the stable part.
func SSOPermissionSetName(roleName string) (string, bool) {
	const suffixLen = 1 + 16 // "_" and 16 hex digits
	if !strings.HasPrefix(roleName, SSORolePrefix) || len(roleName) < len(SSORolePrefix)+1+suffixLen {
		return "", false
	}
	suffix := roleName[len(roleName)-suffixLen:]
	if suffix[0] != '_' {
		return "", false
	}
	for i := 1; i < len(suffix); i++ {
		c := suffix[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return "", false
		}
	}
	return roleName[len(SSORolePrefix) : len(roleName)-suffixLen], true
}

// IsSSO reports whether p is an IAM Identity Center role or one of its
// sessions: a KindRole under [SSORolePath] with such a name, or a
// KindAssumedRole whose role name [IsSSORoleName] recognizes, with the
// caveat given there.
func (p Principal) IsSSO() bool {
	switch p.Kind {
	case KindRole:
		return strings.HasPrefix(p.Path, SSORolePath("")) && IsSSORoleName(p.Name)
	case KindAssumedRole:
		return IsSSORoleName(p.Name)
	}
	return false
}
