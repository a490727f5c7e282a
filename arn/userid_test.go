package arn

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseUserID(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want UserID
	}{
		// STS GetCallerIdentity examples (which show an access key ID
		// where a unique ID goes, hence KindUnknown).
		{"sts example user", "AKIAI44QH8DHBEXAMPLE",
			UserID{UniqueID: "AKIAI44QH8DHBEXAMPLE", IDKind: IDAccessKey}},
		{"sts example assumed role", "AKIAI44QH8DHBEXAMPLE:my-role-session-name",
			UserID{UniqueID: "AKIAI44QH8DHBEXAMPLE", IDKind: IDAccessKey, Name: "my-role-session-name"}},
		{"sts example federated user", "123456789012:my-federated-user-name",
			UserID{Kind: KindFederatedUser, AccountID: "123456789012", Name: "my-federated-user-name"}},

		// The forms of the aws:userid policy variable.
		{"root", "123456789012", UserID{Kind: KindRoot, AccountID: "123456789012"}},
		{"iam user", "AIDACKCEVSQ6C2EXAMPLE", UserID{Kind: KindUser, UniqueID: "AIDACKCEVSQ6C2EXAMPLE", IDKind: IDUser}},
		{"role session", "AROADBQP57FF2AEXAMPLE:my-role-session-name",
			UserID{Kind: KindAssumedRole, UniqueID: "AROADBQP57FF2AEXAMPLE", IDKind: IDRole, Name: "my-role-session-name"}},
		{"sso session", "AROA3XFRBF535PLBIFPI4:alice@example.com",
			UserID{Kind: KindAssumedRole, UniqueID: "AROA3XFRBF535PLBIFPI4", IDKind: IDRole, Name: "alice@example.com"}},
		{"ec2 instance role", "AROAEXAMPLEID12345678:i-0123456789abcdef0",
			UserID{Kind: KindAssumedRole, UniqueID: "AROAEXAMPLEID12345678", IDKind: IDRole, Name: "i-0123456789abcdef0"}},
		{"session name with all characters", "AROAEXAMPLEID12345678:a@b=c,d.e-f_g+h",
			UserID{Kind: KindAssumedRole, UniqueID: "AROAEXAMPLEID12345678", IDKind: IDRole, Name: "a@b=c,d.e-f_g+h"}},
		{"role ID without session", "AROAEXAMPLEID12345678",
			UserID{UniqueID: "AROAEXAMPLEID12345678", IDKind: IDRole}},
		{"user ID with session", "AIDACKCEVSQ6C2EXAMPLE:s1",
			UserID{UniqueID: "AIDACKCEVSQ6C2EXAMPLE", IDKind: IDUser, Name: "s1"}},
		{"unknown prefix", "AXYZCKCEVSQ6C2EXAMPLE", UserID{UniqueID: "AXYZCKCEVSQ6C2EXAMPLE"}},
		{"64-character session", "AROAEXAMPLEID12345678:" + strings.Repeat("s", 64),
			UserID{Kind: KindAssumedRole, UniqueID: "AROAEXAMPLEID12345678", IDKind: IDRole, Name: strings.Repeat("s", 64)}},
		{"32-character federated name", "123456789012:" + strings.Repeat("f", 32),
			UserID{Kind: KindFederatedUser, AccountID: "123456789012", Name: strings.Repeat("f", 32)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseUserID(tt.in)
			if err != nil {
				t.Fatalf("ParseUserID(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseUserID(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("ParseUserID(%q).String() = %q", tt.in, s)
			}
		})
	}
}

func TestParseUserIDErrors(t *testing.T) {
	const idReason = "must be a 12-digit account ID or a unique ID of 16 to 128 upper-case letters and digits"
	tests := []struct {
		name string
		in   string
		want ParseError // without Input, Field (-1)
	}{
		{"empty", "", ParseError{Part: "unique ID", Reason: "is empty: " + idReason}},
		{"colon only", ":x", ParseError{Part: "unique ID", Reason: "is empty: " + idReason}},
		{"11 digits", "12345678901", ParseError{Part: "unique ID", Value: "12345678901", Reason: idReason}},
		{"13 digits", "1234567890123", ParseError{Part: "unique ID", Value: "1234567890123", Reason: idReason}},
		{"lower case", "aidackcevsq6c2example", ParseError{Part: "unique ID", Value: "aidackcevsq6c2example", Reason: idReason}},
		{"too short", "AIDA1234", ParseError{Part: "unique ID", Value: "AIDA1234", Reason: idReason}},
		{"too long", strings.Repeat("A", 129), ParseError{Part: "unique ID", Value: cut(strings.Repeat("A", 129)), Reason: idReason}},
		{"anonymous", "anonymous", ParseError{Part: "unique ID", Value: "anonymous", Reason: idReason}},
		{"empty session", "AROAEXAMPLEID12345678:",
			ParseError{Part: "name", Offset: 22, Reason: "session name is empty"}},
		{"one-character session", "AROAEXAMPLEID12345678:s",
			ParseError{Part: "name", Value: "s", Offset: 22, Reason: "session name must be 2 to 64 characters long"}},
		{"65-character session", "AROAEXAMPLEID12345678:" + strings.Repeat("s", 65),
			ParseError{Part: "name", Value: strings.Repeat("s", 65), Offset: 22, Reason: "session name must be 2 to 64 characters long"}},
		{"second colon", "AROAEXAMPLEID12345678:a:b",
			ParseError{Part: "name", Value: "a:b", Offset: 22, Reason: "session name may only contain ASCII letters, digits and _+=,.@-"}},
		{"space in session", "AROAEXAMPLEID12345678:a b",
			ParseError{Part: "name", Value: "a b", Offset: 22, Reason: "session name may only contain ASCII letters, digits and _+=,.@-"}},
		{"newline in session", "AROAEXAMPLEID12345678:ab\n",
			ParseError{Part: "name", Value: "ab\n", Offset: 22, Reason: "session name may only contain ASCII letters, digits and _+=,.@-"}},
		{"33-character federated name", "123456789012:" + strings.Repeat("f", 33),
			ParseError{Part: "name", Value: strings.Repeat("f", 33), Offset: 13, Reason: "federated user name must be 2 to 32 characters long"}},
		{"empty federated name", "123456789012:",
			ParseError{Part: "name", Offset: 13, Reason: "federated user name is empty"}},
		{"too long overall", "AROAEXAMPLEID12345678:" + strings.Repeat("s", 300),
			ParseError{Part: "length", Offset: 256, Reason: "user ID is 322 bytes long, more than the 256 allowed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseUserID(tt.in)
			if err == nil {
				t.Fatalf("ParseUserID(%q) = %+v, want an error", tt.in, got)
			}
			if got != (UserID{}) {
				t.Errorf("ParseUserID(%q) returned %+v with its error", tt.in, got)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseUserID(%q) error %T is not a *ParseError", tt.in, err)
			}
			want := tt.want
			want.Input, want.Field = cut(tt.in), -1
			if diff := cmp.Diff(want, *pe, equateErrors); diff != "" {
				t.Errorf("ParseUserID(%q) error mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestIDKindOf(t *testing.T) {
	tests := []struct {
		id   string
		want IDKind
	}{
		{"AIDACKCEVSQ6C2EXAMPLE", IDUser},
		{"AROADBQP57FF2AEXAMPLE", IDRole},
		{"AGPAJQ4SEXAMPLE12345X", IDGroup},
		{"AIPAJQ4SEXAMPLE12345X", IDInstanceProfile},
		{"AKIAIOSFODNN7EXAMPLE", IDAccessKey},
		{"ASIAIOSFODNN7EXAMPLE", IDTemporaryAccessKey},
		{"ANPAJ2UCCR6DPCEXAMPLE", IDManagedPolicy},
		{"ANVAJ2UCCR6DPCEXAMPLE", IDPolicyVersion},
		{"APKAEIBAERJR2EXAMPLE", IDPublicKey},
		{"ASCACKCEVSQ6C2EXAMPLE", IDCertificate},
		{"ABIAEXAMPLEEXAMPLE12", IDBearerToken},
		{"ACCAEXAMPLEEXAMPLE12", IDContextSpecificCredential},
		{"AXYZEXAMPLEEXAMPLE12", IDUnknown},
		{"AIDA", IDUnknown},                  // too short to be an ID
		{"aidackcevsq6c2example", IDUnknown}, // lower case
		{"AIDACKCEVSQ6C2EXAMPL:", IDUnknown},
		{"", IDUnknown},
	}
	for _, tt := range tests {
		if got := IDKindOf(tt.id); got != tt.want {
			t.Errorf("IDKindOf(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestIDKindMethods(t *testing.T) {
	tests := []struct {
		k            IDKind
		prefix, name string
		accessKey    bool
	}{
		{IDUnknown, "", "unknown", false},
		{IDUser, "AIDA", "IAM user", false},
		{IDRole, "AROA", "IAM role", false},
		{IDGroup, "AGPA", "IAM user group", false},
		{IDInstanceProfile, "AIPA", "instance profile", false},
		{IDAccessKey, "AKIA", "access key", true},
		{IDTemporaryAccessKey, "ASIA", "temporary access key", true},
		{IDManagedPolicy, "ANPA", "managed policy", false},
		{IDPolicyVersion, "ANVA", "managed policy version", false},
		{IDPublicKey, "APKA", "public key", false},
		{IDCertificate, "ASCA", "certificate", false},
		{IDBearerToken, "ABIA", "STS service bearer token", false},
		{IDContextSpecificCredential, "ACCA", "context-specific credential", false},
		{IDKind(99), "", "IDKind(99)", false},
		{IDKind(-1), "", "IDKind(-1)", false},
	}
	for _, tt := range tests {
		if got := tt.k.Prefix(); got != tt.prefix {
			t.Errorf("%v.Prefix() = %q, want %q", tt.k, got, tt.prefix)
		}
		if got := tt.k.String(); got != tt.name {
			t.Errorf("IDKind(%d).String() = %q, want %q", int(tt.k), got, tt.name)
		}
		if got := tt.k.IsAccessKey(); got != tt.accessKey {
			t.Errorf("%v.IsAccessKey() = %v, want %v", tt.k, got, tt.accessKey)
		}
		// Every known prefix classifies back to its kind.
		if tt.prefix != "" {
			if got := IDKindOf(tt.prefix + "EXAMPLEEXAMPLE12"); got != tt.k {
				t.Errorf("IDKindOf(%s...) = %v, want %v", tt.prefix, got, tt.k)
			}
		}
	}
}

func TestUserIDMatches(t *testing.T) {
	tests := []struct {
		userID, arn string
		want        bool
	}{
		{"123456789012", "arn:aws:iam::123456789012:root", true},
		{"123456789012", "arn:aws:iam::210987654321:root", false},
		{"123456789012", "arn:aws:iam::123456789012:user/Alice", false},
		{"AIDACKCEVSQ6C2EXAMPLE", "arn:aws:iam::123456789012:user/Alice", true},
		{"AIDACKCEVSQ6C2EXAMPLE", "arn:aws:sts::123456789012:assumed-role/Alice/Alice", false},
		{"AROA3XFRBF535PLBIFPI4:alice@example.com",
			"arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com", true},
		{"AROA3XFRBF535PLBIFPI4:mallory@example.com",
			"arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com", false},
		{"AROA3XFRBF535PLBIFPI4:alice", "arn:aws:iam::123456789012:role/alice", false},
		{"123456789012:my-federated-user-name", "arn:aws:sts::123456789012:federated-user/my-federated-user-name", true},
		{"123456789012:other-name", "arn:aws:sts::123456789012:federated-user/my-federated-user-name", false},
		{"210987654321:my-federated-user-name", "arn:aws:sts::123456789012:federated-user/my-federated-user-name", false},
		// The STS examples' user IDs do not have a known kind.
		{"AKIAI44QH8DHBEXAMPLE", "arn:aws:iam::123456789012:user/Alice", false},
		{"AKIAI44QH8DHBEXAMPLE:my-role-session-name", "arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name", false},
	}
	for _, tt := range tests {
		u, err := ParseUserID(tt.userID)
		if err != nil {
			t.Fatal(err)
		}
		if got := u.Matches(mustPrincipal(t, tt.arn)); got != tt.want {
			t.Errorf("ParseUserID(%q).Matches(%s) = %v, want %v", tt.userID, tt.arn, got, tt.want)
		}
	}
	if (UserID{}).Matches(Principal{}) {
		t.Error("zero UserID matches zero Principal")
	}
}
