package callerid

import (
	"errors"
	"fmt"
	"github.com/callerid/callerid/internal/ini"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const testConfig = `# ~/.aws/config
[default]
region = us-east-1

[profile dev]
region = eu-west-1
sts_regional_endpoints = regional
s3 =
    addressing_style = path
    signature_version = s3v4
services = local

[profile "spaced name"]
region = ap-south-1

[profile both]
region = from-config
aws_access_key_id = CONFIGKEY

[profiledev]
region = not-a-profile

[profile too many words]
region = not-a-profile

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start

[services local]
sts =
  endpoint_url = http://localhost:4566

[plugins]
cli_legacy_plugin_path = /x
`

const testCredentials = `[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = ` + testSecret + `

[both]
aws_access_key_id = CREDSKEY
aws_secret_access_key = ` + testSecret + `

[profile dev]
aws_access_key_id = NOT_DEV
`

func TestLoadSharedFiles(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeFile(t, dir, "config", testConfig)
	credPath := writeFile(t, dir, "credentials", testCredentials)
	cfg, err := loadSharedFiles(cfgPath, credPath)
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"both", "default", "dev", "profile dev", "spaced name"}
	if diff := cmp.Diff(wantNames, cfg.ProfileNames()); diff != "" {
		t.Errorf("ProfileNames (-want +got):\n%s", diff)
	}

	dev, err := cfg.Profile("dev")
	if err != nil {
		t.Fatal(err)
	}
	if dev.Region != "eu-west-1" || dev.Get("STS_Regional_Endpoints") != "regional" {
		t.Errorf("dev = %v, region %q, sts_regional_endpoints %q", dev, dev.Region, dev.Get("sts_regional_endpoints"))
	}
	if diff := cmp.Diff(map[string]string{"addressing_style": "path", "signature_version": "s3v4"}, dev.Nested("s3")); diff != "" {
		t.Errorf("Nested(s3) (-want +got):\n%s", diff)
	}
	if v, ok := dev.Lookup("s3"); !ok || v != "" {
		t.Errorf("Lookup(s3) = %q, %v; want empty and set", v, ok)
	}
	if dev.Has("aws_access_key_id") {
		t.Error(`"[profile dev]" in the credentials file is profile "profile dev", not "dev"`)
	}
	if path, line := dev.Location("region"); path != cfgPath || line != 6 {
		t.Errorf("Location(region) = %s:%d, want %s:6", path, line, cfgPath)
	}

	spaced, err := cfg.Profile("spaced name")
	if err != nil || spaced.Region != "ap-south-1" {
		t.Errorf(`Profile("spaced name") = %v, %v`, spaced, err)
	}

	// A key in both files: the credentials file wins; other keys merge.
	both, _ := cfg.Profile("both")
	if got := both.Get("aws_access_key_id"); got != "CREDSKEY" {
		t.Errorf("both: aws_access_key_id = %q, want the credentials file's", got)
	}
	if both.Region != "from-config" {
		t.Errorf("both: region = %q, want the config file's", both.Region)
	}
	// The per-file views stay apart.
	if p, _ := cfg.configFileProfile("both"); p.Get("aws_access_key_id") != "CONFIGKEY" {
		t.Error("the config file's own view of [profile both] changed")
	}

	svc, ok := cfg.Services("local")
	if !ok || svc.Nested("sts")["endpoint_url"] != "http://localhost:4566" {
		t.Errorf("Services(local) = %v, %v", svc, ok)
	}
	if s, ok := cfg.ssoSession("corp"); !ok || s.Get("sso_start_url") == "" {
		t.Errorf("ssoSession(corp) = %v, %v", s, ok)
	}

	_, err = cfg.Profile("nope")
	var ce *ConfigError
	if !errors.Is(err, ErrProfileNotFound) || !errors.As(err, &ce) || ce.Profile != "nope" {
		t.Fatalf("Profile(nope) = %v, want ErrProfileNotFound in a *ConfigError", err)
	}
	if !strings.Contains(err.Error(), cfgPath) || !strings.Contains(err.Error(), credPath) {
		t.Errorf("error %q should name both files", err)
	}

	// Nothing shows a secret.
	def, _ := cfg.Profile("default")
	for _, s := range []string{
		fmt.Sprint(def), fmt.Sprintf("%+v", def), fmt.Sprintf("%#v", def), fmt.Sprintf("%v", &def),
		fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg), fmt.Sprintf("%+v", struct{ P profile }{def}),
	} {
		if strings.Contains(s, "SECRETKEY") {
			t.Errorf("formatted value shows a secret: %s", s)
		}
	}
	if !strings.Contains(fmt.Sprint(def), "aws_secret_access_key") {
		t.Errorf("String should list key names: %v", def)
	}
}

func TestLoadSharedFilesMissing(t *testing.T) {
	dir := t.TempDir()
	cfg, err := loadSharedFiles(filepath.Join(dir, "nope"), "")
	if err != nil {
		t.Fatalf("missing files: %v, want no error, as the AWS CLI", err)
	}
	if cfg.configFile != "" || len(cfg.ProfileNames()) != 0 {
		t.Errorf("cfg = %v", cfg)
	}
	_, err = cfg.Profile("default")
	if !errors.Is(err, ErrProfileNotFound) || !strings.Contains(err.Error(), "no shared config or credentials file exists") {
		t.Errorf("Profile(default) = %v", err)
	}
}

func TestLoadSharedFilesBad(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good", "[default]\n")
	malformed := writeFile(t, dir, "malformed", "[default]\naws_secret_access_key "+testSecret+"\n")
	unreadable := writeFile(t, dir, "unreadable", "[default]\n")
	if err := os.Chmod(unreadable, 0); err != nil {
		t.Fatal(err)
	}
	canRead := false
	if f, err := os.Open(unreadable); err == nil {
		canRead = true // running as root
		f.Close()
	}
	tests := []struct {
		name, config, creds string
		wantPath            string
		wantLine            int
		wantMsg             string
		skip                bool
	}{
		{name: "malformed config", config: malformed, creds: good, wantPath: malformed, wantLine: 2, wantMsg: "neither a [section] header"},
		{name: "malformed credentials", config: good, creds: malformed, wantPath: malformed, wantLine: 2, wantMsg: "neither a [section] header"},
		{name: "unreadable", config: unreadable, creds: good, wantPath: unreadable, wantMsg: "permission denied", skip: canRead},
		{name: "directory", config: dir, creds: good, wantPath: dir, wantMsg: "not a regular file (a directory)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.skip {
				t.Skip("file permissions do not stop this user")
			}
			_, err := loadSharedFiles(tt.config, tt.creds)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Path != tt.wantPath || ce.Line != tt.wantLine {
				t.Fatalf("err = %v (%#v), want a *ConfigError at %s:%d", err, ce, tt.wantPath, tt.wantLine)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || strings.Contains(err.Error(), "SECRETKEY") {
				t.Errorf("err = %q, want %q and no secret", err, tt.wantMsg)
			}
		})
	}
}

func TestSharedFilePaths(t *testing.T) {
	tests := []struct {
		name               string
		env                map[string]string
		home               string
		wantCfg, wantCreds string
	}{
		{name: "defaults", home: "/h", wantCfg: "/h/.aws/config", wantCreds: "/h/.aws/credentials"},
		{name: "HOME", env: map[string]string{"HOME": "/e"}, wantCfg: "/e/.aws/config", wantCreds: "/e/.aws/credentials"},
		{
			name: "overrides with ~ and variables",
			env:  map[string]string{"AWS_CONFIG_FILE": "~/cfg", "AWS_SHARED_CREDENTIALS_FILE": "$DIR/c/${NAME}", "DIR": "/d", "NAME": "creds"},
			home: "/h", wantCfg: "/h/cfg", wantCreds: "/d/c/creds",
		},
		{
			name: "unset variables stay",
			env:  map[string]string{"AWS_CONFIG_FILE": "/x/$NOPE/${NOPE}/$", "AWS_SHARED_CREDENTIALS_FILE": "~other/c"},
			home: "/h", wantCfg: "/x/$NOPE/${NOPE}/$", wantCreds: "~other/c",
		},
		// An environment of its own without HOME: no home directory, so
		// no file under ~ (never the user's home as the system knows it).
		{name: "isolated, no HOME", wantCfg: "", wantCreds: ""},
		{name: "isolated, no HOME, files named", env: map[string]string{"AWS_CONFIG_FILE": "/etc/aws/config"}, wantCfg: "/etc/aws/config", wantCreds: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			home := tt.home
			if home == "" {
				home = homeDir(getenv, true)
			}
			cfg, creds := sharedFilePaths(getenv, home)
			if cfg != tt.wantCfg || creds != tt.wantCreds {
				t.Errorf("got %q, %q; want %q, %q", cfg, creds, tt.wantCfg, tt.wantCreds)
			}
		})
	}
}

func TestProfileZeroValue(t *testing.T) {
	var p profile
	if p.Get("region") != "" || p.Has("x") || p.Keys() != nil || p.Nested("s3") != nil {
		t.Error("zero profile should be empty")
	}
	if path, line := p.Location("x"); path != "" || line != 0 {
		t.Error("zero profile has no locations")
	}
}

func FuzzSharedFiles(f *testing.F) {
	files, _ := filepath.Glob("internal/ini/testdata/*.ini")
	for _, path := range files {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(testConfig))
	f.Add([]byte(testCredentials))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ini.Parse("config", data)
		if err != nil {
			return // internal/ini's FuzzParse checks the errors
		}
		// The shared files built from it, as either file, must answer
		// without panicking, and never show a value when printed.
		cfg := newSharedFiles(file, file)
		for _, name := range cfg.ProfileNames() {
			prof, err := cfg.Profile(name)
			if err != nil {
				t.Fatal(err)
			}
			s := prof.String()
			shown := fmt.Sprintf("%q %q %q", name, prof.Region, prof.Keys()) // what String may show
			for _, k := range prof.Keys() {
				if v := prof.Get(k); len(v) > 8 && strings.Contains(s, v) && !strings.Contains(shown, v) {
					t.Fatalf("String %q shows the value of %q", s, k)
				}
				prof.Nested(k)
				if path, line := prof.Location(k); path != "config" || line < 1 {
					t.Fatalf("Location(%q) = %s:%d", k, path, line)
				}
			}
		}
	})
}
