package arn

import (
	"strconv"
	"strings"
)

// An IDKind is what an IAM unique ID identifies, as told by its first four
// characters. The prefixes are those of the "Unique identifiers" section of
// the IAM identifiers documentation.
type IDKind int

const (
	// IDUnknown is the zero IDKind: not a unique ID, or a prefix this
	// package does not know.
	IDUnknown IDKind = iota
	// IDUser is an IAM user's unique ID, prefix AIDA.
	IDUser
	// IDRole is an IAM role's unique ID, prefix AROA.
	IDRole
	// IDGroup is an IAM user group's unique ID, prefix AGPA.
	IDGroup
	// IDInstanceProfile is an EC2 instance profile's unique ID, prefix AIPA.
	IDInstanceProfile
	// IDAccessKey is a long-term access key ID, which belongs to an IAM
	// user or to the root user, prefix AKIA.
	IDAccessKey
	// IDTemporaryAccessKey is a temporary access key ID, issued by STS
	// with a session token, prefix ASIA.
	IDTemporaryAccessKey
	// IDManagedPolicy is a managed policy's unique ID, prefix ANPA.
	IDManagedPolicy
	// IDPolicyVersion is the unique ID of a version of a managed policy,
	// prefix ANVA.
	IDPolicyVersion
	// IDPublicKey is a public key's unique ID, prefix APKA.
	IDPublicKey
	// IDCertificate is a certificate's unique ID, prefix ASCA.
	IDCertificate
	// IDBearerToken is an AWS STS service bearer token, prefix ABIA.
	IDBearerToken
	// IDContextSpecificCredential is a context-specific credential,
	// prefix ACCA.
	IDContextSpecificCredential
)

// idKinds are the prefix and name of each IDKind, indexed by IDKind.
var idKinds = [...]struct{ prefix, name string }{
	IDUnknown:                   {"", "unknown"},
	IDUser:                      {"AIDA", "IAM user"},
	IDRole:                      {"AROA", "IAM role"},
	IDGroup:                     {"AGPA", "IAM user group"},
	IDInstanceProfile:           {"AIPA", "instance profile"},
	IDAccessKey:                 {"AKIA", "access key"},
	IDTemporaryAccessKey:        {"ASIA", "temporary access key"},
	IDManagedPolicy:             {"ANPA", "managed policy"},
	IDPolicyVersion:             {"ANVA", "managed policy version"},
	IDPublicKey:                 {"APKA", "public key"},
	IDCertificate:               {"ASCA", "certificate"},
	IDBearerToken:               {"ABIA", "STS service bearer token"},
	IDContextSpecificCredential: {"ACCA", "context-specific credential"},
}

// String returns a readable name for k, such as "IAM user" or
// "temporary access key".
func (k IDKind) String() string {
	if k >= 0 && int(k) < len(idKinds) {
		return idKinds[k].name
	}
	return "IDKind(" + strconv.Itoa(int(k)) + ")"
}

// Prefix returns the four-letter prefix of k's unique IDs, such as "AIDA",
// or "" for IDUnknown.
func (k IDKind) Prefix() string {
	if k > 0 && int(k) < len(idKinds) {
		return idKinds[k].prefix
	}
	return ""
}

// IsAccessKey reports whether k is a kind of access key ID: long-term
// (AKIA) or temporary (ASIA).
func (k IDKind) IsAccessKey() bool {
	return k == IDAccessKey || k == IDTemporaryAccessKey
}

// IDKindOf returns what the unique ID or access key ID id identifies, from
// its prefix: IDKindOf("AIDACKCEVSQ6C2EXAMPLE") is IDUser and
// IDKindOf("ASIAIOSFODNN7EXAMPLE") is IDTemporaryAccessKey. It returns
// IDUnknown unless id has the form of such an ID, 16 to 128 upper-case
// ASCII letters and digits, and starts with a known prefix.
func IDKindOf(id string) IDKind {
	if !isUniqueID(id) {
		return IDUnknown
	}
	return idKindOfPrefix(id)
}

// idKindOfPrefix returns the IDKind of id's prefix.
func idKindOfPrefix(id string) IDKind {
	for k := IDUser; int(k) < len(idKinds); k++ {
		if strings.HasPrefix(id, idKinds[k].prefix) {
			return k
		}
	}
	return IDUnknown
}

// isUniqueID reports whether s has the form of an IAM unique ID or access
// key ID: 16 to 128 upper-case ASCII letters and digits. (IAM documents
// IDs as \w+ of 16 to 128 characters; those it issues are upper case.)
func isUniqueID(s string) bool {
	if len(s) < 16 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// A UserID is the UserId that GetCallerIdentity returns (the aws:userid
// policy variable), taken apart. It has one of four forms:
//
//	123456789012                          the root user: the account ID
//	AIDACKCEVSQ6C2EXAMPLE                 an IAM user: the user's unique ID
//	AROA3XFRBF535PLBIFPI4:session-name    a role session: the role's unique ID and the session name
//	123456789012:federated-name           a federated user: the account ID and the user's name
//
// Unlike an ARN, a unique ID tells apart an IAM user or role from one
// deleted earlier that had the same name.
type UserID struct {
	// Kind is the kind of principal the user ID belongs to: KindRoot,
	// KindUser (for a unique ID with the AIDA prefix), KindAssumedRole
	// (for a unique ID with the AROA prefix and a session name),
	// KindFederatedUser, or KindUnknown when the form and the prefix do
	// not agree on one of those.
	Kind Kind
	// UniqueID is the unique ID of the user or role, such as
	// "AIDACKCEVSQ6C2EXAMPLE"; empty for the root user and federated users.
	UniqueID string
	// IDKind is what UniqueID's prefix says it is (IDUnknown if there is
	// no UniqueID, or if its prefix is not known).
	IDKind IDKind
	// AccountID is the account of the root user and of federated users;
	// empty for the other forms (GetCallerIdentity returns the account
	// separately).
	AccountID string
	// Name is what follows the colon: the role session name for a role
	// session (for EC2 instance roles, the instance ID), or the name of a
	// federated user. It is empty for the forms without a colon.
	Name string
}

// ParseUserID parses s, the UserId of GetCallerIdentity, in one of the
// forms described at [UserID].
//
// The account ID must be 12 digits; a unique ID must be 16 to 128
// upper-case ASCII letters and digits, but may have a prefix this package
// does not know (its IDKind is then IDUnknown). A session name must be 2 to
// 64 characters long and a federated user name 2 to 32, from the set STS
// allows (ASCII letters, digits and _+=,.@-). Anything else is an error, a
// [*ParseError] whose Field is -1.
//
// Kind is set only when the form and the prefix agree: a unique ID alone is
// KindUser only with the AIDA prefix, a unique ID with a session name is
// KindAssumedRole only with the AROA prefix. Other well-formed user IDs
// parse with KindUnknown. (The examples of the STS documentation are of
// that sort: they show an access key ID, AKIAI44QH8DHBEXAMPLE, where a
// user's or role's unique ID goes.)
func ParseUserID(s string) (UserID, error) {
	if len(s) > 256 {
		return UserID{}, newError(s, "length", "", 256, -1,
			"user ID is "+strconv.Itoa(len(s))+" bytes long, more than the 256 allowed")
	}
	id, name, hasName := strings.Cut(s, ":")
	if isAccountID(id) {
		if !hasName {
			return UserID{Kind: KindRoot, AccountID: id}, nil
		}
		if why := checkName("federated user name", name, 2, 32); why != "" {
			return UserID{}, newError(s, "name", name, len(id)+1, -1, why)
		}
		return UserID{Kind: KindFederatedUser, AccountID: id, Name: name}, nil
	}
	if !isUniqueID(id) {
		reason := "must be a 12-digit account ID or a unique ID of 16 to 128 upper-case letters and digits"
		if id == "" {
			reason = "is empty: " + reason
		}
		return UserID{}, newError(s, "unique ID", id, 0, -1, reason)
	}
	u := UserID{UniqueID: id, IDKind: idKindOfPrefix(id)}
	if !hasName {
		if u.IDKind == IDUser {
			u.Kind = KindUser
		}
		return u, nil
	}
	if why := checkName("session name", name, 2, 64); why != "" {
		return UserID{}, newError(s, "name", name, len(id)+1, -1, why)
	}
	u.Name = name
	if u.IDKind == IDRole {
		u.Kind = KindAssumedRole
	}
	return u, nil
}

// String returns u in the form GetCallerIdentity returns it. For a UserID
// returned by [ParseUserID], it is exactly the text that was parsed.
func (u UserID) String() string {
	id := u.UniqueID
	if id == "" {
		id = u.AccountID
	}
	if u.Name == "" {
		return id
	}
	return id + ":" + u.Name
}

// Matches reports whether u and p can be the UserId and the Arn of the same
// GetCallerIdentity answer: the same kind of principal, and the same account
// and name for the root user and federated users, the same session name for
// an assumed role. A guard can use it to check that the two agree before
// trusting either. It is false when u.Kind is KindUnknown.
func (u UserID) Matches(p Principal) bool {
	if u.Kind != p.Kind {
		return false
	}
	switch u.Kind {
	case KindRoot:
		return u.AccountID == p.ARN.AccountID
	case KindFederatedUser:
		return u.AccountID == p.ARN.AccountID && u.Name == p.Name
	case KindAssumedRole:
		return u.Name == p.SessionName
	case KindUser:
		return true
	}
	return false
}
