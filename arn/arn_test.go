package arn

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// validARNs are ARNs Parse must accept, with the parts it must find. They
// include every example ARN of the IAM identifiers page and of the STS
// GetCallerIdentity reference, and ARNs of other services and partitions.
var validARNs = []struct {
	name string
	in   string
	want ARN
}{
	// IAM identifiers, "IAM ARNs".
	{"iam root", "arn:aws:iam::123456789012:root",
		ARN{"aws", "iam", "", "123456789012", "root"}},
	{"iam user", "arn:aws:iam::123456789012:user/JohnDoe",
		ARN{"aws", "iam", "", "123456789012", "user/JohnDoe"}},
	{"iam user with path", "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe",
		ARN{"aws", "iam", "", "123456789012", "user/division_abc/subdivision_xyz/JaneDoe"}},
	{"iam group", "arn:aws:iam::123456789012:group/Developers",
		ARN{"aws", "iam", "", "123456789012", "group/Developers"}},
	{"iam group with path", "arn:aws:iam::123456789012:group/division_abc/subdivision_xyz/product_A/Developers",
		ARN{"aws", "iam", "", "123456789012", "group/division_abc/subdivision_xyz/product_A/Developers"}},
	{"iam role", "arn:aws:iam::123456789012:role/S3Access",
		ARN{"aws", "iam", "", "123456789012", "role/S3Access"}},
	{"iam role with path", "arn:aws:iam::123456789012:role/application_abc/component_xyz/RDSAccess",
		ARN{"aws", "iam", "", "123456789012", "role/application_abc/component_xyz/RDSAccess"}},
	{"service-linked role", "arn:aws:iam::123456789012:role/aws-service-role/access-analyzer.amazonaws.com/AWSServiceRoleForAccessAnalyzer",
		ARN{"aws", "iam", "", "123456789012", "role/aws-service-role/access-analyzer.amazonaws.com/AWSServiceRoleForAccessAnalyzer"}},
	{"service role", "arn:aws:iam::123456789012:role/service-role/QuickSightAction",
		ARN{"aws", "iam", "", "123456789012", "role/service-role/QuickSightAction"}},
	{"managed policy", "arn:aws:iam::123456789012:policy/UsersManageOwnCredentials",
		ARN{"aws", "iam", "", "123456789012", "policy/UsersManageOwnCredentials"}},
	{"managed policy with path", "arn:aws:iam::123456789012:policy/division_abc/subdivision_xyz/UsersManageOwnCredentials",
		ARN{"aws", "iam", "", "123456789012", "policy/division_abc/subdivision_xyz/UsersManageOwnCredentials"}},
	{"instance profile", "arn:aws:iam::123456789012:instance-profile/Webserver",
		ARN{"aws", "iam", "", "123456789012", "instance-profile/Webserver"}},
	{"federated user", "arn:aws:sts::123456789012:federated-user/JohnDoe",
		ARN{"aws", "sts", "", "123456789012", "federated-user/JohnDoe"}},
	{"assumed role", "arn:aws:sts::123456789012:assumed-role/Accounting-Role/JaneDoe",
		ARN{"aws", "sts", "", "123456789012", "assumed-role/Accounting-Role/JaneDoe"}},
	{"mfa device", "arn:aws:iam::123456789012:mfa/JaneDoeMFA",
		ARN{"aws", "iam", "", "123456789012", "mfa/JaneDoeMFA"}},
	{"u2f", "arn:aws:iam::123456789012:u2f/user/JohnDoe/default",
		ARN{"aws", "iam", "", "123456789012", "u2f/user/JohnDoe/default"}},
	{"server certificate", "arn:aws:iam::123456789012:server-certificate/ProdServerCert",
		ARN{"aws", "iam", "", "123456789012", "server-certificate/ProdServerCert"}},
	{"server certificate with path", "arn:aws:iam::123456789012:server-certificate/division_abc/subdivision_xyz/ProdServerCert",
		ARN{"aws", "iam", "", "123456789012", "server-certificate/division_abc/subdivision_xyz/ProdServerCert"}},
	{"saml provider", "arn:aws:iam::123456789012:saml-provider/ADFSProvider",
		ARN{"aws", "iam", "", "123456789012", "saml-provider/ADFSProvider"}},
	{"oidc provider", "arn:aws:iam::123456789012:oidc-provider/GoogleProvider",
		ARN{"aws", "iam", "", "123456789012", "oidc-provider/GoogleProvider"}},
	{"oidc provider eks", "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/a1b2c3d4567890abcdefEXAMPLE11111",
		ARN{"aws", "iam", "", "123456789012", "oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/a1b2c3d4567890abcdefEXAMPLE11111"}},
	{"oidc provider host", "arn:aws:iam::123456789012:oidc-provider/server.example.org",
		ARN{"aws", "iam", "", "123456789012", "oidc-provider/server.example.org"}},

	// STS GetCallerIdentity examples.
	{"sts example user", "arn:aws:iam::123456789012:user/Alice",
		ARN{"aws", "iam", "", "123456789012", "user/Alice"}},
	{"sts example assumed role", "arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name",
		ARN{"aws", "sts", "", "123456789012", "assumed-role/my-role-name/my-role-session-name"}},
	{"sts example federated user", "arn:aws:sts::123456789012:federated-user/my-federated-user-name",
		ARN{"aws", "sts", "", "123456789012", "federated-user/my-federated-user-name"}},

	// AWS managed policies have the pseudo-account "aws".
	{"aws managed policy", "arn:aws:iam::aws:policy/AdministratorAccess",
		ARN{"aws", "iam", "", "aws", "policy/AdministratorAccess"}},
	{"aws managed job function policy", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
		ARN{"aws", "iam", "", "aws", "policy/job-function/ViewOnlyAccess"}},

	// Other partitions.
	{"china user", "arn:aws-cn:iam::123456789012:user/Alice",
		ARN{"aws-cn", "iam", "", "123456789012", "user/Alice"}},
	{"china sso role", "arn:aws-cn:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_DatabaseAdministrator_1234567890abcdef",
		ARN{"aws-cn", "iam", "", "111122223333", "role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_DatabaseAdministrator_1234567890abcdef"}},
	{"govcloud assumed role", "arn:aws-us-gov:sts::123456789012:assumed-role/Admin/alice",
		ARN{"aws-us-gov", "sts", "", "123456789012", "assumed-role/Admin/alice"}},
	{"govcloud s3", "arn:aws-us-gov:s3:::bucket",
		ARN{"aws-us-gov", "s3", "", "", "bucket"}},
	{"iso", "arn:aws-iso:iam::123456789012:root", ARN{"aws-iso", "iam", "", "123456789012", "root"}},
	{"iso-b", "arn:aws-iso-b:iam::123456789012:root", ARN{"aws-iso-b", "iam", "", "123456789012", "root"}},
	{"iso-e", "arn:aws-iso-e:iam::123456789012:root", ARN{"aws-iso-e", "iam", "", "123456789012", "root"}},
	{"iso-f", "arn:aws-iso-f:iam::123456789012:root", ARN{"aws-iso-f", "iam", "", "123456789012", "root"}},
	{"eusc lambda", "arn:aws-eusc:lambda:eusc-de-east-1:123456789012:function:my-function",
		ARN{"aws-eusc", "lambda", "eusc-de-east-1", "123456789012", "function:my-function"}},

	// Other services, with colons, spaces and wildcards in the resource.
	{"s3 bucket", "arn:aws:s3:::my_corporate_bucket",
		ARN{"aws", "s3", "", "", "my_corporate_bucket"}},
	{"s3 object", "arn:aws:s3:::my_corporate_bucket/exampleobject.png",
		ARN{"aws", "s3", "", "", "my_corporate_bucket/exampleobject.png"}},
	{"resource with colons", "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:c7a27f55-d35e-4153-b044-8ca9155fc467:autoScalingGroupName/my-test-asg1:policyName/my-scaleout-policy",
		ARN{"aws", "autoscaling", "us-east-1", "123456789012", "scalingPolicy:c7a27f55-d35e-4153-b044-8ca9155fc467:autoScalingGroupName/my-test-asg1:policyName/my-scaleout-policy"}},
	{"resource with spaces", "arn:aws:elasticbeanstalk:us-east-1:123456789012:environment/My App/MyEnvironment",
		ARN{"aws", "elasticbeanstalk", "us-east-1", "123456789012", "environment/My App/MyEnvironment"}},
	{"resource with wildcard, no account", "arn:aws:artifact:::report-package/Certifications and Attestations/SOC/*",
		ARN{"aws", "artifact", "", "", "report-package/Certifications and Attestations/SOC/*"}},
	{"rds", "arn:aws:rds:eu-west-1:123456789012:db:mysql-db",
		ARN{"aws", "rds", "eu-west-1", "123456789012", "db:mysql-db"}},
	{"service with hyphen", "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/pets",
		ARN{"aws", "execute-api", "us-east-1", "123456789012", "abcdef1234/prod/GET/pets"}},
	{"non-ascii resource", "arn:aws:s3:::bucket/caf\u00e9/\u65e5\u672c",
		ARN{"aws", "s3", "", "", "bucket/caf\u00e9/\u65e5\u672c"}},
	{"resource of one colon", "arn:aws:s3:::a:", ARN{"aws", "s3", "", "", "a:"}},
}

func TestParse(t *testing.T) {
	for _, tt := range validARNs {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("Parse(%q).String() = %q", tt.in, s)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("Parse(%q).Validate() = %v", tt.in, err)
			}
		})
	}
}

func TestParseMaxLen(t *testing.T) {
	prefix := "arn:aws:s3:::"
	ok := prefix + strings.Repeat("k", MaxLen-len(prefix))
	if _, err := Parse(ok); err != nil {
		t.Errorf("Parse of a %d-byte ARN: %v", len(ok), err)
	}
	_, err := Parse(ok + "k")
	want := &ParseError{
		Input:  ok[:maxErrText] + "...",
		Part:   "length",
		Offset: MaxLen,
		Field:  -1,
		Reason: "ARN is 2049 bytes long, more than the 2048 allowed",
	}
	if diff := cmp.Diff(want, err); diff != "" {
		t.Errorf("Parse of a %d-byte ARN: error mismatch (-want +got):\n%s", len(ok)+1, diff)
	}
}

// invalidARNs are texts Parse must reject, with the error it must return.
var invalidARNs = []struct {
	name string
	in   string
	want *ParseError
}{
	{"empty", "",
		&ParseError{Part: "prefix", Offset: 0, Field: 0, Reason: `an ARN must start with "arn:"`}},
	{"not an arn", "hello",
		&ParseError{Part: "prefix", Value: "hello", Offset: 0, Field: 0, Reason: `an ARN must start with "arn:"`}},
	{"upper-case prefix", "ARN:aws:iam::123456789012:root",
		&ParseError{Part: "prefix", Value: "ARN", Offset: 0, Field: 0, Reason: `an ARN must start with "arn:"`}},
	{"wrong prefix", "urn:aws:iam::123456789012:root",
		&ParseError{Part: "prefix", Value: "urn", Offset: 0, Field: 0, Reason: `an ARN must start with "arn:"`}},
	{"prefix only", "arn",
		&ParseError{Part: "partition", Offset: 3, Field: 1, Reason: "missing: an ARN has 6 colon-separated fields, this has 1"}},
	{"missing region", "arn:aws:iam",
		&ParseError{Part: "region", Offset: 11, Field: 3, Reason: "missing: an ARN has 6 colon-separated fields, this has 3"}},
	{"missing resource", "arn:aws:iam::123456789012",
		&ParseError{Part: "resource", Offset: 25, Field: 5, Reason: "missing: an ARN has 6 colon-separated fields, this has 5"}},
	{"empty partition", "arn::iam::123456789012:root",
		&ParseError{Part: "partition", Offset: 4, Field: 1, Reason: "must not be empty"}},
	{"unknown partition", "arn:aws-xx:iam::123456789012:root",
		&ParseError{Part: "partition", Value: "aws-xx", Offset: 4, Field: 1,
			Reason: "unknown partition; want one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc"}},
	{"upper-case partition", "arn:AWS:iam::123456789012:root",
		&ParseError{Part: "partition", Value: "AWS", Offset: 4, Field: 1,
			Reason: "unknown partition; want one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc"}},
	{"empty service", "arn:aws:::123456789012:root",
		&ParseError{Part: "service", Offset: 8, Field: 2, Reason: "must not be empty"}},
	{"upper-case service", "arn:aws:IAM::123456789012:root",
		&ParseError{Part: "service", Value: "IAM", Offset: 8, Field: 2, Reason: "must be lower-case letters, digits and hyphens"}},
	{"bad region", "arn:aws:s3:us east:123456789012:x",
		&ParseError{Part: "region", Value: "us east", Offset: 11, Field: 3, Reason: "must be lower-case letters, digits and hyphens"}},
	{"iam with region", "arn:aws:iam:us-east-1:123456789012:user/Alice",
		&ParseError{Part: "region", Value: "us-east-1", Offset: 12, Field: 3, Reason: "must be empty in an iam ARN: IAM is a global service"}},
	{"11-digit account", "arn:aws:iam::12345678901:user/Alice",
		&ParseError{Part: "account", Value: "12345678901", Offset: 13, Field: 4, Reason: "must be 12 digits"}},
	{"13-digit account", "arn:aws:iam::1234567890123:user/Alice",
		&ParseError{Part: "account", Value: "1234567890123", Offset: 13, Field: 4, Reason: "must be 12 digits"}},
	{"12 characters, not all digits", "arn:aws:iam::12345678901O:user/Alice",
		&ParseError{Part: "account", Value: "12345678901O", Offset: 13, Field: 4, Reason: "must be 12 digits"}},
	{"account with dashes", "arn:aws:iam::1234-5678-9012:user/Alice",
		&ParseError{Part: "account", Value: "1234-5678-9012", Offset: 13, Field: 4, Reason: "must be 12 digits"}},
	{"wildcard account", "arn:aws:iam::*:role/Admin",
		&ParseError{Part: "account", Value: "*", Offset: 13, Field: 4, Reason: "must be 12 digits"}},
	{"non-ascii digits", "arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:root",
		&ParseError{Part: "account", Value: "١٢٣٤٥٦٧٨٩٠١٢", Offset: 13, Field: 4, Reason: "must be 12 digits"}},
	{"empty iam account", "arn:aws:iam:::user/Alice",
		&ParseError{Part: "account", Offset: 13, Field: 4, Reason: "must not be empty in an iam ARN: must be 12 digits"}},
	{"empty sts account", "arn:aws:sts:::assumed-role/a/b",
		&ParseError{Part: "account", Offset: 13, Field: 4, Reason: "must not be empty in an sts ARN: must be 12 digits"}},
	{"aws account in sts", "arn:aws:sts::aws:assumed-role/a/b",
		&ParseError{Part: "account", Value: "aws", Offset: 13, Field: 4, Reason: "must be 12 digits"}},
	{"empty resource", "arn:aws:iam::123456789012:",
		&ParseError{Part: "resource", Offset: 26, Field: 5, Reason: "must not be empty"}},
	{"newline in resource", "arn:aws:iam::123456789012:user/Alice\nINFO forged",
		&ParseError{Part: "resource", Value: "user/Alice\nINFO forged", Offset: 36, Field: 5,
			Reason: `contains the control character '\n'`}},
	{"NUL in resource", "arn:aws:s3:::a\x00",
		&ParseError{Part: "resource", Value: "a\x00", Offset: 14, Field: 5, Reason: `contains the control character '\x00'`}},
	{"DEL in resource", "arn:aws:s3:::a\x7f",
		&ParseError{Part: "resource", Value: "a\x7f", Offset: 14, Field: 5, Reason: `contains the control character '\x7f'`}},
	{"C1 control in resource", "arn:aws:s3:::a\u0085",
		&ParseError{Part: "resource", Value: "a\u0085", Offset: 14, Field: 5, Reason: `contains the control character '\u0085'`}},
	{"invalid UTF-8 in resource", "arn:aws:s3:::a\xff",
		&ParseError{Part: "resource", Value: "a\xff", Offset: 14, Field: 5, Reason: "contains invalid UTF-8"}},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range invalidARNs {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want an error", tt.in, got)
			}
			if got != (ARN{}) {
				t.Errorf("Parse(%q) returned %+v with its error, want the zero ARN", tt.in, got)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T is not a *ParseError", tt.in, err)
			}
			want := *tt.want
			want.Input = tt.in
			if diff := cmp.Diff(&want, pe); diff != "" {
				t.Errorf("Parse(%q) error mismatch (-want +got):\n%s", tt.in, diff)
			}
			if errors.Is(err, ErrNotPrincipal) {
				t.Errorf("Parse(%q) error is ErrNotPrincipal", tt.in)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"arn:aws:iam::12345678901:user/Alice", `arn: invalid account "12345678901" at byte 13: must be 12 digits`},
		{"arn:aws-cn:iam::12345678901:user/Alice", `arn: invalid account "12345678901" at byte 16: must be 12 digits`},
		{"arn:aws:iam::123456789012:", `arn: invalid resource at byte 26: must not be empty`},
		{"arn:aws:iam", `arn: invalid region at byte 11: missing: an ARN has 6 colon-separated fields, this has 3`},
		{"arn:aws:s3:::a\nb", `arn: invalid resource "a\nb" at byte 14: contains the control character '\n'`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %s", tt.in, err, tt.want)
		}
	}
}

func TestParseErrorTruncates(t *testing.T) {
	// A long, bad field: neither the input nor the value is kept whole.
	long := "arn:aws:s3:" + strings.Repeat("x", 1000) + "!:123456789012:r"
	_, err := Parse(long)
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("Parse: got %v, want a *ParseError", err)
	}
	if pe.Input != long[:100]+"..." {
		t.Errorf("Input = %q, want the first 100 bytes and ...", pe.Input)
	}
	if pe.Value != strings.Repeat("x", 100)+"..." {
		t.Errorf("Value = %q, want the first 100 bytes and ...", pe.Value)
	}
	if n := len(err.Error()); n > 250 {
		t.Errorf("error message is %d bytes long: %s", n, err)
	}

	// Cutting never splits a UTF-8 sequence.
	multi := "arn:aws:s3:::" + strings.Repeat("\u00e9", 500) + "\n"
	_, err = Parse(multi)
	if !errors.As(err, &pe) {
		t.Fatalf("Parse: got %v, want a *ParseError", err)
	}
	for _, s := range []string{pe.Input, pe.Value} {
		if !strings.HasSuffix(s, "...") || len(s) > 103 || strings.ContainsRune(s, '\uFFFD') {
			t.Errorf("cut text %q is not a clean prefix", s)
		}
		if !strings.HasPrefix(multi, strings.TrimSuffix(s, "...")) && !strings.HasPrefix(multi[13:], strings.TrimSuffix(s, "...")) {
			t.Errorf("cut text %q is not a prefix", s)
		}
	}
	if pe.Offset != len(multi)-1 {
		t.Errorf("Offset = %d, want %d (the newline)", pe.Offset, len(multi)-1)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		a    ARN
		want *ParseError // without Input, which must be cut(a.String())
	}{
		{"ok", ARN{"aws", "iam", "", "123456789012", "root"}, nil},
		{"zero", ARN{},
			&ParseError{Part: "partition", Offset: 4, Field: 1, Reason: "must not be empty"}},
		{"colon in partition", ARN{"aws:x", "iam", "", "123456789012", "root"},
			&ParseError{Part: "partition", Value: "aws:x", Offset: 4, Field: 1,
				Reason: "unknown partition; want one of " + partitionList}},
		{"colon in service", ARN{"aws", "s3:x", "", "", "b"},
			&ParseError{Part: "service", Value: "s3:x", Offset: 8, Field: 2, Reason: "must be lower-case letters, digits and hyphens"}},
		{"colon in region", ARN{"aws", "s3", "us:x", "", "b"},
			&ParseError{Part: "region", Value: "us:x", Offset: 11, Field: 3, Reason: "must be lower-case letters, digits and hyphens"}},
		{"colon in account", ARN{"aws", "s3", "", "1:2", "b"},
			&ParseError{Part: "account", Value: "1:2", Offset: 12, Field: 4, Reason: "must be 12 digits"}},
		{"too long", ARN{"aws", "s3", "", "", strings.Repeat("b", MaxLen)},
			&ParseError{Part: "length", Offset: MaxLen, Field: -1, Reason: "ARN is 2061 bytes long, more than the 2048 allowed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			want := *tt.want
			want.Input = cut(tt.a.String())
			if diff := cmp.Diff(&want, err); diff != "" {
				t.Errorf("Validate() mismatch (-want +got):\n%s", diff)
			}
			// Parse never gives back what Validate refuses.
			if got, perr := Parse(tt.a.String()); perr == nil && got == tt.a {
				t.Errorf("Parse(%q) accepted what Validate refused", tt.a.String())
			}
		})
	}
}

// TestLongInput checks that huge inputs are refused at once by every
// parser, and never echoed whole.
func TestLongInput(t *testing.T) {
	huge := "arn:aws:iam::123456789012:user/" + strings.Repeat("a", 1<<20)
	for name, parse := range map[string]func(string) error{
		"Parse":          func(s string) error { _, err := Parse(s); return err },
		"ParsePrincipal": func(s string) error { _, err := ParsePrincipal(s); return err },
		"ParseUserID":    func(s string) error { _, err := ParseUserID(s); return err },
	} {
		err := parse(huge)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Part != "length" {
			t.Errorf("%s of 1 MiB: got %v, want a length error", name, err)
			continue
		}
		if len(pe.Input) > 103 || len(err.Error()) > 200 {
			t.Errorf("%s of 1 MiB: error keeps too much: %d bytes of input, message %q", name, len(pe.Input), err)
		}
	}
	// Huge inputs within the length limit: many colons, many slashes.
	for _, s := range []string{
		strings.Repeat(":", MaxLen),
		"arn:aws:s3:::" + strings.Repeat(":", MaxLen-13),
		"arn:aws:iam::123456789012:user" + strings.Repeat("/", MaxLen-30),
		"arn:aws:sts::123456789012:assumed-role" + strings.Repeat("/", MaxLen-38),
	} {
		_, _ = Parse(s)
		_, _ = ParsePrincipal(s)
		_, _ = ParseUserID(s)
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	for _, s := range []string{
		"arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name",
		"arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
	} {
		if n := testing.AllocsPerRun(100, func() { _, _ = Parse(s) }); n != 0 {
			t.Errorf("Parse(%q) allocates %v times", s, n)
		}
		if n := testing.AllocsPerRun(100, func() { _, _ = ParsePrincipal(s) }); n != 0 {
			t.Errorf("ParsePrincipal(%q) allocates %v times", s, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = ParseUserID("AROA3XFRBF535PLBIFPI4:alice@example.com") }); n != 0 {
		t.Errorf("ParseUserID allocates %v times", n)
	}
}

var (
	sinkARN       ARN
	sinkPrincipal Principal
)

func BenchmarkParse(b *testing.B) {
	const s = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		a, err := Parse(s)
		if err != nil {
			b.Fatal(err)
		}
		sinkARN = a
	}
}

func BenchmarkParsePrincipal(b *testing.B) {
	const s = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p, err := ParsePrincipal(s)
		if err != nil {
			b.Fatal(err)
		}
		sinkPrincipal = p
	}
}

func BenchmarkParseError(b *testing.B) {
	const s = "arn:aws:iam::12345678901:user/Alice"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(s); err == nil {
			b.Fatal("no error")
		}
	}
}

// equateErrors compares error fields with errors.Is.
var equateErrors = cmpopts.EquateErrors()
