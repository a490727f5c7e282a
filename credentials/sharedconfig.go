package credentials

import (
	"sort"

	"errors"
	"fmt"
	"github.com/callerid/callerid/internal/ini"
	"github.com/callerid/callerid/internal/shlex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// SharedConfig is the content of the AWS CLI's shared config file
// (~/.aws/config) and shared credentials file (~/.aws/credentials), read
// the way the AWS CLI reads them.
//
// In the config file a profile's section is [profile NAME], except the
// default profile, which is [default] (or [profile default]); in the
// credentials file it is [NAME]. The two files are merged per profile, the
// credentials file winning for a key set in both. A [DEFAULT] section's
// keys are inherited by every section of its file, as in Python's
// configparser. Keys are case-insensitive; values keep their case.
//
// A SharedConfig never shows a value when printed.
type SharedConfig struct {
	// ConfigFile is the config file's path, empty if none was read.
	ConfigFile string
	// CredentialsFile is the credentials file's path, empty if none was read.
	CredentialsFile string

	// the paths asked for, read or not
	configPath, credentialsPath string

	merged      map[string]*profileData // what botocore calls full_config
	config      map[string]*profileData // the config file's profiles
	credentials map[string]*profileData // the credentials file's profiles
	ssoSessions map[string]*profileData
	services    map[string]*profileData
}

type setting struct {
	v    *ini.Value
	path string
}

type profileData struct {
	path     string // the file of the profile's section (the first one read)
	line     int
	settings map[string]setting
}

func newProfileData(path string, s *ini.Section) *profileData {
	d := &profileData{path: path, line: s.Line, settings: make(map[string]setting, len(s.Keys))}
	for _, k := range s.Keys {
		d.settings[k] = setting{s.Values[k], path}
	}
	return d
}

// Profile is one profile of a SharedConfig. Its zero value is an empty
// profile. Printing a Profile shows its name, region and key names, never
// the other values.
type Profile struct {
	// Name is the profile's name.
	Name string
	// Region is the profile's region setting, empty when unset.
	Region string

	data *profileData
}

func newProfile(name string, d *profileData) Profile {
	p := Profile{Name: name, data: d}
	p.Region = p.Get("region")
	return p
}

func (p Profile) setting(key string) (setting, bool) {
	if p.data == nil {
		return setting{}, false
	}
	s, ok := p.data.settings[strings.ToLower(key)]
	return s, ok
}

// Lookup returns the value of key (case-insensitive) and whether it is
// set. A key whose value is a nested block (see Nested) has an empty value.
func (p Profile) Lookup(key string) (string, bool) {
	s, ok := p.setting(key)
	if !ok {
		return "", false
	}
	if s.v.Nested != nil {
		return "", true
	}
	return s.v.Value, true
}

// Get returns the value of key (case-insensitive), or "" if it is not
// set. Settings other packages read this way include "region",
// "sts_regional_endpoints", "endpoint_url" and "use_fips_endpoint".
func (p Profile) Get(key string) string {
	v, _ := p.Lookup(key)
	return v
}

// Has reports whether key is set, even to an empty value.
func (p Profile) Has(key string) bool {
	_, ok := p.setting(key)
	return ok
}

// Nested returns a copy of the nested settings of key, whose value starts
// on the line after it and is indented, as in
//
//	s3 =
//	    addressing_style = path
//
// or nil if key has no nested settings. Nested key names keep their case.
func (p Profile) Nested(key string) map[string]string {
	s, ok := p.setting(key)
	if !ok || s.v.Nested == nil {
		return nil
	}
	m := make(map[string]string, len(s.v.Nested))
	for k, v := range s.v.Nested {
		m[k] = v
	}
	return m
}

// Keys returns the names of the profile's keys, sorted.
func (p Profile) Keys() []string {
	if p.data == nil {
		return nil
	}
	return sortedKeys(p.data.settings)
}

// Location returns the file and line key was set on, or "" and 0 if it
// is not set.
func (p Profile) Location(key string) (path string, line int) {
	s, ok := p.setting(key)
	if !ok {
		return "", 0
	}
	return s.path, s.v.Line
}

// String describes p by its name, region and key names.
func (p Profile) String() string {
	return fmt.Sprintf("Profile{Name: %q, Region: %q, Keys: %q}", p.Name, p.Region, p.Keys())
}

// GoString is String, so %#v shows no values.
func (p Profile) GoString() string { return p.String() }

// Format writes String for every verb, so no fmt verb shows a value.
func (p Profile) Format(f fmt.State, _ rune) { io.WriteString(f, p.String()) }

// configErr returns a *ConfigError about key in p, at the line key is on
// (or the profile's section header if key is "" or not set).
func (p Profile) configErr(key string, err error) *ConfigError {
	e := &ConfigError{Profile: p.Name, Err: err}
	if s, ok := p.setting(key); ok {
		e.Path, e.Line = s.path, s.v.Line
	} else if p.data != nil {
		e.Path, e.Line = p.data.path, p.data.line
	}
	return e
}

// String describes c by its files and profile names.
func (c *SharedConfig) String() string {
	return fmt.Sprintf("SharedConfig{ConfigFile: %q, CredentialsFile: %q, Profiles: %q}", c.ConfigFile, c.CredentialsFile, c.ProfileNames())
}

// GoString is String.
func (c *SharedConfig) GoString() string { return c.String() }

// Format writes String for every verb.
func (c *SharedConfig) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// ProfileNames returns the names of all profiles in both files, sorted.
func (c *SharedConfig) ProfileNames() []string { return sortedKeys(c.merged) }

// Profile returns the named profile, its settings from both files merged.
// An error wrapping ErrProfileNotFound says it is in neither.
func (c *SharedConfig) Profile(name string) (Profile, error) {
	if d, ok := c.merged[name]; ok {
		return newProfile(name, d), nil
	}
	var files []string
	for _, f := range []string{c.ConfigFile, c.CredentialsFile} {
		if f != "" {
			files = append(files, f)
		}
	}
	where := "no shared config or credentials file exists"
	if len(files) > 0 {
		where = "it is in neither " + strings.Join(files, " nor ")
		if len(files) == 1 {
			where = "it is not in " + files[0]
		}
	}
	return Profile{Name: name}, &ConfigError{Profile: name, Err: fmt.Errorf("%w: %s", ErrProfileNotFound, where)}
}

// Services returns the [services NAME] section of the config file, whose
// keys are service names with nested settings such as endpoint_url, and
// whether it exists. A profile names its services section with the
// "services" key.
func (c *SharedConfig) Services(name string) (Profile, bool) {
	d, ok := c.services[name]
	if !ok {
		return Profile{}, false
	}
	return newProfile(name, d), true
}

func (c *SharedConfig) ssoSession(name string) (Profile, bool) {
	d, ok := c.ssoSessions[name]
	if !ok {
		return Profile{}, false
	}
	return newProfile(name, d), true
}

// credentialsFileProfile returns the profile as the credentials file alone
// has it.
func (c *SharedConfig) credentialsFileProfile(name string) (Profile, bool) {
	d, ok := c.credentials[name]
	if !ok {
		return Profile{}, false
	}
	return newProfile(name, d), true
}

// configFileProfile returns the profile as the config file alone has it.
func (c *SharedConfig) configFileProfile(name string) (Profile, bool) {
	d, ok := c.config[name]
	if !ok {
		return Profile{}, false
	}
	return newProfile(name, d), true
}

// LoadSharedConfig reads the shared config file and the shared credentials
// file at the given paths (see SharedConfigFiles). An empty path, or a
// file that does not exist, is skipped, as the AWS CLI skips it. A file
// that exists but cannot be read, or does not parse, is an error: a
// *ConfigError naming the file and line.
//
// (The AWS CLI silently skips a file it may not open; this is stricter.)
func LoadSharedConfig(configFile, credentialsFile string) (*SharedConfig, error) {
	cf, err := readINI(configFile)
	if err != nil {
		return nil, err
	}
	crf, err := readINI(credentialsFile)
	if err != nil {
		return nil, err
	}
	c := newSharedConfig(cf, crf)
	c.configPath, c.credentialsPath = configFile, credentialsFile
	return c, nil
}

// newSharedConfig builds a SharedConfig from the parsed files, either of
// which may be nil.
func newSharedConfig(cf, crf *ini.File) *SharedConfig {
	c := &SharedConfig{
		merged:      map[string]*profileData{},
		config:      map[string]*profileData{},
		credentials: map[string]*profileData{},
		ssoSessions: map[string]*profileData{},
		services:    map[string]*profileData{},
	}
	if cf != nil {
		c.ConfigFile = cf.Path
		for _, s := range cf.Sections {
			var into map[string]*profileData
			switch {
			case strings.HasPrefix(s.Name, "profile"):
				into = c.config
			case strings.HasPrefix(s.Name, "sso-session"):
				into = c.ssoSessions
			case strings.HasPrefix(s.Name, "services"):
				into = c.services
			case s.Name == "default":
				c.config["default"] = newProfileData(cf.Path, s)
				continue
			default:
				continue // another section, e.g. [plugins]
			}
			// "[profile  NAME ]", "[profile 'my name']": botocore splits
			// the section name as a command line and wants two words.
			parts, err := shlex.Split(s.Name)
			if err != nil || len(parts) != 2 {
				continue
			}
			into[parts[1]] = newProfileData(cf.Path, s)
		}
		for name, d := range c.config {
			c.merged[name] = d
		}
	}
	if crf != nil {
		c.CredentialsFile = crf.Path
		for _, s := range crf.Sections {
			d := newProfileData(crf.Path, s)
			c.credentials[s.Name] = d
			m, ok := c.merged[s.Name]
			if !ok {
				c.merged[s.Name] = d
				continue
			}
			// Merge into a copy: the config file's own view stays as it is.
			cp := &profileData{path: m.path, line: m.line, settings: make(map[string]setting, len(m.settings)+len(d.settings))}
			for k, v := range m.settings {
				cp.settings[k] = v
			}
			for k, v := range d.settings {
				cp.settings[k] = v
			}
			c.merged[s.Name] = cp
		}
	}
	return c
}

// readINI reads and parses path; it returns nil, nil if path is empty or
// does not exist.
func readINI(path string) (*ini.File, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &ConfigError{Path: path, Err: unwrapPathError(err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, ini.MaxFileSize+1))
	if err != nil {
		return nil, &ConfigError{Path: path, Err: unwrapPathError(err)}
	}
	if len(data) > ini.MaxFileSize {
		return nil, &ConfigError{Path: path, Err: fmt.Errorf("file is larger than %d MiB", ini.MaxFileSize>>20)}
	}
	file, err := ini.Parse(path, data)
	var ie *ini.Error
	if errors.As(err, &ie) {
		return nil, &ConfigError{Path: ie.Path, Line: ie.Line, Err: ie.Err}
	}
	return file, err
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot %s: %w", pe.Op, pe.Err)
	}
	return err
}

// SharedConfigFiles returns the paths of the shared config and credentials
// files as the AWS CLI finds them: $AWS_CONFIG_FILE or ~/.aws/config, and
// $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, with $VARIABLES and a
// leading ~ expanded. getenv nil means os.Getenv; home "" means $HOME, or
// the user's home directory if that is unset.
func SharedConfigFiles(getenv func(string) string, home string) (configFile, credentialsFile string) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if home == "" {
		home = homeDir(getenv)
	}
	configFile = getenv("AWS_CONFIG_FILE")
	if configFile == "" {
		configFile = "~/.aws/config"
	}
	credentialsFile = getenv("AWS_SHARED_CREDENTIALS_FILE")
	if credentialsFile == "" {
		credentialsFile = "~/.aws/credentials"
	}
	return expandPath(configFile, getenv, home), expandPath(credentialsFile, getenv, home)
}

func homeDir(getenv func(string) string) string {
	if h := getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

// expandPath expands $NAME and ${NAME} when set (as Python's
// os.path.expandvars, which leaves unset ones alone) and then a leading ~
// (as os.path.expanduser). ~user is left alone.
func expandPath(p string, getenv func(string) string, home string) string {
	p = expandVars(p, getenv)
	if home != "" && (p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, "~"+string(filepath.Separator))) {
		p = filepath.Join(home, p[1:])
	}
	return p
}

func expandVars(s string, getenv func(string) string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	isWord := func(c byte) bool {
		return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			i++
			continue
		}
		var name string
		end := i + 1
		if s[i+1] == '{' {
			j := strings.IndexByte(s[i+2:], '}')
			if j < 0 {
				b.WriteByte(s[i])
				i++
				continue
			}
			name, end = s[i+2:i+2+j], i+3+j
		} else {
			for end < len(s) && isWord(s[end]) {
				end++
			}
			name = s[i+1 : end]
		}
		if v := getenv(name); name != "" && v != "" {
			b.WriteString(v)
		} else {
			b.WriteString(s[i:end])
		}
		i = end
	}
	return b.String()
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
