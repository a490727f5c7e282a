package callerid_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid"
	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/sts/ststest"
)

// identity returns the Identity of a caller with the given ARN, as Whoami
// would.
func identity(t *testing.T, a string) *callerid.Identity {
	t.Helper()
	p, err := arn.ParsePrincipal(a)
	if err != nil {
		t.Fatal(err)
	}
	return &callerid.Identity{Account: p.ARN.AccountID, ARN: a, Principal: p}
}

func TestExpectCheck(t *testing.T) {
	const (
		user      = "arn:aws:iam::123456789012:user/alice"
		userPath  = "arn:aws:iam::123456789012:user/ops/alice"
		session   = "arn:aws:sts::123456789012:assumed-role/deploy/ci-run-42"
		otherRole = "arn:aws:sts::123456789012:assumed-role/read-only/ci-run-42"
		otherAcct = "arn:aws:sts::111122223333:assumed-role/deploy/ci-run-42"
		china     = "arn:aws-cn:sts::123456789012:assumed-role/deploy/ci-run-42"
		root      = "arn:aws:iam::123456789012:root"
		federated = "arn:aws:sts::123456789012:federated-user/bob"
	)
	tests := []struct {
		name   string
		want   callerid.Expect
		caller string
		// mismatches is nil when the caller matches.
		mismatches []callerid.Mismatch
	}{
		{"nothing expected", callerid.Expect{}, user, nil},
		{"account", callerid.Expect{Account: "123456789012"}, user, nil},
		{"account of a session", callerid.Expect{Account: "123456789012"}, session, nil},
		{"wrong account", callerid.Expect{Account: "123456789012"}, otherAcct,
			[]callerid.Mismatch{{"account", "123456789012", "111122223333"}}},

		{"role", callerid.Expect{Role: "deploy"}, session, nil},
		{"role, other case", callerid.Expect{Role: "Deploy"}, session, nil},
		{"role with its path", callerid.Expect{Role: "/ops/deploy"}, session, nil},
		{"role with a path without slashes around", callerid.Expect{Role: "ops/deploy"}, session, nil},
		{"wrong role", callerid.Expect{Role: "deploy"}, otherRole,
			[]callerid.Mismatch{{"role", "deploy", "role read-only"}}},
		{"role wanted, IAM user found", callerid.Expect{Role: "deploy"}, user,
			[]callerid.Mismatch{{"role", "deploy", "IAM user alice"}}},
		{"role wanted, root found", callerid.Expect{Role: "deploy"}, root,
			[]callerid.Mismatch{{"role", "deploy", "root"}}},
		{"role wanted, federated user found", callerid.Expect{Role: "deploy"}, federated,
			[]callerid.Mismatch{{"role", "deploy", "federated user bob"}}},
		{"a user's name is not a role", callerid.Expect{Role: "alice"}, user,
			[]callerid.Mismatch{{"role", "alice", "IAM user alice"}}},
		{"role name in another account", callerid.Expect{Role: "deploy"}, otherAcct, nil},

		{"role ARN", callerid.Expect{Role: "arn:aws:iam::123456789012:role/deploy"}, session, nil},
		{"role ARN with a path", callerid.Expect{Role: "arn:aws:iam::123456789012:role/ops/deploy"}, session, nil},
		{"role ARN, other account", callerid.Expect{Role: "arn:aws:iam::123456789012:role/deploy"}, otherAcct,
			[]callerid.Mismatch{{"role", "arn:aws:iam::123456789012:role/deploy", "role arn:aws:iam::111122223333:role/deploy"}}},
		{"role ARN, other partition", callerid.Expect{Role: "arn:aws:iam::123456789012:role/deploy"}, china,
			[]callerid.Mismatch{{"role", "arn:aws:iam::123456789012:role/deploy", "role arn:aws-cn:iam::123456789012:role/deploy"}}},
		{"role ARN, IAM user found", callerid.Expect{Role: "arn:aws:iam::123456789012:role/alice"}, user,
			[]callerid.Mismatch{{"role", "arn:aws:iam::123456789012:role/alice", "IAM user alice"}}},

		{"partition", callerid.Expect{Partition: "aws"}, session, nil},
		{"wrong partition", callerid.Expect{Partition: "aws"}, china,
			[]callerid.Mismatch{{"partition", "aws", "aws-cn"}}},

		{"user ARN", callerid.Expect{ARN: user}, userPath, nil},
		{"user ARN, other user", callerid.Expect{ARN: "arn:aws:iam::123456789012:user/bob"}, user,
			[]callerid.Mismatch{{"principal", "arn:aws:iam::123456789012:user/bob", user}}},
		{"role ARN as principal", callerid.Expect{ARN: "arn:aws:iam::123456789012:role/deploy"}, session, nil},
		{"role ARN as principal, other role", callerid.Expect{ARN: "arn:aws:iam::123456789012:role/deploy"}, otherRole,
			[]callerid.Mismatch{{"principal", "arn:aws:iam::123456789012:role/deploy", "arn:aws:iam::123456789012:role/read-only"}}},
		{"session ARN as principal, other session", callerid.Expect{ARN: "arn:aws:sts::123456789012:assumed-role/deploy/other"}, session, nil},

		{"everything wrong", callerid.Expect{Partition: "aws-cn", Account: "123456789012", Role: "deploy"}, "arn:aws:iam::111122223333:user/alice",
			[]callerid.Mismatch{
				{"partition", "aws-cn", "aws"},
				{"account", "123456789012", "111122223333"},
				{"role", "deploy", "IAM user alice"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := identity(t, tt.caller)
			err := tt.want.Check(id)
			if tt.mismatches == nil {
				if err != nil {
					t.Fatalf("Check(%s) = %v, want a match", tt.caller, err)
				}
				return
			}
			var me *callerid.MismatchError
			if !errors.As(err, &me) {
				t.Fatalf("Check(%s) = %v, want a *MismatchError", tt.caller, err)
			}
			if diff := cmp.Diff(&callerid.MismatchError{Identity: id, Mismatches: tt.mismatches}, me); diff != "" {
				t.Errorf("MismatchError (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMismatchErrorIsOneLine(t *testing.T) {
	err := callerid.Expect{Account: "123456789012", Role: "deploy"}.Check(identity(t, "arn:aws:iam::111122223333:user/alice"))
	want := "callerid: expected account 123456789012, found 111122223333; expected role deploy, found IAM user alice (caller arn:aws:iam::111122223333:user/alice)"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
}

func TestExpectValidate(t *testing.T) {
	tests := []struct {
		name  string
		want  callerid.Expect
		field string
		msg   string
	}{
		{"short account", callerid.Expect{Account: "12345"}, "Account",
			`callerid: Expect.Account "12345": an account id is 12 digits`},
		{"account with letters", callerid.Expect{Account: "12345678901a"}, "Account",
			`callerid: Expect.Account "12345678901a": an account id is 12 digits`},
		{"role name with a space", callerid.Expect{Role: "my role"}, "Role",
			`callerid: Expect.Role "my role": a role name may only contain ASCII letters, digits and _+=,.@-`},
		{"path without a name", callerid.Expect{Role: "/ops/"}, "Role",
			`callerid: Expect.Role "/ops/": no role name after the path`},
		{"user ARN as role", callerid.Expect{Role: "arn:aws:iam::123456789012:user/alice"}, "Role",
			`callerid: Expect.Role "arn:aws:iam::123456789012:user/alice": the ARN of an IAM user is not an IAM role's: want arn:PARTITION:iam::ACCOUNT:role/NAME`},
		{"not an ARN", callerid.Expect{ARN: "arn:aws:iam::12:user/alice"}, "ARN", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.want.Validate()
			var ee *callerid.ExpectError
			if !errors.As(err, &ee) || ee.Field != tt.field {
				t.Fatalf("Validate() = %v, want an *ExpectError about %s", err, tt.field)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Errorf("Validate() = %q\nwant         %q", err, tt.msg)
			}
			// Check refuses it too, rather than matching anyone.
			if err := tt.want.Check(identity(t, "arn:aws:iam::123456789012:user/alice")); !errors.As(err, &ee) {
				t.Errorf("Check with an invalid Expect = %v, want the *ExpectError", err)
			}
		})
	}
	var pe *arn.ParseError
	if err := (callerid.Expect{ARN: "arn:aws:iam::12:user/alice"}).Validate(); !errors.As(err, &pe) {
		t.Errorf("Validate() = %v, want an *arn.ParseError inside", err)
	}
}

func TestRequire(t *testing.T) {
	srv := ststest.NewServer(ststest.WithSeed(12))
	defer srv.Close()
	user := srv.AddUser("123456789012", "/ops/", "alice")
	role := srv.AddAssumedRole("123456789012", "deploy", "ci-run-42")
	ask := func(key ststest.Key, want callerid.Expect) (*callerid.Identity, error) {
		return callerid.Require(context.Background(), want,
			callerid.WithGetenv(isolated(t, nil)),
			callerid.WithEndpointURL(srv.URL),
			callerid.WithCredentials(key.Provider()))
	}

	id, err := ask(role, callerid.Expect{Account: "123456789012", Role: "deploy"})
	if err != nil || id == nil || id.ARN != "arn:aws:sts::123456789012:assumed-role/deploy/ci-run-42" {
		t.Fatalf("Require(deploy session) = %v, %v; want its identity", id, err)
	}

	id, err = ask(user, callerid.Expect{Account: "123456789012", Role: "deploy"})
	var me *callerid.MismatchError
	if !errors.As(err, &me) || id == nil || me.Identity != id {
		t.Fatalf("Require(alice, role deploy) = %v, %v; want her identity and a *MismatchError about it", id, err)
	}
	want := "callerid: expected role deploy, found IAM user alice (caller arn:aws:iam::123456789012:user/ops/alice)"
	if err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}

	_, err = ask(role, callerid.Expect{Account: "210987654321"})
	if !errors.As(err, &me) || err.Error() != "callerid: expected account 210987654321, found 123456789012 (caller arn:aws:sts::123456789012:assumed-role/deploy/ci-run-42)" {
		t.Errorf("Require(deploy session, other account) = %v", err)
	}

	// An expectation that cannot be checked fails before STS is asked.
	before := len(srv.Requests())
	id, err = ask(role, callerid.Expect{Account: "1234"})
	var ee *callerid.ExpectError
	if !errors.As(err, &ee) || id != nil {
		t.Errorf("Require(bad account) = %v, %v; want no identity and an *ExpectError", id, err)
	}
	if n := len(srv.Requests()); n != before {
		t.Errorf("Require with an invalid Expect sent %d requests", n-before)
	}
}
