package main

import "github.com/callerid/callerid/credentials"

// profileSetting returns the value of key in the profile the AWS CLI would
// read it from (profile, else AWS_DEFAULT_PROFILE or AWS_PROFILE, else
// "default", both shared files merged), and whether the profile sets it.
// A profile that cannot be read sets nothing here: Whoami reports why.
//
// This is the one place whoami reads the shared files itself, for the
// profile's "output", which is the CLI's and not the library's concern.
func profileSetting(profile string, getenv func(string) string, key string) (string, bool) {
	p, err := credentials.ChainOptions{Profile: profile, Getenv: getenv}.LoadProfile()
	if err != nil {
		return "", false
	}
	return p.Lookup(key)
}
