package ststest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/callerid/callerid/credentials"
)

// Characters of generated ids: IAM unique ids and access key ids use
// upper-case letters and the digits 2-7.
const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// Characters of generated secret access keys.
const secretChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

func (s *Server) randLocked(chars string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[s.rng.Intn(len(chars))]
	}
	return string(b)
}

func (s *Server) requestIDLocked() string {
	const hexdig = "0123456789abcdef"
	b := []byte(s.randLocked(hexdig, 32))
	b[12] = '4'
	b[16] = hexdig[8+s.rng.Intn(4)]
	return string(b[0:8]) + "-" + string(b[8:12]) + "-" + string(b[12:16]) + "-" + string(b[16:20]) + "-" + string(b[20:])
}

// newKeyLocked makes a key pair: AKIA… for long-term keys, ASIA… with a
// session token for temporary ones.
func (s *Server) newKeyLocked(temporary bool) *Key {
	secret := s.randLocked(secretChars, 40)
	if !temporary {
		return &Key{Credentials: credentials.New("AKIA"+s.randLocked(idChars, 16), secret, "")}
	}
	id := "ASIA" + s.randLocked(idChars, 16)
	raw := make([]byte, 240)
	for i := range raw {
		raw[i] = byte(s.rng.Intn(256))
	}
	return &Key{Credentials: credentials.New(id, secret, "IQoJb3JpZ2luX2VjE"+base64.StdEncoding.EncodeToString(raw))}
}

func (s *Server) storeLocked(k *Key) Key {
	k.AccountID, k.Source = k.Identity.Account, "ststest"
	s.keys[k.AccessKeyID] = k
	return *k
}

func checkAccount(account string) {
	if len(account) != 12 || strings.Trim(account, "0123456789") != "" {
		panic(fmt.Sprintf("ststest: account %q is not a 12-digit account id", account))
	}
}

func checkName(what, name string) {
	if name == "" || strings.ContainsAny(name, "/: \t\r\n") {
		panic(fmt.Sprintf("ststest: %s %q is empty or has a slash, colon or space", what, name))
	}
}

// AddUser adds a long-term key (AKIA…) of the IAM user name, with the
// given path ("/" or e.g. "/division/"; empty means "/"), in account, and
// returns it. The user's unique id is AIDA…. It panics if account is not
// 12 digits or name is empty or has a slash.
func (s *Server) AddUser(account, path, name string) Key {
	checkAccount(account)
	checkName("user name", name)
	if path == "" {
		path = "/"
	}
	if !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, "/") {
		panic(fmt.Sprintf("ststest: IAM path %q must begin and end with a slash", path))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.newKeyLocked(false)
	k.Identity = Identity{
		UserID:  "AIDA" + s.randLocked(idChars, 17),
		ARN:     "arn:" + s.partition + ":iam::" + account + ":user" + path + name,
		Account: account,
	}
	return s.storeLocked(k)
}

// AddRoot adds a long-term key of the root user of account and returns it.
func (s *Server) AddRoot(account string) Key {
	checkAccount(account)
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.newKeyLocked(false)
	k.Identity = Identity{UserID: account, ARN: "arn:" + s.partition + ":iam::" + account + ":root", Account: account}
	return s.storeLocked(k)
}

// AddAssumedRole adds temporary credentials (ASIA… and a session token) of
// a session of the role roleName in account, as AssumeRole would issue
// them, and returns them. The identity's UserID is the role's id (AROA…,
// the same for every session of the role) and the session name; its ARN
// is arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION. The key expires an
// hour from now on the server's clock.
func (s *Server) AddAssumedRole(account, roleName, sessionName string) Key {
	checkAccount(account)
	checkName("role name", roleName)
	checkName("session name", sessionName)
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.issueLocked(s.partition, account, roleName, sessionName, s.nowLocked().Add(time.Hour).Truncate(time.Second))
	return *k
}

// AddFederatedUser adds temporary credentials of the federated user name
// in account, as GetFederationToken would issue them, and returns them.
// The identity's UserID is ACCOUNT:name. The key expires 12 hours from
// now on the server's clock.
func (s *Server) AddFederatedUser(account, name string) Key {
	checkAccount(account)
	checkName("federated user name", name)
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.newKeyLocked(true)
	k.Expires = s.nowLocked().Add(12 * time.Hour).Truncate(time.Second)
	k.Identity = Identity{
		UserID:  account + ":" + name,
		ARN:     "arn:" + s.partition + ":sts::" + account + ":federated-user/" + name,
		Account: account,
	}
	return s.storeLocked(k)
}

// Keys returns the keys the server knows, including those it issued
// through AssumeRole and AssumeRoleWithWebIdentity, in no particular order.
func (s *Server) Keys() []Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Key, 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, *k)
	}
	return out
}

// roleIDLocked returns the unique id of the role, making one the first
// time.
func (s *Server) roleIDLocked(roleARN string) string {
	id, ok := s.roleIDs[roleARN]
	if !ok {
		id = "AROA" + s.randLocked(idChars, 17)
		s.roleIDs[roleARN] = id
	}
	return id
}

// Messages of the authentication errors, as STS words them.
const (
	msgInvalidToken     = "The security token included in the request is invalid."
	msgExpiredToken     = "The security token included in the request is expired"
	msgSignatureInvalid = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// validationError words a parameter error as STS's validation does.
func validationError(msg string) *answer {
	return apiErr(http.StatusBadRequest, "ValidationError", "1 validation error detected: "+msg)
}

// sessionParams checks the parameters AssumeRole and
// AssumeRoleWithWebIdentity share and returns the role's account and name
// and the session's lifetime.
func sessionParams(form url.Values) (partition, account, roleName, session string, d time.Duration, a *answer) {
	roleARN := form.Get("RoleArn")
	session = form.Get("RoleSessionName")
	if roleARN == "" {
		return "", "", "", "", 0, validationError("Value null at 'roleArn' failed to satisfy constraint: Member must not be null")
	}
	if session == "" {
		return "", "", "", "", 0, validationError("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null")
	}
	if len(session) < 2 {
		return "", "", "", "", 0, validationError("Value '" + session + "' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2")
	}
	if len(session) > 64 {
		return "", "", "", "", 0, validationError("Value '" + session + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64")
	}
	if strings.Trim(session, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-") != "" {
		return "", "", "", "", 0, validationError("Value '" + session + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*")
	}
	parts := strings.SplitN(roleARN, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") || len(parts[4]) != 12 {
		return "", "", "", "", 0, validationError("Value '" + roleARN + "' at 'roleArn' failed to satisfy constraint: Member must be a role ARN")
	}
	partition, account = parts[1], parts[4]
	roleName = parts[5][strings.LastIndex(parts[5], "/")+1:]
	d = time.Hour
	if v := form.Get("DurationSeconds"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			return "", "", "", "", 0, validationError("Value '" + v + "' at 'durationSeconds' failed to satisfy constraint: Member must be an integer")
		case n < 900:
			return "", "", "", "", 0, validationError("Value '" + v + "' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900")
		case n > 43200:
			return "", "", "", "", 0, validationError("Value '" + v + "' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200")
		}
		d = time.Duration(n) * time.Second
	}
	return partition, account, roleName, session, d, nil
}

// issueLocked makes temporary credentials for a session of a role.
func (s *Server) issueLocked(partition, account, roleName, session string, expires time.Time) *Key {
	roleARN := "arn:" + partition + ":iam::" + account + ":role/" + roleName
	k := s.newKeyLocked(true)
	k.Expires = expires
	k.Identity = Identity{
		UserID:  s.roleIDLocked(roleARN) + ":" + session,
		ARN:     "arn:" + partition + ":sts::" + account + ":assumed-role/" + roleName + "/" + session,
		Account: account,
	}
	s.storeLocked(k)
	return k
}

func (s *Server) assumeRole(caller *Key, form url.Values, now time.Time) *answer {
	partition, account, roleName, session, d, a := sessionParams(form)
	if a != nil {
		return a
	}
	if strings.Contains(caller.Identity.ARN, ":assumed-role/") && d > time.Hour {
		return validationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	s.mu.Lock()
	k := s.issueLocked(partition, account, roleName, session, now.Add(d).Truncate(time.Second))
	s.mu.Unlock()
	res := assumeRoleResult{
		Credentials:     stsCredentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey(), SessionToken: k.SessionToken(), Expiration: k.Expires.UTC()},
		AssumedRoleUser: assumedRoleUser{AssumedRoleID: k.Identity.UserID, ARN: k.Identity.ARN},
		SourceIdentity:  form.Get("SourceIdentity"),
	}
	if form.Get("Policy") != "" || form.Get("PolicyArns.member.1.arn") != "" {
		size := 6
		res.PackedPolicySize = &size
	}
	return &answer{status: http.StatusOK, doc: &assumeRoleResponse{Result: res}}
}

func (s *Server) assumeRoleWithWebIdentity(form url.Values, now time.Time) *answer {
	token := form.Get("WebIdentityToken")
	if token == "" {
		return validationError("Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null")
	}
	partition, account, roleName, session, d, a := sessionParams(form)
	if a != nil {
		return a
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.webTokens[token] {
		return apiErr(http.StatusBadRequest, "InvalidIdentityToken",
			"The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.")
	}
	k := s.issueLocked(partition, account, roleName, session, now.Add(d).Truncate(time.Second))
	provider := form.Get("ProviderId")
	if provider == "" {
		provider = "ststest"
	}
	return &answer{status: http.StatusOK, doc: &assumeRoleWithWebIdentityResponse{Result: assumeRoleWithWebIdentityResult{
		SubjectFromWebIdentityToken: "ststest-subject",
		Audience:                    "sts.amazonaws.com",
		AssumedRoleUser:             assumedRoleUser{AssumedRoleID: k.Identity.UserID, ARN: k.Identity.ARN},
		Credentials:                 stsCredentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey(), SessionToken: k.SessionToken(), Expiration: k.Expires.UTC()},
		Provider:                    provider,
	}}}
}
