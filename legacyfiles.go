package callerid

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/ini"
	"github.com/callerid/callerid/internal/regularfile"
)

// The AWS CLI still reads two older places, after the shared files: the
// file named by AWS_CREDENTIAL_FILE, in the format of the original EC2
// command line tools, and boto 2's config file. So does LoadConfig's
// credential chain.

// ec2CredentialsFileProvider reads AWS_CREDENTIAL_FILE:
//
//	AWSAccessKeyId=AKIA...
//	AWSSecretKey=...
type ec2CredentialsFileProvider struct {
	path string
}

const ec2FileSource = "EC2CredentialsFile"

func (p ec2CredentialsFileProvider) Retrieve(context.Context) (credentials.Credentials, error) {
	fail := func(err error) (credentials.Credentials, error) {
		return credentials.Credentials{}, &credentials.Error{Source: ec2FileSource, Err: err}
	}
	if p.path == "" {
		return fail(fmt.Errorf("%w: AWS_CREDENTIAL_FILE is not set", credentials.ErrNotFound))
	}
	b, err := regularfile.Read(p.path, ini.MaxFileSize)
	var tl *regularfile.TooLargeError
	if errors.As(err, &tl) {
		return fail(&ConfigError{Path: p.path, Err: errors.New("file is too large")})
	}
	if err != nil {
		return fail(&ConfigError{Path: p.path, Err: unwrapPathError(err)})
	}
	// As botocore's parse_key_val_file: KEY=VALUE lines, others ignored.
	vals := map[string]string{}
	lines := map[string]int{}
	for i, line := range ini.SplitLines(string(b)) {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = ini.TrimSpace(k)
		vals[k], lines[k] = ini.TrimSpace(v), i+1
	}
	id, ok := vals["AWSAccessKeyId"]
	if !ok {
		return fail(fmt.Errorf("%w: %s has no AWSAccessKeyId", credentials.ErrNotFound, p.path))
	}
	secret, ok := vals["AWSSecretKey"]
	if !ok || secret == "" || id == "" {
		return fail(&ConfigError{Path: p.path, Line: lines["AWSAccessKeyId"], Err: errors.New("AWSAccessKeyId and AWSSecretKey must both be set and not empty")})
	}
	c := credentials.New(id, secret, "")
	c.Source = ec2FileSource
	return c, nil
}

// botoSystemConfig is boto 2's system-wide config file; a variable so that
// tests need not read the real one.
var botoSystemConfig = "/etc/boto.cfg"

// botoConfigProvider reads the [Credentials] section of boto 2's config:
// $BOTO_CONFIG, or else /etc/boto.cfg and then ~/.boto.
type botoConfigProvider struct {
	paths []string
}

const botoSource = "BotoConfig"

func (p botoConfigProvider) Retrieve(context.Context) (credentials.Credentials, error) {
	for _, path := range p.paths {
		f, err := readINI(path)
		if err != nil {
			return credentials.Credentials{}, &credentials.Error{Source: botoSource, Err: err}
		}
		if f == nil {
			continue
		}
		for _, s := range f.Sections {
			if s.Name != "Credentials" {
				continue
			}
			prof := newProfile("Credentials", newProfileData(path, s))
			if !prof.Has("aws_access_key_id") {
				continue
			}
			id, secret := prof.Get("aws_access_key_id"), prof.Get("aws_secret_access_key")
			if id == "" || secret == "" {
				return credentials.Credentials{}, &credentials.Error{Source: botoSource, Err: prof.configErr("aws_access_key_id",
					errors.New("[Credentials] must set both aws_access_key_id and aws_secret_access_key, not empty"))}
			}
			c := credentials.New(id, secret, "")
			c.Source = botoSource + "(" + path + ")"
			return c, nil
		}
	}
	return credentials.Credentials{}, &credentials.Error{Source: botoSource, Err: fmt.Errorf("%w: no [Credentials] in %s", credentials.ErrNotFound, strings.Join(p.paths, " or "))}
}
