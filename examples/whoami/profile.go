package main

import (
	"context"

	"github.com/callerid/callerid"
)

// profileSetting returns the value of key in the profile the AWS CLI would
// read it from (profile, else AWS_DEFAULT_PROFILE or AWS_PROFILE, else
// "default", both shared files merged), and whether the profile sets it.
// A configuration that cannot be loaded sets nothing here: Whoami reports
// why.
//
// It is for the profile's "output", which is the CLI's and not the
// library's concern: Config.ProfileValue reads it.
func profileSetting(ctx context.Context, profile string, getenv func(string) string, key string) (string, bool) {
	cfg, err := callerid.LoadConfig(ctx, callerid.WithGetenv(getenv), callerid.WithProfile(profile))
	if err != nil {
		return "", false
	}
	return cfg.ProfileValue(key)
}
