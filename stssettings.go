package callerid

import (
	"strconv"
	"strings"

	"github.com/callerid/callerid/internal/peertext"
	"github.com/callerid/callerid/sts"
)

// resolveSTS reads the settings of STS clients as the AWS CLI reads them:
// each from its environment variable, else from the profile (its own key,
// or for the endpoint its services section's sts endpoint_url), else the
// default: for the retry mode botocore's "legacy", for the number of
// attempts the mode's (sts.RetryOptions). The region, HTTP client and clock are LoadConfig's to set.
//
// When both sts_regional_endpoints and the retry mode are refused, the
// error is about the one botocore checks first: sts_regional_endpoints,
// unless an endpoint URL is set (configured, or endpointOption, as
// WithEndpointURL gives it), when botocore leaves it until after the retry
// settings.
func resolveSTS(getenv func(string) string, files *sharedFiles, prof profile, endpointOption string) (sts.Options, error) {
	r := settingReader{getenv: getenv, files: files, prof: prof}
	var o sts.Options
	if !r.bool("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls") {
		o.EndpointURL = r.endpointURL()
	}
	o.UseFIPSEndpoint = r.bool("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")
	o.UseDualStackEndpoint = r.bool("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")
	// botocore takes the value as it is (a variable untrimmed, the
	// profile's as its INI parser keeps it) and accepts these two only, in
	// lower case; it refuses any other, whatever the region.
	var regionalErr error
	switch v := r.rawLookup("AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints"); v.value {
	case "", "regional":
	case "legacy":
		o.UseGlobalEndpoint = true
	default:
		regionalErr = v.err(`want "regional" or "legacy"`)
	}
	var retryErr error
	o.Retry.Mode, retryErr = r.retryMode()
	switch {
	case regionalErr != nil && (retryErr == nil || o.EndpointURL == "" && endpointOption == ""):
		return o, regionalErr
	case retryErr != nil:
		return o, retryErr
	}
	var err error
	o.Retry.MaxAttempts, err = r.maxAttempts()
	return o, err
}

// retryMode reads AWS_RETRY_MODE, else the profile's retry_mode: "legacy"
// (also when neither is set, as in the AWS CLI v1), "standard" or
// "adaptive", in lower case. The CLI refuses any other value, in any
// command: so does this, with a *ConfigError naming the setting around a
// *ValueError. As botocore, it takes a variable's value as it is (" standard"
// is refused) and the profile's as the INI parser read it.
func (r settingReader) retryMode() (sts.RetryMode, error) {
	v := r.rawLookup("AWS_RETRY_MODE", "retry_mode")
	if v.value == "" && !r.prof.Has("retry_mode") {
		// Unset. (An empty variable counts as unset, as getenv cannot
		// tell it from one; an empty retry_mode = in the profile is a
		// value, which the CLI refuses.)
		return sts.RetryLegacy, nil
	}
	m, ok := sts.ParseRetryMode(v.value)
	if !ok {
		return m, v.err(`want "legacy", "standard" or "adaptive"`)
	}
	return m, nil
}

// maxAttempts reads AWS_MAX_ATTEMPTS, else the profile's max_attempts:
// how many attempts a call makes at most, the first included; zero when
// neither is set.
func (r settingReader) maxAttempts() (int, error) {
	v := r.lookup("AWS_MAX_ATTEMPTS", "max_attempts")
	if v.value == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v.value)
	if err != nil || n < 1 {
		return 0, v.err("want a whole number of attempts, at least 1")
	}
	return n, nil
}

// settingReader reads a setting from the environment, else the profile.
type settingReader struct {
	getenv func(string) string
	files  *sharedFiles
	prof   profile
}

// value is a setting's value and where it came from.
type value struct {
	value string
	env   string  // the variable it came from, if it did
	key   string  // else the profile key
	prof  profile // the profile
}

// err is a *ConfigError saying what is wrong with v.
func (v value) err(want string) error {
	msg := &ValueError{Value: peertext.Cut(v.value, 64), Want: want}
	if v.env != "" {
		return &ConfigError{Setting: v.env, Err: msg}
	}
	e := v.prof.configErr(v.key, msg)
	e.Setting = v.key
	return e
}

// lookup returns the value of the environment variable env, else of the
// profile's key, with surrounding space trimmed.
func (r settingReader) lookup(env, key string) value {
	if v := strings.TrimSpace(r.getenv(env)); v != "" {
		return value{value: v, env: env}
	}
	return value{value: strings.TrimSpace(r.prof.Get(key)), key: key, prof: r.prof}
}

// rawLookup returns the value of the environment variable env as it is
// set, else of the profile's key as the INI parser read it (without the
// space around it), as botocore reads both: a variable's space is kept.
// An empty variable counts as unset.
func (r settingReader) rawLookup(env, key string) value {
	if v := r.getenv(env); v != "" {
		return value{value: v, env: env}
	}
	return value{value: r.prof.Get(key), key: key, prof: r.prof}
}

// bool reads a yes-or-no setting as botocore's ensure_boolean does: true
// if its value is "true" in any case, false for any other value (" true ",
// "1", "yes", ...), never an error; unset is false. The value is read as
// rawLookup reads it, so a variable's surrounding space makes it false.
func (r settingReader) bool(env, key string) bool {
	return strings.ToLower(r.rawLookup(env, key).value) == "true"
}

// endpointURL is AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, else the
// sts endpoint_url of the [services NAME] section the profile names, else
// the profile's endpoint_url.
func (r settingReader) endpointURL() string {
	return r.serviceEndpointURL("AWS_ENDPOINT_URL_STS", "sts")
}

// serviceEndpointURL is the configured endpoint of a service: the
// variable env (AWS_ENDPOINT_URL_<SERVICE>), else AWS_ENDPOINT_URL, else
// the endpoint_url of the service's key in the [services NAME] section
// the profile names, else the profile's endpoint_url.
func (r settingReader) serviceEndpointURL(env, service string) string {
	for _, env := range []string{env, "AWS_ENDPOINT_URL"} {
		if v := strings.TrimSpace(r.getenv(env)); v != "" {
			return v
		}
	}
	if services, ok := r.files.Services(r.prof.Get("services")); ok {
		if v := strings.TrimSpace(services.Nested(service)["endpoint_url"]); v != "" {
			return v
		}
	}
	return strings.TrimSpace(r.prof.Get("endpoint_url"))
}
