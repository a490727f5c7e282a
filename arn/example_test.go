package arn_test

import (
	"errors"
	"fmt"

	"github.com/callerid/callerid/arn"
)

func ExampleParse() {
	a, err := arn.Parse("arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Partition, a.Service, a.AccountID, a.Resource)
	fmt.Println(a)
	// Output:
	// aws iam 123456789012 user/division_abc/subdivision_xyz/Bob
	// arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob
}

func ExampleParse_error() {
	_, err := arn.Parse("arn:aws:iam::12345678901:user/Alice")
	fmt.Println(err)

	var pe *arn.ParseError
	if errors.As(err, &pe) {
		fmt.Printf("part=%s value=%q field=%d offset=%d\n", pe.Part, pe.Value, pe.Field, pe.Offset)
	}
	// Output:
	// arn: invalid account "12345678901" at byte 13: must be 12 digits
	// part=account value="12345678901" field=4 offset=13
}

func ExampleParsePrincipal() {
	for _, s := range []string{
		"arn:aws:iam::123456789012:user/Alice",
		"arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
		"arn:aws:iam::123456789012:root",
		"arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name",
		"arn:aws:sts::123456789012:federated-user/my-federated-user-name",
		"arn:aws-cn:iam::123456789012:role/service-role/QuickSightAction",
	} {
		p, err := arn.ParsePrincipal(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: name=%q path=%q session=%q\n", p.Kind, p.Name, p.Path, p.SessionName)
	}
	// Output:
	// IAM user: name="Alice" path="/" session=""
	// IAM user: name="Bob" path="/division_abc/subdivision_xyz/" session=""
	// root: name="" path="" session=""
	// assumed role: name="my-role-name" path="" session="my-role-session-name"
	// federated user: name="my-federated-user-name" path="" session=""
	// IAM role: name="QuickSightAction" path="/service-role/" session=""
}

func ExampleParsePrincipal_notPrincipal() {
	for _, s := range []string{
		"arn:aws:s3:::my_corporate_bucket",
		"arn:aws:iam::123456789012:group/Developers",
		"arn:aws:sts::123456789012:assumed-role/my-role-name",
	} {
		_, err := arn.ParsePrincipal(s)
		fmt.Println(errors.Is(err, arn.ErrNotPrincipal), err)
	}
	// Output:
	// true arn: invalid service "s3" at byte 8: not a principal ARN: principals are in iam or sts ARNs
	// true arn: invalid resource "group/Developers" at byte 26: not a principal ARN: an iam principal's resource is root, user/NAME or role/NAME; "group" is not a principal
	// true arn: invalid resource "assumed-role/my-role-name" at byte 26: not a principal ARN: an assumed-role ARN needs a role name and a session name: assumed-role/ROLE/SESSION
}

func ExamplePrincipal_RoleARN() {
	p, err := arn.ParsePrincipal("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	// The assumed-role ARN does not say where the role lives.
	withoutPath, _ := p.RoleARN("")
	fmt.Println(withoutPath)

	// An IAM Identity Center role lives under a reserved path, which
	// includes the Region of Identity Center unless it is us-east-1.
	if p.IsSSO() {
		full, _ := p.RoleARN(arn.SSORolePath("eu-west-1"))
		fmt.Println(full)
		permissionSet, _ := arn.SSOPermissionSetName(p.Name)
		fmt.Println(permissionSet)
	}
	// Output:
	// arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef
	// arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef
	// Admin
}

func ExamplePrincipal_Canonical() {
	for _, s := range []string{
		"arn:aws:sts::123456789012:assumed-role/Admin/alice",
		"arn:aws:iam::123456789012:role/ops/Admin",
		"arn:aws:iam::123456789012:user/division_abc/Bob",
		"arn:aws:sts::123456789012:federated-user/carol",
	} {
		p, _ := arn.ParsePrincipal(s)
		fmt.Println(p.Canonical(), p.CanonicalWithoutPath())
	}
	// Output:
	// arn:aws:iam::123456789012:role/Admin arn:aws:iam::123456789012:role/Admin
	// arn:aws:iam::123456789012:role/ops/Admin arn:aws:iam::123456789012:role/Admin
	// arn:aws:iam::123456789012:user/division_abc/Bob arn:aws:iam::123456789012:user/Bob
	// arn:aws:sts::123456789012:federated-user/carol arn:aws:sts::123456789012:federated-user/carol
}

func ExampleSamePrincipal() {
	allowed, _ := arn.ParsePrincipal("arn:aws:iam::123456789012:role/ops/Admin")
	for _, s := range []string{
		"arn:aws:sts::123456789012:assumed-role/Admin/alice",
		"arn:aws:sts::123456789012:assumed-role/admin/bob",
		"arn:aws:sts::210987654321:assumed-role/Admin/alice",
		"arn:aws:iam::123456789012:user/Admin",
	} {
		caller, _ := arn.ParsePrincipal(s)
		fmt.Println(arn.SamePrincipal(allowed, caller), s)
	}
	// Output:
	// true arn:aws:sts::123456789012:assumed-role/Admin/alice
	// true arn:aws:sts::123456789012:assumed-role/admin/bob
	// false arn:aws:sts::210987654321:assumed-role/Admin/alice
	// false arn:aws:iam::123456789012:user/Admin
}

func ExampleParseUserID() {
	for _, s := range []string{
		"AIDACKCEVSQ6C2EXAMPLE",
		"AROA3XFRBF535PLBIFPI4:alice@example.com",
		"123456789012:my-federated-user-name",
		"123456789012",
	} {
		u, err := arn.ParseUserID(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: id=%q (%s) account=%q name=%q\n", u.Kind, u.UniqueID, u.IDKind, u.AccountID, u.Name)
	}
	// Output:
	// IAM user: id="AIDACKCEVSQ6C2EXAMPLE" (IAM user) account="" name=""
	// assumed role: id="AROA3XFRBF535PLBIFPI4" (IAM role) account="" name="alice@example.com"
	// federated user: id="" (unknown) account="123456789012" name="my-federated-user-name"
	// root: id="" (unknown) account="123456789012" name=""
}

func ExampleUserID_Matches() {
	p, _ := arn.ParsePrincipal("arn:aws:sts::123456789012:assumed-role/Admin/alice")
	for _, s := range []string{"AROA3XFRBF535PLBIFPI4:alice", "AROA3XFRBF535PLBIFPI4:mallory"} {
		u, _ := arn.ParseUserID(s)
		fmt.Println(s, u.Matches(p))
	}
	// Output:
	// AROA3XFRBF535PLBIFPI4:alice true
	// AROA3XFRBF535PLBIFPI4:mallory false
}

func ExampleIDKindOf() {
	for _, id := range []string{"AKIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPLE", "AIDACKCEVSQ6C2EXAMPLE", "not-an-id"} {
		k := arn.IDKindOf(id)
		fmt.Printf("%s: %s, access key: %v\n", id, k, k.IsAccessKey())
	}
	// Output:
	// AKIAIOSFODNN7EXAMPLE: access key, access key: true
	// ASIAIOSFODNN7EXAMPLE: temporary access key, access key: true
	// AIDACKCEVSQ6C2EXAMPLE: IAM user, access key: false
	// not-an-id: unknown, access key: false
}

func ExamplePartitionForRegion() {
	for _, region := range []string{"us-east-1", "cn-north-1", "us-gov-west-1", "eusc-de-east-1", "us-isob-east-1"} {
		p := arn.PartitionForRegion(region)
		fmt.Printf("%s: %s https://sts.%s.%s https://sts.%s.%s\n",
			region, p.ID, region, p.DNSSuffix, region, p.DualStackDNSSuffix)
	}
	// Output:
	// us-east-1: aws https://sts.us-east-1.amazonaws.com https://sts.us-east-1.api.aws
	// cn-north-1: aws-cn https://sts.cn-north-1.amazonaws.com.cn https://sts.cn-north-1.api.amazonwebservices.com.cn
	// us-gov-west-1: aws-us-gov https://sts.us-gov-west-1.amazonaws.com https://sts.us-gov-west-1.api.aws
	// eusc-de-east-1: aws-eusc https://sts.eusc-de-east-1.amazonaws.eu https://sts.eusc-de-east-1.api.amazonwebservices.eu
	// us-isob-east-1: aws-iso-b https://sts.us-isob-east-1.sc2s.sgov.gov https://sts.us-isob-east-1.api.aws.scloud
}

func ExampleLookupPartition() {
	p, ok := arn.LookupPartition("aws-cn")
	fmt.Println(ok, p.DNSSuffix, p.GlobalRegion, p.MatchesRegion("cn-northwest-1"), p.MatchesRegion("us-east-1"))
	_, ok = arn.LookupPartition("aws-moon")
	fmt.Println(ok)
	// Output:
	// true amazonaws.com.cn cn-northwest-1 true false
	// false
}

func ExampleEqualName() {
	fmt.Println(arn.EqualName("Admin", "admin"))
	fmt.Println(arn.EqualName("Admin", "Admin2"))
	// Output:
	// true
	// false
}

func ExampleSameAccount() {
	a, _ := arn.Parse("arn:aws:sts::123456789012:assumed-role/Admin/alice")
	b, _ := arn.Parse("arn:aws:s3:us-east-1:123456789012:accesspoint/reports")
	c, _ := arn.Parse("arn:aws-cn:iam::123456789012:root")
	fmt.Println(arn.SameAccount(a, b), arn.SameAccount(a, c))
	// Output:
	// true false
}
