package arn

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mustParse parses s or fails the test.
func mustParse(t testing.TB, s string) ARN {
	t.Helper()
	a, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var validPrincipals = []struct {
	name string
	in   string
	want Principal // without ARN, which must be Parse(in)
}{
	// STS GetCallerIdentity examples.
	{"sts example user", "arn:aws:iam::123456789012:user/Alice",
		Principal{Kind: KindUser, Name: "Alice", Path: "/"}},
	{"sts example assumed role", "arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name",
		Principal{Kind: KindAssumedRole, Name: "my-role-name", SessionName: "my-role-session-name"}},
	{"sts example federated user", "arn:aws:sts::123456789012:federated-user/my-federated-user-name",
		Principal{Kind: KindFederatedUser, Name: "my-federated-user-name"}},

	// IAM identifiers examples that are principals.
	{"root", "arn:aws:iam::123456789012:root", Principal{Kind: KindRoot}},
	{"user", "arn:aws:iam::123456789012:user/JohnDoe", Principal{Kind: KindUser, Name: "JohnDoe", Path: "/"}},
	{"user with path", "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe",
		Principal{Kind: KindUser, Name: "JaneDoe", Path: "/division_abc/subdivision_xyz/"}},
	{"user with path, Bob", "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
		Principal{Kind: KindUser, Name: "Bob", Path: "/division_abc/subdivision_xyz/"}},
	{"role", "arn:aws:iam::123456789012:role/S3Access", Principal{Kind: KindRole, Name: "S3Access", Path: "/"}},
	{"role with path", "arn:aws:iam::123456789012:role/application_abc/component_xyz/RDSAccess",
		Principal{Kind: KindRole, Name: "RDSAccess", Path: "/application_abc/component_xyz/"}},
	{"service-linked role", "arn:aws:iam::123456789012:role/aws-service-role/access-analyzer.amazonaws.com/AWSServiceRoleForAccessAnalyzer",
		Principal{Kind: KindRole, Name: "AWSServiceRoleForAccessAnalyzer", Path: "/aws-service-role/access-analyzer.amazonaws.com/"}},
	{"service role", "arn:aws:iam::123456789012:role/service-role/QuickSightAction",
		Principal{Kind: KindRole, Name: "QuickSightAction", Path: "/service-role/"}},
	{"federated user", "arn:aws:sts::123456789012:federated-user/JohnDoe",
		Principal{Kind: KindFederatedUser, Name: "JohnDoe"}},
	{"assumed role", "arn:aws:sts::123456789012:assumed-role/Accounting-Role/JaneDoe",
		Principal{Kind: KindAssumedRole, Name: "Accounting-Role", SessionName: "JaneDoe"}},

	// IAM Identity Center.
	{"sso session", "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com",
		Principal{Kind: KindAssumedRole, Name: "AWSReservedSSO_Admin_0123456789abcdef", SessionName: "alice@example.com"}},
	{"sso role us-east-1", "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef",
		Principal{Kind: KindRole, Name: "AWSReservedSSO_Admin_0123456789abcdef", Path: "/aws-reserved/sso.amazonaws.com/"}},
	{"sso role eu-west-1", "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef",
		Principal{Kind: KindRole, Name: "AWSReservedSSO_Admin_0123456789abcdef", Path: "/aws-reserved/sso.amazonaws.com/eu-west-1/"}},

	// Partitions.
	{"china user", "arn:aws-cn:iam::123456789012:user/Alice", Principal{Kind: KindUser, Name: "Alice", Path: "/"}},
	{"china assumed role", "arn:aws-cn:sts::123456789012:assumed-role/Admin/alice",
		Principal{Kind: KindAssumedRole, Name: "Admin", SessionName: "alice"}},
	{"govcloud root", "arn:aws-us-gov:iam::123456789012:root", Principal{Kind: KindRoot}},
	{"govcloud federated user", "arn:aws-us-gov:sts::123456789012:federated-user/bob",
		Principal{Kind: KindFederatedUser, Name: "bob"}},
	{"eusc role", "arn:aws-eusc:iam::123456789012:role/x", Principal{Kind: KindRole, Name: "x", Path: "/"}},

	// Every character names may hold.
	{"session name with @ = , . -", "arn:aws:sts::123456789012:assumed-role/r/a@b=c,d.e-f_g+h",
		Principal{Kind: KindAssumedRole, Name: "r", SessionName: "a@b=c,d.e-f_g+h"}},
	{"role name with all characters", "arn:aws:iam::123456789012:role/Az09_+=,.@-",
		Principal{Kind: KindRole, Name: "Az09_+=,.@-", Path: "/"}},
	{"ec2 instance session", "arn:aws:sts::123456789012:assumed-role/ec2-role/i-0123456789abcdef0",
		Principal{Kind: KindAssumedRole, Name: "ec2-role", SessionName: "i-0123456789abcdef0"}},
	{"64-character role and session names", "arn:aws:sts::123456789012:assumed-role/" + strings.Repeat("r", 64) + "/" + strings.Repeat("s", 64),
		Principal{Kind: KindAssumedRole, Name: strings.Repeat("r", 64), SessionName: strings.Repeat("s", 64)}},
	{"path with odd printable characters", "arn:aws:iam::123456789012:role/a:b*c!~/d/R",
		Principal{Kind: KindRole, Name: "R", Path: "/a:b*c!~/d/"}},
	{"path of 512 bytes", "arn:aws:iam::123456789012:role/" + strings.Repeat("p", 510) + "/R",
		Principal{Kind: KindRole, Name: "R", Path: "/" + strings.Repeat("p", 510) + "/"}},
}

func TestParsePrincipal(t *testing.T) {
	for _, tt := range validPrincipals {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePrincipal(tt.in)
			if err != nil {
				t.Fatalf("ParsePrincipal(%q): %v", tt.in, err)
			}
			want := tt.want
			want.ARN = mustParse(t, tt.in)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParsePrincipal(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			got2, err := ClassifyARN(want.ARN)
			if err != nil || got2 != got {
				t.Errorf("ClassifyARN(%+v) = %+v, %v; want %+v", want.ARN, got2, err, got)
			}
		})
	}
}

var notPrincipals = []struct {
	name string
	in   string
	want *ParseError // without Input and Err, which must be ErrNotPrincipal
}{
	{"s3 bucket", "arn:aws:s3:::my_corporate_bucket",
		&ParseError{Part: "service", Value: "s3", Offset: 8, Field: 2, Reason: "principals are in iam or sts ARNs"}},
	{"iam group", "arn:aws:iam::123456789012:group/Developers",
		&ParseError{Part: "resource", Value: "group/Developers", Offset: 26, Field: 5,
			Reason: `an iam principal's resource is root, user/NAME or role/NAME; "group" is not a principal`}},
	{"iam policy", "arn:aws:iam::aws:policy/AdministratorAccess",
		&ParseError{Part: "account", Value: "aws", Offset: 13, Field: 4, Reason: "a principal's account must be 12 digits"}},
	{"instance profile", "arn:aws:iam::123456789012:instance-profile/Webserver",
		&ParseError{Part: "resource", Value: "instance-profile/Webserver", Offset: 26, Field: 5,
			Reason: `an iam principal's resource is root, user/NAME or role/NAME; "instance-profile" is not a principal`}},
	{"mfa", "arn:aws:iam::123456789012:mfa/JaneDoeMFA",
		&ParseError{Part: "resource", Value: "mfa/JaneDoeMFA", Offset: 26, Field: 5,
			Reason: `an iam principal's resource is root, user/NAME or role/NAME; "mfa" is not a principal`}},
	{"assumed role without session", "arn:aws:sts::123456789012:assumed-role/my-role-name",
		&ParseError{Part: "resource", Value: "assumed-role/my-role-name", Offset: 26, Field: 5,
			Reason: "an assumed-role ARN needs a role name and a session name: assumed-role/ROLE/SESSION"}},
	{"assumed role with empty session", "arn:aws:sts::123456789012:assumed-role/my-role-name/",
		&ParseError{Part: "resource", Value: "assumed-role/my-role-name/", Offset: 26, Field: 5, Reason: "session name is empty"}},
	{"assumed role with empty role", "arn:aws:sts::123456789012:assumed-role//s1",
		&ParseError{Part: "resource", Value: "assumed-role//s1", Offset: 26, Field: 5, Reason: "role name is empty"}},
	{"assumed role with path", "arn:aws:sts::123456789012:assumed-role/path/role/session",
		&ParseError{Part: "resource", Value: "assumed-role/path/role/session", Offset: 26, Field: 5,
			Reason: "an assumed-role ARN has exactly two parts after assumed-role/: ROLE/SESSION"}},
	{"assumed role, one-character session", "arn:aws:sts::123456789012:assumed-role/r/s",
		&ParseError{Part: "resource", Value: "assumed-role/r/s", Offset: 26, Field: 5, Reason: "session name must be 2 to 64 characters long"}},
	{"assumed role, 65-character session", "arn:aws:sts::123456789012:assumed-role/r/" + strings.Repeat("s", 65),
		&ParseError{Part: "resource", Value: "assumed-role/r/" + strings.Repeat("s", 65), Offset: 26, Field: 5,
			Reason: "session name must be 2 to 64 characters long"}},
	{"assumed role, wildcard session", "arn:aws:sts::123456789012:assumed-role/r/*",
		&ParseError{Part: "resource", Value: "assumed-role/r/*", Offset: 26, Field: 5, Reason: "session name must be 2 to 64 characters long"}},
	{"assumed role, space in session", "arn:aws:sts::123456789012:assumed-role/r/a b",
		&ParseError{Part: "resource", Value: "assumed-role/r/a b", Offset: 26, Field: 5,
			Reason: "session name may only contain ASCII letters, digits and _+=,.@-"}},
	{"assumed role, colon in session", "arn:aws:sts::123456789012:assumed-role/r/a:b",
		&ParseError{Part: "resource", Value: "assumed-role/r/a:b", Offset: 26, Field: 5,
			Reason: "session name may only contain ASCII letters, digits and _+=,.@-"}},
	{"assumed role in iam", "arn:aws:iam::123456789012:assumed-role/r/s1",
		&ParseError{Part: "resource", Value: "assumed-role/r/s1", Offset: 26, Field: 5,
			Reason: `an iam principal's resource is root, user/NAME or role/NAME; "assumed-role" is not a principal`}},
	{"user in sts", "arn:aws:sts::123456789012:user/Alice",
		&ParseError{Part: "resource", Value: "user/Alice", Offset: 26, Field: 5,
			Reason: `an sts principal's resource is assumed-role/ROLE/SESSION or federated-user/NAME; "user" is not a principal`}},
	{"root in sts", "arn:aws:sts::123456789012:root",
		&ParseError{Part: "resource", Value: "root", Offset: 26, Field: 5,
			Reason: `an sts principal's resource is assumed-role/ROLE/SESSION or federated-user/NAME; "root" is not a principal`}},
	{"sts with region", "arn:aws:sts:us-east-1:123456789012:assumed-role/r/s1",
		&ParseError{Part: "region", Value: "us-east-1", Offset: 12, Field: 3, Reason: "a principal's ARN has no region"}},
	{"user without name", "arn:aws:iam::123456789012:user/",
		&ParseError{Part: "resource", Value: "user/", Offset: 26, Field: 5, Reason: "user name is empty"}},
	{"user with path, without name", "arn:aws:iam::123456789012:user/division/",
		&ParseError{Part: "resource", Value: "user/division/", Offset: 26, Field: 5, Reason: "user name is empty"}},
	{"user without slash", "arn:aws:iam::123456789012:user",
		&ParseError{Part: "resource", Value: "user", Offset: 26, Field: 5,
			Reason: `an iam principal's resource is root, user/NAME or role/NAME; "user" is not a principal`}},
	{"wildcard user", "arn:aws:iam::123456789012:user/*",
		&ParseError{Part: "resource", Value: "user/*", Offset: 26, Field: 5,
			Reason: "user name may only contain ASCII letters, digits and _+=,.@-"}},
	{"role name of 65 characters", "arn:aws:iam::123456789012:role/" + strings.Repeat("r", 65),
		&ParseError{Part: "resource", Value: "role/" + strings.Repeat("r", 65), Offset: 26, Field: 5,
			Reason: "role name must be 1 to 64 characters long"}},
	{"path of 513 bytes", "arn:aws:iam::123456789012:role/" + strings.Repeat("p", 511) + "/R",
		&ParseError{Part: "resource", Value: "role/" + strings.Repeat("p", 511) + "/R", Offset: 26, Field: 5,
			Reason: "path must be at most 512 bytes long"}},
	{"space in path", "arn:aws:iam::123456789012:role/a b/R",
		&ParseError{Part: "resource", Value: "role/a b/R", Offset: 26, Field: 5,
			Reason: "path may only contain printable ASCII characters other than space"}},
	{"non-ascii user", "arn:aws:iam::123456789012:user/\u212aelvin",
		&ParseError{Part: "resource", Value: "user/\u212aelvin", Offset: 26, Field: 5,
			Reason: "user name may only contain ASCII letters, digits and _+=,.@-"}},
	{"upper-case type", "arn:aws:iam::123456789012:User/Alice",
		&ParseError{Part: "resource", Value: "User/Alice", Offset: 26, Field: 5,
			Reason: `an iam principal's resource is root, user/NAME or role/NAME; "User" is not a principal`}},
	{"federated user with slash", "arn:aws:sts::123456789012:federated-user/a/b",
		&ParseError{Part: "resource", Value: "federated-user/a/b", Offset: 26, Field: 5,
			Reason: "a federated user name cannot contain a slash"}},
	{"federated user name of 33 characters", "arn:aws:sts::123456789012:federated-user/" + strings.Repeat("f", 33),
		&ParseError{Part: "resource", Value: "federated-user/" + strings.Repeat("f", 33), Offset: 26, Field: 5,
			Reason: "federated user name must be 2 to 32 characters long"}},
	{"root with suffix", "arn:aws:iam::123456789012:root/x",
		&ParseError{Part: "resource", Value: "root/x", Offset: 26, Field: 5,
			Reason: `an iam principal's resource is root, user/NAME or role/NAME; "root" is not a principal`}},
	{"long resource type", "arn:aws:iam::123456789012:" + strings.Repeat("t", 60) + "/x",
		&ParseError{Part: "resource", Value: strings.Repeat("t", 60) + "/x", Offset: 26, Field: 5,
			Reason: `an iam principal's resource is root, user/NAME or role/NAME; "` + strings.Repeat("t", 40) + `..." is not a principal`}},
}

func TestParsePrincipalNotPrincipal(t *testing.T) {
	for _, tt := range notPrincipals {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePrincipal(tt.in)
			if err == nil {
				t.Fatalf("ParsePrincipal(%q) = %+v, want an error", tt.in, got)
			}
			if got != (Principal{}) {
				t.Errorf("ParsePrincipal(%q) returned %+v with its error, want the zero Principal", tt.in, got)
			}
			if !errors.Is(err, ErrNotPrincipal) {
				t.Errorf("ParsePrincipal(%q) error %v is not ErrNotPrincipal", tt.in, err)
			}
			want := *tt.want
			want.Input, want.Value, want.Err = cut(tt.in), cut(want.Value), ErrNotPrincipal
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParsePrincipal(%q) error %T is not a *ParseError", tt.in, err)
			}
			// Compare values: EquateErrors would compare *ParseErrors with errors.Is.
			if diff := cmp.Diff(want, *pe, equateErrors); diff != "" {
				t.Errorf("ParsePrincipal(%q) error mismatch (-want +got):\n%s", tt.in, diff)
			}
			if !strings.Contains(err.Error(), "not a principal ARN: "+tt.want.Reason) {
				t.Errorf("message %q does not say %q", err, "not a principal ARN: "+tt.want.Reason)
			}
			// ClassifyARN says the same.
			_, err2 := ClassifyARN(mustParse(t, tt.in))
			var pe2 *ParseError
			if !errors.As(err2, &pe2) {
				t.Fatalf("ClassifyARN error %T is not a *ParseError", err2)
			}
			if diff := cmp.Diff(*pe, *pe2, equateErrors); diff != "" {
				t.Errorf("ClassifyARN and ParsePrincipal disagree (-parse +classify):\n%s", diff)
			}
		})
	}
}

func TestParsePrincipalSyntaxError(t *testing.T) {
	// Text that is not an ARN gets Parse's error, not ErrNotPrincipal.
	for _, tt := range invalidARNs {
		_, err := ParsePrincipal(tt.in)
		_, perr := Parse(tt.in)
		if err == nil || err.Error() != perr.Error() || errors.Is(err, ErrNotPrincipal) {
			t.Errorf("ParsePrincipal(%q) error = %v, want Parse's: %v", tt.in, err, perr)
		}
	}
}

func TestClassifyARNValidates(t *testing.T) {
	// A hand-made ARN whose fields would not survive String and Parse.
	a := ARN{Partition: "aws", Service: "iam", AccountID: "123456789012:user", Resource: "Alice"}
	_, err := ClassifyARN(a)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Part != "account" || errors.Is(err, ErrNotPrincipal) {
		t.Errorf("ClassifyARN(%+v) = %v, want an account error", a, err)
	}
	if pe != nil && pe.Input != a.String() {
		t.Errorf("Input = %q, want %q", pe.Input, a.String())
	}
}

func TestKindString(t *testing.T) {
	want := map[Kind]string{
		KindUnknown:       "unknown",
		KindUser:          "IAM user",
		KindRoot:          "root",
		KindAssumedRole:   "assumed role",
		KindFederatedUser: "federated user",
		KindRole:          "IAM role",
		Kind(42):          "Kind(42)",
		Kind(-1):          "Kind(-1)",
	}
	for k, s := range want {
		if got := k.String(); got != s {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, s)
		}
	}
}

func mustPrincipal(t testing.TB, s string) Principal {
	t.Helper()
	p, err := ParsePrincipal(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRoleARN(t *testing.T) {
	tests := []struct {
		name, in, path string
		want           string // "" for an error
		wantErr        string
	}{
		{"assumed role, no path", "arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name", "",
			"arn:aws:iam::123456789012:role/my-role-name", ""},
		{"assumed role, root path", "arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name", "/",
			"arn:aws:iam::123456789012:role/my-role-name", ""},
		{"assumed role, path", "arn:aws:sts::123456789012:assumed-role/RDSAccess/s1", "/application_abc/component_xyz/",
			"arn:aws:iam::123456789012:role/application_abc/component_xyz/RDSAccess", ""},
		{"sso, us-east-1", "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com",
			SSORolePath(""), "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef", ""},
		{"sso, eu-west-1", "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com",
			SSORolePath("eu-west-1"), "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef", ""},
		{"china", "arn:aws-cn:sts::123456789012:assumed-role/Admin/alice", "",
			"arn:aws-cn:iam::123456789012:role/Admin", ""},
		{"govcloud", "arn:aws-us-gov:sts::123456789012:assumed-role/Admin/alice", "/ops/",
			"arn:aws-us-gov:iam::123456789012:role/ops/Admin", ""},
		{"bad path", "arn:aws:sts::123456789012:assumed-role/Admin/alice", "ops",
			"", `arn: RoleARN: invalid path "ops": path must start and end with a slash`},
		{"path with space", "arn:aws:sts::123456789012:assumed-role/Admin/alice", "/a b/",
			"", `arn: RoleARN: invalid path "/a b/": path may only contain printable ASCII characters other than space`},
		{"role itself", "arn:aws:iam::123456789012:role/ops/Admin", "",
			"arn:aws:iam::123456789012:role/ops/Admin", ""},
		{"role itself, its path", "arn:aws:iam::123456789012:role/ops/Admin", "/ops/",
			"arn:aws:iam::123456789012:role/ops/Admin", ""},
		{"role itself, other path", "arn:aws:iam::123456789012:role/ops/Admin", "/dev/",
			"", `arn: RoleARN: role "Admin" has path "/ops/", not "/dev/"`},
		{"user", "arn:aws:iam::123456789012:user/Alice", "",
			"", "arn: RoleARN: IAM user principal is not a role"},
		{"federated user", "arn:aws:sts::123456789012:federated-user/Bob", "",
			"", "arn: RoleARN: federated user principal is not a role"},
		{"root", "arn:aws:iam::123456789012:root", "",
			"", "arn: RoleARN: root principal is not a role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mustPrincipal(t, tt.in).RoleARN(tt.path)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("RoleARN(%q) = %v, %v; want error %q", tt.path, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("RoleARN(%q): %v", tt.path, err)
			}
			if got.String() != tt.want {
				t.Errorf("RoleARN(%q) = %s, want %s", tt.path, got, tt.want)
			}
			// The result is the role itself.
			p, err := ClassifyARN(got)
			if err != nil || p.Kind != KindRole {
				t.Errorf("ClassifyARN(%s) = %+v, %v; want a role", got, p, err)
			}
		})
	}
	if _, err := (Principal{}).RoleARN(""); err == nil {
		t.Error("RoleARN of the zero Principal succeeded")
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		in, want, wantNoPath string
	}{
		{"arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name",
			"arn:aws:iam::123456789012:role/my-role-name",
			"arn:aws:iam::123456789012:role/my-role-name"},
		{"arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com",
			"arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef",
			"arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef"},
		{"arn:aws:iam::123456789012:user/Alice",
			"arn:aws:iam::123456789012:user/Alice",
			"arn:aws:iam::123456789012:user/Alice"},
		{"arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
			"arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
			"arn:aws:iam::123456789012:user/Bob"},
		{"arn:aws:iam::123456789012:role/application_abc/component_xyz/RDSAccess",
			"arn:aws:iam::123456789012:role/application_abc/component_xyz/RDSAccess",
			"arn:aws:iam::123456789012:role/RDSAccess"},
		{"arn:aws:sts::123456789012:federated-user/my-federated-user-name",
			"arn:aws:sts::123456789012:federated-user/my-federated-user-name",
			"arn:aws:sts::123456789012:federated-user/my-federated-user-name"},
		{"arn:aws:iam::123456789012:root",
			"arn:aws:iam::123456789012:root",
			"arn:aws:iam::123456789012:root"},
		{"arn:aws-cn:sts::123456789012:assumed-role/Admin/alice",
			"arn:aws-cn:iam::123456789012:role/Admin",
			"arn:aws-cn:iam::123456789012:role/Admin"},
		{"arn:aws-us-gov:iam::123456789012:user/ops/Alice",
			"arn:aws-us-gov:iam::123456789012:user/ops/Alice",
			"arn:aws-us-gov:iam::123456789012:user/Alice"},
	}
	for _, tt := range tests {
		p := mustPrincipal(t, tt.in)
		if got := p.Canonical().String(); got != tt.want {
			t.Errorf("Canonical(%s) = %s, want %s", tt.in, got, tt.want)
		}
		if got := p.CanonicalWithoutPath().String(); got != tt.wantNoPath {
			t.Errorf("CanonicalWithoutPath(%s) = %s, want %s", tt.in, got, tt.wantNoPath)
		}
		// Canonical ARNs are principals, of the same account.
		for _, c := range []ARN{p.Canonical(), p.CanonicalWithoutPath()} {
			cp, err := ClassifyARN(c)
			if err != nil || !SamePrincipal(p, cp) {
				t.Errorf("canonical %s of %s: %+v, %v; want the same principal", c, tt.in, cp, err)
			}
		}
	}
	if got := (Principal{}).Canonical(); got != (ARN{}) {
		t.Errorf("Canonical of the zero Principal = %+v", got)
	}
	if got := (Principal{}).CanonicalWithoutPath(); got != (ARN{}) {
		t.Errorf("CanonicalWithoutPath of the zero Principal = %+v", got)
	}
}

func TestSamePrincipal(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		// A role, its sessions, whatever the path and case.
		{"arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws:sts::123456789012:assumed-role/Admin/bob", true},
		{"arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws:iam::123456789012:role/Admin", true},
		{"arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws:iam::123456789012:role/team/Admin", true},
		{"arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws:iam::123456789012:role/admin", true},
		{"arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com",
			"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef", true},
		{"arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws:iam::123456789012:role/Admin2", false},
		{"arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws:iam::210987654321:role/Admin", false},
		{"arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws-cn:iam::123456789012:role/Admin", false},
		{"arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws:iam::123456789012:user/Admin", false},
		{"arn:aws:sts::123456789012:assumed-role/Admin/alice", "arn:aws:sts::123456789012:federated-user/Admin", false},
		// Users.
		{"arn:aws:iam::123456789012:user/Alice", "arn:aws:iam::123456789012:user/Alice", true},
		{"arn:aws:iam::123456789012:user/Alice", "arn:aws:iam::123456789012:user/ops/ALICE", true},
		{"arn:aws:iam::123456789012:user/Alice", "arn:aws:iam::123456789012:user/Bob", false},
		{"arn:aws:iam::123456789012:user/kelvin", "arn:aws:iam::123456789012:role/kelvin", false},
		// Federated users: exact names.
		{"arn:aws:sts::123456789012:federated-user/Bob", "arn:aws:sts::123456789012:federated-user/Bob", true},
		{"arn:aws:sts::123456789012:federated-user/Bob", "arn:aws:sts::123456789012:federated-user/bob", false},
		// Root.
		{"arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:root", true},
		{"arn:aws:iam::123456789012:root", "arn:aws-us-gov:iam::123456789012:root", false},
		{"arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:user/root", false},
	}
	for _, tt := range tests {
		a, b := mustPrincipal(t, tt.a), mustPrincipal(t, tt.b)
		if got := SamePrincipal(a, b); got != tt.want {
			t.Errorf("SamePrincipal(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := SamePrincipal(b, a); got != tt.want {
			t.Errorf("SamePrincipal(%s, %s) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
	root := mustPrincipal(t, "arn:aws:iam::123456789012:root")
	if SamePrincipal(Principal{}, Principal{}) || SamePrincipal(root, Principal{ARN: root.ARN}) {
		t.Error("SamePrincipal is true for a Principal of KindUnknown")
	}
}

func TestSameAccountAndPartition(t *testing.T) {
	tests := []struct {
		a, b                 string
		sameAccount, samePtn bool
	}{
		{"arn:aws:iam::123456789012:root", "arn:aws:s3:us-east-1:123456789012:x", true, true},
		{"arn:aws:iam::123456789012:root", "arn:aws:iam::210987654321:root", false, true},
		{"arn:aws:iam::123456789012:root", "arn:aws-cn:iam::123456789012:root", false, false},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::other", false, true},
		{"arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B", false, true},
	}
	for _, tt := range tests {
		a, b := mustParse(t, tt.a), mustParse(t, tt.b)
		if got := SameAccount(a, b); got != tt.sameAccount {
			t.Errorf("SameAccount(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.sameAccount)
		}
		if got := SamePartition(a, b); got != tt.samePtn {
			t.Errorf("SamePartition(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.samePtn)
		}
	}
	if SameAccount(ARN{}, ARN{}) || SamePartition(ARN{}, ARN{}) {
		t.Error("zero ARNs are in the same account or partition")
	}
}

func TestEqualName(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Admin", "Admin", true},
		{"Admin", "admin", true},
		{"ADMIN", "admin", true},
		{"a@b.C", "A@B.c", true},
		{"", "", true},
		{"Admin", "Admin2", false},
		{"Admin", "Adm1n", false},
		{"[", "{", false}, // 0x5B and 0x7B differ by 0x20 but are not letters
		{"@", "`", false},
		{"k", "\u212a", false}, // Kelvin sign: strings.EqualFold says true
		{"\u212a", "\u212a", true},
	}
	for _, tt := range tests {
		if got := EqualName(tt.a, tt.b); got != tt.want {
			t.Errorf("EqualName(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSSO(t *testing.T) {
	tests := []struct {
		name, permissionSet string
		ok                  bool
	}{
		{"AWSReservedSSO_Admin_0123456789abcdef", "Admin", true},
		{"AWSReservedSSO_AdministratorAccess_1234567890abcdef", "AdministratorAccess", true},
		{"AWSReservedSSO_Data_Base_Admin_abcdef0123456789", "Data_Base_Admin", true},
		{"AWSReservedSSO__0123456789abcdef", "", false},
		{"AWSReservedSSO_Admin_0123456789ABCDEF", "", false},
		{"AWSReservedSSO_Admin_0123456789abcde", "", false},
		{"AWSReservedSSO_Admin-0123456789abcdef", "", false},
		{"awsreservedsso_Admin_0123456789abcdef", "", false},
		{"Admin", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := SSOPermissionSetName(tt.name)
		if got != tt.permissionSet || ok != tt.ok {
			t.Errorf("SSOPermissionSetName(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.permissionSet, tt.ok)
		}
		if IsSSORoleName(tt.name) != tt.ok {
			t.Errorf("IsSSORoleName(%q) = %v, want %v", tt.name, !tt.ok, tt.ok)
		}
	}

	if got := SSORolePath(""); got != "/aws-reserved/sso.amazonaws.com/" {
		t.Errorf(`SSORolePath("") = %q`, got)
	}
	if got := SSORolePath("eu-west-1"); got != "/aws-reserved/sso.amazonaws.com/eu-west-1/" {
		t.Errorf(`SSORolePath("eu-west-1") = %q`, got)
	}

	isSSO := map[string]bool{
		"arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com":                                   true,
		"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef":                              true,
		"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef":                    true,
		"arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef":                                                             false,
		"arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com":                                                                   false,
		"arn:aws:iam::123456789012:user/AWSReservedSSO_Admin_0123456789abcdef":                                                             false,
		"arn:aws-cn:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_DatabaseAdministrator_1234567890abcdef": true,
	}
	for s, want := range isSSO {
		if got := mustPrincipal(t, s).IsSSO(); got != want {
			t.Errorf("IsSSO(%s) = %v, want %v", s, got, want)
		}
	}
}
