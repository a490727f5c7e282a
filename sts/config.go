package sts

import (
	"fmt"
	"strconv"
	"strings"
)

// Toggle is a yes-or-no setting that may be left unset, so that the
// environment or the profile decides.
type Toggle int8

const (
	// ToggleUnset leaves the setting to the environment, then the profile;
	// if neither sets it, it is off.
	ToggleUnset Toggle = iota
	// ToggleOn turns the setting on, whatever the environment says.
	ToggleOn
	// ToggleOff turns the setting off, whatever the environment says.
	ToggleOff
)

// String returns "unset", "on" or "off".
func (t Toggle) String() string {
	switch t {
	case ToggleUnset:
		return "unset"
	case ToggleOn:
		return "on"
	case ToggleOff:
		return "off"
	}
	return "Toggle(" + strconv.Itoa(int(t)) + ")"
}

// Values of Options.RegionalEndpoints, AWS_STS_REGIONAL_ENDPOINTS and the
// profile's sts_regional_endpoints.
const (
	// RegionalEndpoints sends every call to its region's endpoint, the
	// default.
	RegionalEndpoints = "regional"
	// LegacyEndpoints sends the calls of the legacy global regions (see
	// LegacyGlobalRegion) to the global endpoint, sts.amazonaws.com.
	LegacyEndpoints = "legacy"
)

// Names of the settings read from Options.Config: the keys of an AWS CLI
// profile.
const (
	ConfigRegion                       = "region"
	ConfigEndpointURL                  = "endpoint_url"
	ConfigServicesEndpointURL          = "sts.endpoint_url"
	ConfigIgnoreConfiguredEndpointURLs = "ignore_configured_endpoint_urls"
	ConfigRegionalEndpoints            = "sts_regional_endpoints"
	ConfigUseFIPSEndpoint              = "use_fips_endpoint"
	ConfigUseDualStackEndpoint         = "use_dualstack_endpoint"
	ConfigMaxAttempts                  = "max_attempts"
)

// ConfigError reports a setting whose value the client cannot use.
type ConfigError struct {
	// Setting names the setting and where it was read: an Options field
	// ("Options.MaxAttempts"), an environment variable
	// ("AWS_USE_FIPS_ENDPOINT") or a profile key ("profile setting
	// use_fips_endpoint").
	Setting string
	// Value is the value found.
	Value string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the setting, its value and what is wrong with it.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("sts: %s = %q: %s", e.Setting, e.Value, e.Reason)
}

// resolver reads settings from Options, then the environment, then the
// profile.
type resolver struct {
	getenv func(string) string
	config func(string) string
}

// lookup returns the first non-empty value of the environment variables
// envs, then of the profile keys keys, and where it came from.
func (r resolver) lookup(envs []string, keys []string) (value, source string) {
	for _, e := range envs {
		if v := strings.TrimSpace(r.getenv(e)); v != "" {
			return v, e
		}
	}
	if r.config != nil {
		for _, k := range keys {
			if v := strings.TrimSpace(r.config(k)); v != "" {
				return v, "profile setting " + k
			}
		}
	}
	return "", ""
}

// toggle resolves a yes-or-no setting: opt, then env, then the profile's
// key. Values are "true" or "false", in any case.
func (r resolver) toggle(opt Toggle, optName, env, key string) (bool, error) {
	switch opt {
	case ToggleOn:
		return true, nil
	case ToggleOff:
		return false, nil
	case ToggleUnset:
	default:
		return false, &ConfigError{Setting: "Options." + optName, Value: opt.String(), Reason: "not ToggleUnset, ToggleOn or ToggleOff"}
	}
	v, src := r.lookup([]string{env}, []string{key})
	return parseBool(v, src)
}

func parseBool(v, src string) (bool, error) {
	switch strings.ToLower(v) {
	case "":
		return false, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, &ConfigError{Setting: src, Value: v, Reason: `want "true" or "false"`}
}

// settings are the resolved Options.
type settings struct {
	endpoint    EndpointOptions
	maxAttempts int
}

func resolveSettings(o Options, getenv func(string) string) (settings, error) {
	r := resolver{getenv: getenv, config: o.Config}
	var s settings

	s.endpoint.Region = o.Region
	if s.endpoint.Region == "" {
		s.endpoint.Region, _ = r.lookup([]string{"AWS_REGION", "AWS_DEFAULT_REGION"}, []string{ConfigRegion})
	}
	if s.endpoint.Region == "" {
		s.endpoint.Region = DefaultRegion
	}

	s.endpoint.EndpointURL = o.EndpointURL
	if s.endpoint.EndpointURL == "" {
		v, src := r.lookup([]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"}, []string{ConfigIgnoreConfiguredEndpointURLs})
		ignore, err := parseBool(v, src)
		if err != nil {
			return s, err
		}
		if !ignore {
			s.endpoint.EndpointURL, _ = r.lookup([]string{"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"}, []string{ConfigServicesEndpointURL, ConfigEndpointURL})
		}
	}

	var err error
	if s.endpoint.UseFIPS, err = r.toggle(o.UseFIPSEndpoint, "UseFIPSEndpoint", "AWS_USE_FIPS_ENDPOINT", ConfigUseFIPSEndpoint); err != nil {
		return s, err
	}
	if s.endpoint.UseDualStack, err = r.toggle(o.UseDualStackEndpoint, "UseDualStackEndpoint", "AWS_USE_DUALSTACK_ENDPOINT", ConfigUseDualStackEndpoint); err != nil {
		return s, err
	}

	mode, src := o.RegionalEndpoints, "Options.RegionalEndpoints"
	if mode == "" {
		mode, src = r.lookup([]string{"AWS_STS_REGIONAL_ENDPOINTS"}, []string{ConfigRegionalEndpoints})
	}
	switch strings.ToLower(mode) {
	case "", RegionalEndpoints:
	case LegacyEndpoints:
		s.endpoint.UseGlobalEndpoint = true
	default:
		return s, &ConfigError{Setting: src, Value: mode, Reason: `want "regional" or "legacy"`}
	}

	s.maxAttempts = o.Retry.MaxAttempts
	switch {
	case s.maxAttempts < 0:
		return s, &ConfigError{Setting: "Options.Retry.MaxAttempts", Value: strconv.Itoa(s.maxAttempts), Reason: "must be at least 1 (or 0 for the default)"}
	case s.maxAttempts == 0:
		v, src := r.lookup([]string{"AWS_MAX_ATTEMPTS"}, []string{ConfigMaxAttempts})
		if v == "" {
			s.maxAttempts = DefaultMaxAttempts
			break
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return s, &ConfigError{Setting: src, Value: v, Reason: "want a whole number of attempts, at least 1"}
		}
		s.maxAttempts = n
	}
	return s, nil
}
