package callerid

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/peertext"
	"github.com/callerid/callerid/sts"
)

// The kinds of SSOConfigError, for errors.Is.
var (
	// ErrSSOConfigMissing: a profile that uses SSO (it sets sso_account_id
	// or sso_role_name) lacks required keys, in itself or in its
	// sso-session section.
	ErrSSOConfigMissing = errors.New("SSO profile is missing required configuration")
	// ErrSSOSessionNotFound: the profile's sso_session names an
	// [sso-session NAME] section the config file does not have.
	ErrSSOSessionNotFound = errors.New("sso-session not found")
	// ErrSSOConfigInconsistent: a key is set both in the profile and in its
	// sso-session section, to different values.
	ErrSSOConfigInconsistent = errors.New("SSO setting inconsistent between profile and sso-session")
)

// SSOConfigError is what is wrong with a profile that uses IAM Identity
// Center (SSO), as botocore checks it before any token is read. It comes
// inside a *ConfigError that says where (file, line, profile), itself
// inside the *credentials.Error of the SSO step of the chain.
// errors.Is(err, Kind) holds for its Kind: ErrSSOConfigMissing,
// ErrSSOSessionNotFound or ErrSSOConfigInconsistent.
type SSOConfigError struct {
	// Kind says what is wrong.
	Kind error
	// Profile is the profile that uses SSO.
	Profile string
	// Session is the profile's sso_session, empty in the legacy form.
	Session string
	// Missing lists the required keys that are not set, for
	// ErrSSOConfigMissing, in botocore's order: sso_role_name,
	// sso_account_id, sso_start_url, sso_region (and sso_session).
	Missing []string
	// Key is the key set to different values, for
	// ErrSSOConfigInconsistent, and ProfileValue and SessionValue are its
	// two values. The values are kept only for keys named sso_*; for any
	// other key (which might hold a secret) they are "<redacted>".
	Key, ProfileValue, SessionValue string
}

// Error describes the mistake, quoting names and values.
func (e *SSOConfigError) Error() string {
	switch e.Kind {
	case ErrSSOConfigMissing:
		return "configured to use SSO (IAM Identity Center) but missing required configuration: " + strings.Join(e.Missing, ", ")
	case ErrSSOSessionNotFound:
		return "sso_session " + strconv.Quote(peertext.Cut(e.Session, 128)) + ": the config file has no such [sso-session] section"
	case ErrSSOConfigInconsistent:
		return e.Key + " is " + strconv.Quote(peertext.Cut(e.ProfileValue, 256)) + " in the profile but " +
			strconv.Quote(peertext.Cut(e.SessionValue, 256)) + " in sso-session " + strconv.Quote(e.Session)
	}
	if e.Kind != nil {
		return e.Kind.Error()
	}
	return "SSO configuration error"
}

// Is reports whether target is e's Kind.
func (e *SSOConfigError) Is(target error) bool { return e.Kind != nil && target == e.Kind }

// ssoSettings are the endpoints of the SSO clients, resolved once from
// the environment and the profile in use (as botocore's session resolves
// them for every client it makes, whatever profile the SSO keys are in).
// Their retry settings are the STS clients' (see ssoRetry).
type ssoSettings struct {
	portalEndpoint, oidcEndpoint string
}

// resolveSSO reads the endpoints of the SSO portal and SSO OIDC:
// AWS_ENDPOINT_URL_SSO (AWS_ENDPOINT_URL_SSO_OIDC), else AWS_ENDPOINT_URL,
// else the sso (sso_oidc) endpoint_url of the profile's services section,
// else the profile's endpoint_url; none when configured endpoints are
// ignored.
func resolveSSO(getenv func(string) string, files *sharedFiles, prof profile) ssoSettings {
	r := settingReader{getenv: getenv, files: files, prof: prof}
	var s ssoSettings
	if r.bool("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls") {
		return s
	}
	s.portalEndpoint = r.serviceEndpointURL("AWS_ENDPOINT_URL_SSO", "sso")
	s.oidcEndpoint = r.serviceEndpointURL("AWS_ENDPOINT_URL_SSO_OIDC", "sso_oidc")
	return s
}

// ssoRetry returns how the SSO calls are retried, from the STS clients'
// retry settings that resolveSTS read (AWS_RETRY_MODE or retry_mode,
// AWS_MAX_ATTEMPTS or max_attempts), as botocore gives every client it
// makes the same retry mode and attempts: the same mode, and the same
// number of attempts, zero standing for the mode's default in both.
func ssoRetry(r sts.RetryOptions) credentials.SSORetryOptions {
	o := credentials.SSORetryOptions{MaxAttempts: r.MaxAttempts}
	switch r.Mode {
	case sts.RetryLegacy:
		o.Mode = credentials.SSORetryLegacy
	case sts.RetryStandard:
		o.Mode = credentials.SSORetryStandard
	case sts.RetryAdaptive:
		o.Mode = credentials.SSORetryAdaptive
	default:
		// Not a mode resolveSTS returns; passed on as one the provider
		// refuses, rather than retried in another mode.
		o.Mode = -1
	}
	return o
}

// readOnce returns a getenv that asks getenv for each variable once and
// then remembers the answer. It is not safe for concurrent use.
func readOnce(getenv func(string) string) func(string) string {
	seen := map[string]string{}
	return func(k string) string {
		v, ok := seen[k]
		if !ok {
			v = getenv(k)
			seen[k] = v
		}
		return v
	}
}

// usesSSO reports whether botocore's SSOProvider applies to p: it sets
// sso_account_id or sso_role_name.
func usesSSO(p profile) bool { return p.Has("sso_account_id") || p.Has("sso_role_name") }

// sso is the chain's IAM Identity Center step for prof.
func (b *chainBuilder) sso(prof profile) credentials.Provider {
	const source = "SSOProvider"
	if !usesSSO(prof) {
		if prof.Has("sso_session") || prof.Has("sso_start_url") {
			return notFound(source, "profile %q has sso_session or sso_start_url but no sso_account_id or sso_role_name", prof.Name)
		}
		return notFound(source, "profile %q has no sso_account_id or sso_role_name", prof.Name)
	}
	p, err := b.ssoProvider(prof)
	if err != nil {
		return errProvider{&credentials.Error{Source: source + "(profile=" + prof.Name + ")", Err: err}}
	}
	return p
}

// ssoProvider checks prof's SSO configuration as botocore's SSOProvider
// does and returns the provider for it.
func (b *chainBuilder) ssoProvider(prof profile) (*credentials.SSOProvider, error) {
	// What botocore calls the resolved config: the profile's keys, with
	// those of its sso-session section on top.
	get := prof.Lookup
	required := []string{"sso_role_name", "sso_account_id", "sso_start_url", "sso_region"}
	sessionName, hasSession := prof.Lookup("sso_session")
	if hasSession {
		session, ok := b.files.ssoSession(sessionName)
		if !ok {
			e := prof.configErr("sso_session", &SSOConfigError{Kind: ErrSSOSessionNotFound, Profile: prof.Name, Session: sessionName})
			e.Setting = "sso_session"
			return nil, e
		}
		for _, k := range session.Keys() {
			sv := session.Get(k)
			if pv, ok := prof.Lookup(k); ok && pv != sv {
				if !strings.HasPrefix(k, "sso_") {
					pv, sv = "<redacted>", "<redacted>"
				}
				e := prof.configErr(k, &SSOConfigError{Kind: ErrSSOConfigInconsistent, Profile: prof.Name, Session: sessionName, Key: k, ProfileValue: pv, SessionValue: sv})
				e.Setting = k
				return nil, e
			}
		}
		get = func(k string) (string, bool) {
			if v, ok := session.Lookup(k); ok {
				return v, true
			}
			return prof.Lookup(k)
		}
		required = append(required, "sso_session")
	}
	var missing []string
	for _, k := range required {
		if _, ok := get(k); !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, prof.configErr("", &SSOConfigError{Kind: ErrSSOConfigMissing, Profile: prof.Name, Session: sessionName, Missing: missing})
	}
	value := func(k string) string { v, _ := get(k); return v }
	p := &credentials.SSOProvider{
		SessionName:    sessionName,
		StartURL:       value("sso_start_url"),
		Region:         value("sso_region"),
		AccountID:      value("sso_account_id"),
		RoleName:       value("sso_role_name"),
		PortalEndpoint: b.ssoSettings.portalEndpoint,
		OIDCEndpoint:   b.ssoSettings.oidcEndpoint,
		Client:         b.opts.httpClient,
		Retry:          ssoRetry(b.stsOptions.Retry), // cfg.STSOptions.Retry's mode and attempts
		Now:            b.opts.now,
	}
	if p.Region != "" {
		p.DNSSuffix = arn.PartitionForRegion(p.Region).DNSSuffix
	}
	// botocore's token cache is ~/.aws/sso/cache of the home directory in
	// use; never the system's home when the environment is isolated.
	if b.home == "" {
		return nil, prof.configErr("", errors.New("no home directory (HOME is not set) for the SSO token cache ~/.aws/sso/cache"))
	}
	p.CacheDir = filepath.Join(b.home, ".aws", "sso", "cache")
	return p, nil
}
