package callerid

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/callerid/callerid/sts"
)

// resolveSTS reads the settings of STS clients as the AWS CLI reads them:
// each from its environment variable, else from the profile (its own key,
// or for the endpoint its services section's sts endpoint_url), else the
// default. The region, HTTP client and clock are LoadConfig's to set.
func resolveSTS(getenv func(string) string, files *sharedFiles, prof profile) (sts.Options, error) {
	r := settingReader{getenv: getenv, files: files, prof: prof}
	var o sts.Options
	ignore, err := r.bool("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls")
	if err != nil {
		return o, err
	}
	if !ignore {
		o.EndpointURL = r.endpointURL()
	}
	if o.UseFIPSEndpoint, err = r.bool("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint"); err != nil {
		return o, err
	}
	if o.UseDualStackEndpoint, err = r.bool("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint"); err != nil {
		return o, err
	}
	if v := r.lookup("AWS_STS_REGIONAL_ENDPOINTS", "sts_regional_endpoints"); v.value != "" {
		switch strings.ToLower(v.value) {
		case "regional":
		case "legacy":
			o.UseGlobalEndpoint = true
		default:
			return o, v.err(`want "regional" or "legacy"`)
		}
	}
	if o.Retry.MaxAttempts, err = r.maxAttempts(); err != nil {
		return o, err
	}
	return o, nil
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
	msg := fmt.Errorf("%s: %s", strconv.Quote(cut(v.value, 64)), want)
	if v.env != "" {
		return &ConfigError{Setting: v.env, Err: msg}
	}
	e := v.prof.configErr(v.key, msg)
	e.Setting = v.key
	return e
}

// cut returns at most the first n bytes of s.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// lookup returns the value of the environment variable env, else of the
// profile's key, with surrounding space trimmed.
func (r settingReader) lookup(env, key string) value {
	if v := strings.TrimSpace(r.getenv(env)); v != "" {
		return value{value: v, env: env}
	}
	return value{value: strings.TrimSpace(r.prof.Get(key)), key: key, prof: r.prof}
}

// bool reads a yes-or-no setting: "true" or "false", in any case; unset
// is false.
func (r settingReader) bool(env, key string) (bool, error) {
	v := r.lookup(env, key)
	switch strings.ToLower(v.value) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, v.err(`want "true" or "false"`)
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
