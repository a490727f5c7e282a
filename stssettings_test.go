package callerid

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/callerid/callerid/sts"
)

// TestSTSSettings checks how LoadConfig resolves the settings of the STS
// clients Config.STS makes: options, then the environment, then the
// profile, as the AWS CLI. A profile key "sts.endpoint_url" stands for the
// sts endpoint_url of the profile's [services NAME] section.
func TestSTSSettings(t *testing.T) {
	tests := []struct {
		name     string
		opts     []Option
		sts      func(*sts.Options) // what the caller changes, given to Config.STS
		env      map[string]string
		profile  map[string]string
		endpoint string
		region   string
		signing  string
		attempts int
		mode     sts.RetryMode // checked when attempts is
		err      string
		noRegion bool // else a row with no region of its own runs in us-east-1
	}{
		{name: "default", noRegion: true, endpoint: "https://sts.amazonaws.com/", region: sts.GlobalRegion, signing: "us-east-1", attempts: 5, mode: sts.RetryLegacy},
		{name: "region us-east-1", endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 5, mode: sts.RetryLegacy},
		{name: "AWS_REGION", env: map[string]string{"AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "eu-west-2"}, endpoint: "https://sts.ap-south-1.amazonaws.com/", region: "ap-south-1"},
		{name: "AWS_DEFAULT_REGION", env: map[string]string{"AWS_DEFAULT_REGION": "eu-west-2"}, endpoint: "https://sts.eu-west-2.amazonaws.com/", region: "eu-west-2"},
		{name: "AWS_ENDPOINT_URL_STS wins", env: map[string]string{"AWS_ENDPOINT_URL_STS": "https://sts.example.test", "AWS_ENDPOINT_URL": "https://all.example.test"}, endpoint: "https://sts.example.test/", region: "us-east-1"},
		{name: "AWS_ENDPOINT_URL", env: map[string]string{"AWS_ENDPOINT_URL": "https://all.example.test/"}, endpoint: "https://all.example.test/", region: "us-east-1"},
		{name: "option beats env", opts: []Option{WithEndpointURL("http://127.0.0.1:5000")}, env: map[string]string{"AWS_ENDPOINT_URL_STS": "https://sts.example.test"}, endpoint: "http://127.0.0.1:5000/", region: "us-east-1"},
		{name: "http from env", env: map[string]string{"AWS_ENDPOINT_URL": "http://192.0.2.1"}, err: "plain http is allowed only to a loopback host"},
		{name: "profile region", profile: map[string]string{"region": "eu-north-1"}, endpoint: "https://sts.eu-north-1.amazonaws.com/", region: "eu-north-1"},
		{name: "env region beats profile", env: map[string]string{"AWS_DEFAULT_REGION": "eu-west-3"}, profile: map[string]string{"region": "eu-north-1"},
			endpoint: "https://sts.eu-west-3.amazonaws.com/", region: "eu-west-3"},
		{name: "option region beats env", opts: []Option{WithRegion("ca-central-1")}, env: map[string]string{"AWS_REGION": "eu-west-3"},
			endpoint: "https://sts.ca-central-1.amazonaws.com/", region: "ca-central-1"},

		{name: "legacy from env", env: map[string]string{"AWS_REGION": "eu-west-1", "AWS_STS_REGIONAL_ENDPOINTS": "legacy"},
			endpoint: sts.GlobalEndpoint, region: "eu-west-1", signing: "us-east-1"},
		{name: "legacy from profile", profile: map[string]string{"region": "us-west-2", "sts_regional_endpoints": "legacy"},
			endpoint: sts.GlobalEndpoint, region: "us-west-2", signing: "us-east-1"},
		{name: "env regional beats profile legacy", env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "regional"},
			profile: map[string]string{"region": "us-west-2", "sts_regional_endpoints": "legacy"}, endpoint: "https://sts.us-west-2.amazonaws.com/", region: "us-west-2"},
		{name: "option regional beats env legacy", sts: func(o *sts.Options) { o.UseGlobalEndpoint = false },
			env: map[string]string{"AWS_REGION": "us-west-2", "AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, endpoint: "https://sts.us-west-2.amazonaws.com/", region: "us-west-2"},
		{name: "bad regional endpoints", env: map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "global"}, err: `AWS_STS_REGIONAL_ENDPOINTS: "global": want "regional" or "legacy"`},
		{name: "bad regional endpoints in profile", profile: map[string]string{"sts_regional_endpoints": "yes"}, err: `profile "default": sts_regional_endpoints: "yes": want "regional" or "legacy"`},

		{name: "fips from env", env: map[string]string{"AWS_REGION": "us-east-2", "AWS_USE_FIPS_ENDPOINT": "true"}, endpoint: "https://sts-fips.us-east-2.amazonaws.com/", region: "us-east-2"},
		{name: "fips from profile", profile: map[string]string{"region": "us-east-2", "use_fips_endpoint": "TRUE"}, endpoint: "https://sts-fips.us-east-2.amazonaws.com/", region: "us-east-2"},
		{name: "env false beats profile fips", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "false"}, profile: map[string]string{"use_fips_endpoint": "true"},
			endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1"},
		{name: "option off beats env fips", sts: func(o *sts.Options) { o.UseFIPSEndpoint = false }, env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"},
			endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1"},
		{name: "option fips", opts: []Option{WithRegion("us-gov-west-1")}, sts: func(o *sts.Options) { o.UseFIPSEndpoint = true }, endpoint: "https://sts.us-gov-west-1.amazonaws.com/", region: "us-gov-west-1"},

		{name: "dualstack from env", env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "true"}, endpoint: "https://sts.us-east-1.api.aws/", region: "us-east-1"},
		{name: "dualstack and fips from profile", profile: map[string]string{"use_dualstack_endpoint": "true", "use_fips_endpoint": "true", "region": "eu-west-1"},
			endpoint: "https://sts-fips.eu-west-1.api.aws/", region: "eu-west-1"},

		{name: "endpoint_url from profile", profile: map[string]string{"endpoint_url": "https://all.example.test"}, endpoint: "https://all.example.test/", region: "us-east-1"},
		{name: "services sts endpoint_url beats profile endpoint_url", profile: map[string]string{"endpoint_url": "https://all.example.test", "sts.endpoint_url": "https://sts.example.test"},
			endpoint: "https://sts.example.test/", region: "us-east-1"},
		{name: "env endpoint beats profile", env: map[string]string{"AWS_ENDPOINT_URL": "https://env.example.test"}, profile: map[string]string{"sts.endpoint_url": "https://sts.example.test"},
			endpoint: "https://env.example.test/", region: "us-east-1"},
		{name: "ignore configured endpoint urls", env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL_STS": "https://env.example.test"},
			profile: map[string]string{"endpoint_url": "https://all.example.test"}, endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1"},
		{name: "ignore configured endpoint urls from profile", profile: map[string]string{"ignore_configured_endpoint_urls": "true", "endpoint_url": "https://all.example.test"},
			endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1"},
		{name: "ignoring keeps the option", opts: []Option{WithEndpointURL("http://127.0.0.1:1")}, env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"},
			endpoint: "http://127.0.0.1:1/", region: "us-east-1"},
		{name: "endpoint url beats fips", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true", "AWS_ENDPOINT_URL_STS": "https://env.example.test"},
			endpoint: "https://env.example.test/", region: "us-east-1"},
		{name: "endpoint url in profile is checked", profile: map[string]string{"endpoint_url": "http://10.1.2.3"}, err: "plain http"},

		{name: "default attempts: legacy's", endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 5, mode: sts.RetryLegacy},
		{name: "retry_mode standard", profile: map[string]string{"retry_mode": "standard"}, endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 3, mode: sts.RetryStandard},
		{name: "AWS_RETRY_MODE adaptive over retry_mode", env: map[string]string{"AWS_RETRY_MODE": "adaptive"}, profile: map[string]string{"retry_mode": "legacy"},
			endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 3, mode: sts.RetryAdaptive},
		{name: "AWS_RETRY_MODE legacy over retry_mode", env: map[string]string{"AWS_RETRY_MODE": "legacy"}, profile: map[string]string{"retry_mode": "standard"},
			endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 5, mode: sts.RetryLegacy},
		{name: "max_attempts over standard", profile: map[string]string{"retry_mode": "standard", "max_attempts": "6"}, endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 6, mode: sts.RetryStandard},
		{name: "max_attempts over legacy", profile: map[string]string{"max_attempts": "2"}, endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 2, mode: sts.RetryLegacy},
		{name: "endpoint without a region", noRegion: true, env: map[string]string{"AWS_ENDPOINT_URL_STS": "https://sts.eu-west-1.amazonaws.com"}, err: `a custom endpoint is signed for the configured region: no region to sign for`},
		{name: "endpoint of another region signs for the region", env: map[string]string{"AWS_ENDPOINT_URL_STS": "https://sts.eu-west-1.amazonaws.com", "AWS_REGION": "us-east-2"},
			endpoint: "https://sts.eu-west-1.amazonaws.com/", region: "us-east-2"},
		{name: "empty retry_mode", profile: map[string]string{"retry_mode": ""}, err: `retry_mode: "": want "legacy", "standard" or "adaptive"`},
		{name: "bad retry_mode", profile: map[string]string{"retry_mode": "Standard"}, err: `retry_mode: "Standard": want "legacy", "standard" or "adaptive"`},
		{name: "bad AWS_RETRY_MODE", env: map[string]string{"AWS_RETRY_MODE": "fast"}, err: `AWS_RETRY_MODE: "fast": want "legacy", "standard" or "adaptive"`},
		// botocore takes a variable as it is, a profile's value as its INI
		// parser strips it (TestRetryModeMatchesAWSCLI in examples/whoami).
		// botocore checks sts_regional_endpoints first, but after the
		// retry settings when an endpoint URL is set
		// (TestRetryModeMatchesAWSCLI in examples/whoami).
		{name: "both refused: sts_regional_endpoints first", env: map[string]string{"AWS_RETRY_MODE": "fast", "AWS_STS_REGIONAL_ENDPOINTS": "global"}, err: `AWS_STS_REGIONAL_ENDPOINTS: "global"`},
		{name: "both refused, an endpoint URL: the retry mode first", env: map[string]string{"AWS_RETRY_MODE": "fast", "AWS_STS_REGIONAL_ENDPOINTS": "global", "AWS_ENDPOINT_URL": "https://all.example.test"},
			err: `AWS_RETRY_MODE: "fast"`},
		{name: "both refused, WithEndpointURL: the retry mode first", opts: []Option{WithEndpointURL("https://sts.example.test")}, env: map[string]string{"AWS_RETRY_MODE": "fast", "AWS_STS_REGIONAL_ENDPOINTS": "global"},
			err: `AWS_RETRY_MODE: "fast"`},
		{name: "AWS_RETRY_MODE with a space", env: map[string]string{"AWS_RETRY_MODE": " standard"}, err: `AWS_RETRY_MODE: " standard": want "legacy", "standard" or "adaptive"`},
		{name: "retry_mode with spaces", profile: map[string]string{"retry_mode": " standard "}, endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 3, mode: sts.RetryStandard},
		{name: "attempts from env", env: map[string]string{"AWS_MAX_ATTEMPTS": "5"}, profile: map[string]string{"max_attempts": "7"},
			endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 5, mode: sts.RetryLegacy},
		{name: "attempts from profile", profile: map[string]string{"max_attempts": "7"}, endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 7, mode: sts.RetryLegacy},
		{name: "attempts option", sts: func(o *sts.Options) { o.Retry.MaxAttempts = 1 }, env: map[string]string{"AWS_MAX_ATTEMPTS": "5"},
			endpoint: "https://sts.us-east-1.amazonaws.com/", region: "us-east-1", attempts: 1, mode: sts.RetryLegacy},
		{name: "bad attempts", env: map[string]string{"AWS_MAX_ATTEMPTS": "0"}, err: `AWS_MAX_ATTEMPTS: "0": want a whole number of attempts, at least 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"HOME": t.TempDir()}
			if !tt.noRegion && tt.env["AWS_REGION"] == "" && tt.env["AWS_DEFAULT_REGION"] == "" && tt.profile["region"] == "" {
				// A region, unless the row is about having none: a custom
				// endpoint is signed for the configured region (none is an
				// error), and with none STS is the global endpoint.
				env["AWS_DEFAULT_REGION"] = "us-east-1"
			}
			for k, v := range tt.env {
				env[k] = v
			}
			if tt.profile != nil {
				env["AWS_CONFIG_FILE"] = writeFile(t, env["HOME"], "config", profileFile(tt.profile))
			}
			cfg, err := LoadConfig(context.Background(), append(tt.opts, WithGetenv(envMap(env)))...)
			var c *sts.Client
			if err == nil {
				var opts []func(*sts.Options)
				if tt.sts != nil {
					opts = append(opts, tt.sts)
				}
				c, err = cfg.STS(opts...)
			}
			if tt.err != "" {
				var ce *ConfigError
				var ee *sts.EndpointError
				if !(errors.As(err, &ce) || errors.As(err, &ee)) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want a *ConfigError or *sts.EndpointError saying %q", err, tt.err)
				}
				if strings.Contains(tt.err, "no region") && !errors.Is(err, sts.ErrNoRegion) {
					t.Errorf("err = %v, want it to wrap sts.ErrNoRegion", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			signing := tt.signing
			if signing == "" {
				signing = tt.region
			}
			if c.Endpoint() != tt.endpoint || c.Region() != tt.region || c.SigningRegion() != signing {
				t.Errorf("endpoint, region, signing region = %s, %s, %s; want %s, %s, %s", c.Endpoint(), c.Region(), c.SigningRegion(), tt.endpoint, tt.region, signing)
			}
			if tt.attempts != 0 && (c.MaxAttempts() != tt.attempts || c.RetryMode() != tt.mode) {
				t.Errorf("MaxAttempts(), RetryMode() = %d, %v; want %d, %v", c.MaxAttempts(), c.RetryMode(), tt.attempts, tt.mode)
			}
		})
	}
}

// profileFile is a config file whose [default] profile has the settings
// of p; "sts.endpoint_url" goes to a [services] section it names.
func profileFile(p map[string]string) string {
	var keys []string
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("[default]\n")
	for _, k := range keys {
		if k != "sts.endpoint_url" {
			fmt.Fprintf(&b, "%s = %s\n", k, p[k])
		}
	}
	if v, ok := p["sts.endpoint_url"]; ok {
		fmt.Fprintf(&b, "services = test\n[services test]\nsts =\n  endpoint_url = %s\n", v)
	}
	return b.String()
}

// stsSettingRow is a setting's value, in a variable or in the profile,
// and the STS endpoint LoadConfig makes of it (or its error). The AWS CLI
// makes the same of it: TestSTSSettingsAgainstTheCLI checks the rows
// marked peer.
type stsSettingRow struct {
	name    string
	env     map[string]string
	profile map[string]string
	host    string // the host of Config.STS's endpoint
	signing string // the region it signs for, if the row says
	err     string // else LoadConfig's *ConfigError says this
	peer    bool   // compared with the AWS CLI
}

// stsSettingRows are the value forms of the yes-or-no settings and of
// sts_regional_endpoints, each in the environment and in the profile.
func stsSettingRows() []stsSettingRow {
	// A form of a value: what botocore makes of it in a variable, where it
	// is used as it is, and in the profile, whose parser strips it.
	type form struct {
		value          string
		inEnv, inProf  bool
		peerEnv, peerP bool
	}
	forms := []form{
		{"true", true, true, false, false},
		{"TRUE", true, true, true, true},
		{"True", true, true, false, false},
		{"1", false, false, true, true},
		{"yes", false, false, true, false},
		{"on", false, false, false, false},
		{"false", false, false, false, false},
		{"0", false, false, false, false},
		{"garbage", false, false, false, false},
		{`"true"`, false, false, false, true},
		{" true ", false, true, true, true},
		{"true\t", false, true, false, false},
		{"", false, false, false, false},
	}
	const configured = "https://configured.example.test"
	settings := []struct {
		env, key  string
		on, off   string            // the host when it is true and false
		envExtra  map[string]string // what else the row sets
		profExtra map[string]string
	}{
		{"AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint", "sts-fips.us-east-2.amazonaws.com", "sts.us-east-2.amazonaws.com", nil, nil},
		{"AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint", "sts.us-east-2.api.aws", "sts.us-east-2.amazonaws.com", nil, nil},
		{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "ignore_configured_endpoint_urls", "sts.us-east-2.amazonaws.com", "configured.example.test",
			map[string]string{"AWS_ENDPOINT_URL_STS": configured}, map[string]string{"endpoint_url": configured}},
	}
	var rows []stsSettingRow
	pick := func(b bool, on, off string) string {
		if b {
			return on
		}
		return off
	}
	for _, s := range settings {
		for _, f := range forms {
			env := map[string]string{"AWS_DEFAULT_REGION": "us-east-2", s.env: f.value}
			for k, v := range s.envExtra {
				env[k] = v
			}
			rows = append(rows, stsSettingRow{name: fmt.Sprintf("%s=%q", s.env, f.value), env: env, host: pick(f.inEnv, s.on, s.off), peer: f.peerEnv})
			prof := map[string]string{"region": "us-east-2", s.key: f.value}
			for k, v := range s.profExtra {
				prof[k] = v
			}
			rows = append(rows, stsSettingRow{name: fmt.Sprintf("%s = %q", s.key, f.value), profile: prof, host: pick(f.inProf, s.on, s.off), peer: f.peerP})
		}
		// The variable wins whatever its value; an empty one counts as
		// unset (the AWS CLI would take it as false: not compared).
		rows = append(rows,
			stsSettingRow{name: s.env + "=1 beats the profile's true", env: map[string]string{"AWS_DEFAULT_REGION": "us-east-2", s.env: "1"},
				profile: merge(map[string]string{s.key: "true"}, s.profExtra), host: s.off, peer: true},
			stsSettingRow{name: s.env + "=TRUE beats the profile's false", env: merge(map[string]string{"AWS_DEFAULT_REGION": "us-east-2", s.env: "TRUE"}, s.envExtra),
				profile: map[string]string{s.key: "false"}, host: s.on, peer: true},
			stsSettingRow{name: "empty " + s.env + " leaves the profile's true", env: map[string]string{"AWS_DEFAULT_REGION": "us-east-2", s.env: ""},
				profile: merge(map[string]string{s.key: "true"}, s.profExtra), host: s.on},
		)
	}

	// sts_regional_endpoints: "legacy" or "regional" exactly, else an
	// error, in a legacy global region (us-west-2).
	for _, f := range []struct {
		value             string
		env, prof         string // "global", "regional" or "error"
		peerEnv, peerProf bool
	}{
		{"legacy", "global", "global", true, true},
		{"regional", "regional", "regional", false, false},
		{"", "regional", "regional", false, false},
		{"Legacy", "error", "error", true, true},
		{"LEGACY", "error", "error", false, false},
		{"Regional", "error", "error", false, false},
		{" legacy", "error", "global", true, true},
		{"legacy ", "error", "global", false, false},
		{"global", "error", "error", false, false},
		{"yes", "error", "error", false, false},
	} {
		row := func(name string, env, prof map[string]string, setting, want string, peer bool) stsSettingRow {
			r := stsSettingRow{name: name, env: env, profile: prof, peer: peer}
			switch want {
			case "global":
				r.host = "sts.amazonaws.com"
			case "regional":
				r.host = "sts.us-west-2.amazonaws.com"
			default:
				r.err = fmt.Sprintf("%s: %q: want \"regional\" or \"legacy\"", setting, f.value)
			}
			return r
		}
		rows = append(rows,
			row(fmt.Sprintf("AWS_STS_REGIONAL_ENDPOINTS=%q", f.value), map[string]string{"AWS_DEFAULT_REGION": "us-west-2", "AWS_STS_REGIONAL_ENDPOINTS": f.value}, nil,
				"AWS_STS_REGIONAL_ENDPOINTS", f.env, f.peerEnv),
			row(fmt.Sprintf("sts_regional_endpoints = %q", f.value), nil, map[string]string{"region": "us-west-2", "sts_regional_endpoints": f.value},
				`profile "default": sts_regional_endpoints`, f.prof, f.peerProf),
		)
	}
	// Refused wherever the endpoint would not depend on it, as botocore
	// checks it for every client.
	rows = append(rows,
		stsSettingRow{name: "Legacy with an endpoint URL", env: map[string]string{"AWS_DEFAULT_REGION": "us-west-2", "AWS_STS_REGIONAL_ENDPOINTS": "Legacy", "AWS_ENDPOINT_URL_STS": configured},
			err: `AWS_STS_REGIONAL_ENDPOINTS: "Legacy"`, peer: true},
		stsSettingRow{name: "Legacy in a region that is not legacy", env: map[string]string{"AWS_DEFAULT_REGION": "eu-south-1", "AWS_STS_REGIONAL_ENDPOINTS": "Legacy"},
			err: `AWS_STS_REGIONAL_ENDPOINTS: "Legacy"`},
	)
	// No region at all: botocore resolves STS's endpoint for the
	// "aws-global" pseudo-region, so the global endpoint whatever
	// sts_regional_endpoints says, or FIPS and dual-stack endpoints named
	// after "aws-global"; all signed for us-east-1.
	global := func(name string, env map[string]string, host string) stsSettingRow {
		return stsSettingRow{name: name, env: env, host: host, signing: "us-east-1", peer: true}
	}
	rows = append(rows,
		global("no region", nil, "sts.amazonaws.com"),
		global("no region, legacy", map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, "sts.amazonaws.com"),
		global("no region, regional", map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "regional"}, "sts.amazonaws.com"),
		global("no region, FIPS", map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"}, "sts-fips.aws-global.amazonaws.com"),
		global("no region, dual-stack", map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "true"}, "sts.aws-global.api.aws"),
		global("no region, FIPS and dual-stack", map[string]string{"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"}, "sts-fips.aws-global.api.aws"),
		global("aws-global, FIPS", map[string]string{"AWS_DEFAULT_REGION": "aws-global", "AWS_USE_FIPS_ENDPOINT": "true"}, "sts-fips.aws-global.amazonaws.com"),
		global("aws-global, legacy", map[string]string{"AWS_DEFAULT_REGION": "aws-global", "AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, "sts.amazonaws.com"),
		stsSettingRow{name: "us-east-1", env: map[string]string{"AWS_DEFAULT_REGION": "us-east-1"}, host: "sts.us-east-1.amazonaws.com", signing: "us-east-1", peer: true},
		stsSettingRow{name: "the profile's region only", profile: map[string]string{"region": "eu-west-2"}, host: "sts.eu-west-2.amazonaws.com", signing: "eu-west-2", peer: true},
	)
	return rows
}

// merge returns a copy of a with b's entries added.
func merge(a, b map[string]string) map[string]string {
	m := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}

// loadSTSRow loads the configuration of a row in a fresh home and
// returns the host of Config.STS's endpoint and the region it signs for.
func loadSTSRow(t *testing.T, row stsSettingRow) (host, signing string, err error) {
	t.Helper()
	env := map[string]string{"HOME": t.TempDir()}
	for k, v := range row.env {
		env[k] = v
	}
	if row.profile != nil {
		env["AWS_CONFIG_FILE"] = writeFile(t, env["HOME"], "config", profileFile(row.profile))
	}
	cfg, err := LoadConfig(context.Background(), WithGetenv(envMap(env)))
	if err != nil {
		return "", "", err
	}
	c, err := cfg.STS()
	if err != nil {
		return "", "", err
	}
	u, err := url.Parse(c.Endpoint())
	if err != nil {
		return "", "", err
	}
	return u.Host, c.SigningRegion(), nil
}

// TestSTSSettingValues: the yes-or-no settings are true for "true" in any
// case and false for anything else, never an error; a variable is taken
// as it is set, a profile's value without the space around it;
// sts_regional_endpoints is "legacy" or "regional" exactly, or an error.
func TestSTSSettingValues(t *testing.T) {
	for _, row := range stsSettingRows() {
		t.Run(row.name, func(t *testing.T) {
			host, signing, err := loadSTSRow(t, row)
			if row.err != "" {
				var ce *ConfigError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), row.err) {
					t.Fatalf("err = %v, want a *ConfigError saying %q", err, row.err)
				}
				return
			}
			if err != nil || host != row.host {
				t.Errorf("host %q, err %v; want %q", host, err, row.host)
			}
			if row.signing != "" && signing != row.signing {
				t.Errorf("signs for %q; want %q", signing, row.signing)
			}
		})
	}
}
