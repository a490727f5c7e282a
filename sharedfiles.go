package callerid

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/callerid/callerid/internal/ini"
	"github.com/callerid/callerid/internal/regularfile"
	"github.com/callerid/callerid/internal/shlex"
)

// sharedFiles is the content of the AWS CLI's shared config file
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
// A sharedFiles never shows a value when printed.
type sharedFiles struct {
	// configFile is the config file's path, empty if none was read.
	configFile string
	// credentialsFile is the credentials file's path, empty if none was
	// read.
	credentialsFile string

	// the paths asked for, read or not
	configPath, credentialsPath string

	merged      map[string]*profileData // what botocore calls full_config
	config      map[string]*profileData // the config file's profiles
	creds       map[string]*profileData // the credentials file's profiles
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

// profile is one profile of a sharedFiles. Its zero value is an empty
// profile. Printing a profile shows its name, region and key names, never
// the other values.
type profile struct {
	// Name is the profile's name.
	Name string
	// Region is the profile's region setting, empty when unset.
	Region string

	data *profileData
}

func newProfile(name string, d *profileData) profile {
	p := profile{Name: name, data: d}
	p.Region = p.Get("region")
	return p
}

func (p profile) setting(key string) (setting, bool) {
	if p.data == nil {
		return setting{}, false
	}
	s, ok := p.data.settings[strings.ToLower(key)]
	return s, ok
}

// Lookup returns the value of key (case-insensitive) and whether it is
// set. A key whose value is a nested block (see Nested) has an empty value.
func (p profile) Lookup(key string) (string, bool) {
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
// set.
func (p profile) Get(key string) string {
	v, _ := p.Lookup(key)
	return v
}

// Has reports whether key is set, even to an empty value.
func (p profile) Has(key string) bool {
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
func (p profile) Nested(key string) map[string]string {
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
func (p profile) Keys() []string {
	if p.data == nil {
		return nil
	}
	return sortedKeys(p.data.settings)
}

// Location returns the file and line key was set on, or "" and 0 if it
// is not set.
func (p profile) Location(key string) (path string, line int) {
	s, ok := p.setting(key)
	if !ok {
		return "", 0
	}
	return s.path, s.v.Line
}

// String describes p by its name, region and key names.
func (p profile) String() string {
	return fmt.Sprintf("profile{Name: %q, Region: %q, Keys: %q}", p.Name, p.Region, p.Keys())
}

// GoString is String, so %#v shows no values.
func (p profile) GoString() string { return p.String() }

// Format writes String for every verb, so no fmt verb shows a value.
func (p profile) Format(f fmt.State, _ rune) { io.WriteString(f, p.String()) }

// configErr returns a *ConfigError about key in p, at the line key is on
// (or the profile's section header if key is "" or not set).
func (p profile) configErr(key string, err error) *ConfigError {
	e := &ConfigError{Profile: p.Name, Err: err}
	if s, ok := p.setting(key); ok {
		e.Path, e.Line = s.path, s.v.Line
	} else if p.data != nil {
		e.Path, e.Line = p.data.path, p.data.line
	}
	return e
}

// String describes c by its files and profile names.
func (c *sharedFiles) String() string {
	return fmt.Sprintf("sharedFiles{ConfigFile: %q, CredentialsFile: %q, Profiles: %q}", c.configFile, c.credentialsFile, c.ProfileNames())
}

// GoString is String.
func (c *sharedFiles) GoString() string { return c.String() }

// Format writes String for every verb.
func (c *sharedFiles) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// ProfileNames returns the names of all profiles in both files, sorted.
func (c *sharedFiles) ProfileNames() []string { return sortedKeys(c.merged) }

// Profile returns the named profile, its settings from both files merged.
// An error wrapping ErrProfileNotFound says it is in neither.
func (c *sharedFiles) Profile(name string) (profile, error) {
	if d, ok := c.merged[name]; ok {
		return newProfile(name, d), nil
	}
	var files []string
	for _, f := range []string{c.configFile, c.credentialsFile} {
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
	return profile{Name: name}, &ConfigError{Profile: name, Err: fmt.Errorf("%w: %s", ErrProfileNotFound, where)}
}

// Services returns the [services NAME] section of the config file, whose
// keys are service names with nested settings such as endpoint_url, and
// whether it exists. A profile names its services section with the
// "services" key.
func (c *sharedFiles) Services(name string) (profile, bool) {
	d, ok := c.services[name]
	if !ok {
		return profile{}, false
	}
	return newProfile(name, d), true
}

func (c *sharedFiles) ssoSession(name string) (profile, bool) {
	d, ok := c.ssoSessions[name]
	if !ok {
		return profile{}, false
	}
	return newProfile(name, d), true
}

// credentialsFileProfile returns the profile as the credentials file alone
// has it.
func (c *sharedFiles) credentialsFileProfile(name string) (profile, bool) {
	d, ok := c.creds[name]
	if !ok {
		return profile{}, false
	}
	return newProfile(name, d), true
}

// configFileProfile returns the profile as the config file alone has it.
func (c *sharedFiles) configFileProfile(name string) (profile, bool) {
	d, ok := c.config[name]
	if !ok {
		return profile{}, false
	}
	return newProfile(name, d), true
}

// loadSharedFiles reads the shared config file and the shared credentials
// file at the given paths (see sharedFilePaths). An empty path, or a
// file that does not exist, is skipped, as the AWS CLI skips it. A file
// that exists but cannot be read, or does not parse, is an error: a
// *ConfigError naming the file and line.
//
// (The AWS CLI silently skips a file it may not open; this is stricter.)
func loadSharedFiles(configFile, credentialsFile string) (*sharedFiles, error) {
	cf, err := readINI(configFile)
	if err != nil {
		return nil, err
	}
	crf, err := readINI(credentialsFile)
	if err != nil {
		return nil, err
	}
	c := newSharedFiles(cf, crf)
	c.configPath, c.credentialsPath = configFile, credentialsFile
	return c, nil
}

// newSharedFiles builds a sharedFiles from the parsed files, either of
// which may be nil.
func newSharedFiles(cf, crf *ini.File) *sharedFiles {
	c := &sharedFiles{
		merged:      map[string]*profileData{},
		config:      map[string]*profileData{},
		creds:       map[string]*profileData{},
		ssoSessions: map[string]*profileData{},
		services:    map[string]*profileData{},
	}
	if cf != nil {
		c.configFile = cf.Path
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
		c.credentialsFile = crf.Path
		for _, s := range crf.Sections {
			d := newProfileData(crf.Path, s)
			c.creds[s.Name] = d
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
	data, err := regularfile.Read(path, ini.MaxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if errors.Is(err, regularfile.ErrNotRegular) {
		// A device, such as the /dev/null of AWS_CONFIG_FILE=/dev/null,
		// is no file, as botocore's os.path.isfile says; a FIFO, a socket
		// or a directory is refused, never opened to block.
		if fi, serr := os.Stat(path); serr == nil && fi.Mode()&fs.ModeDevice != 0 {
			return nil, nil
		}
	}
	var tl *regularfile.TooLargeError
	if errors.As(err, &tl) {
		return nil, &ConfigError{Path: path, Err: fmt.Errorf("file is larger than %d MiB", ini.MaxFileSize>>20)}
	}
	if err != nil {
		return nil, &ConfigError{Path: path, Err: unwrapPathError(err)}
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

// SharedFilePaths returns the paths of the shared config and credentials
// files that LoadConfig reads with the same getenv (nil means os.Getenv):
// $AWS_CONFIG_FILE or ~/.aws/config, and $AWS_SHARED_CREDENTIALS_FILE or
// ~/.aws/credentials, with $VARIABLES and a leading ~ expanded as the AWS
// CLI expands them. With a getenv of its own, ~ is getenv("HOME"), as
// under WithGetenv. A path is "" when it starts with ~ and there is no
// home directory. The files need not exist.
//
// A program that speaks of a file the way the AWS CLI does ("the shared
// credentials file") compares these with a *ConfigError's Path.
func SharedFilePaths(getenv func(string) string) (configFile, credentialsFile string) {
	isolated := getenv != nil
	if getenv == nil {
		getenv = os.Getenv
	}
	return sharedFilePaths(getenv, homeDir(getenv, isolated))
}

// sharedFilePaths returns the paths of the shared config and credentials
// files as the AWS CLI finds them: $AWS_CONFIG_FILE or ~/.aws/config, and
// $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, with $VARIABLES and a
// leading ~ expanded (see expandPath).
func sharedFilePaths(getenv func(string) string, home string) (configFile, credentialsFile string) {
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

// homeDir is the home directory ~ stands for: $HOME, or else, when the
// environment is the process's own (isolated is false), the user's home
// directory as the system knows it; "" if there is none.
func homeDir(getenv func(string) string, isolated bool) string {
	if h := getenv("HOME"); h != "" {
		return h
	}
	if isolated {
		return ""
	}
	h, _ := os.UserHomeDir()
	return h
}

// expandPath expands $NAME and ${NAME} when set (as Python's
// os.path.expandvars, which leaves unset ones alone) and then a leading ~
// (as os.path.expanduser). ~user is left alone. A path that starts with ~
// when there is no home directory is "": there is no such file.
func expandPath(p string, getenv func(string) string, home string) string {
	p = expandVars(p, getenv)
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, "~"+string(filepath.Separator)) {
		if home == "" {
			return ""
		}
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
