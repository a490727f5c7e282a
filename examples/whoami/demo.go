//go:build demo

package main

import (
	"github.com/callerid/callerid"
	"github.com/callerid/callerid/sts"
	"github.com/callerid/callerid/sts/ststest"
)

// startDemo starts a fake STS on loopback that knows one made-up IAM user,
// and returns the options that make Whoami ask it with that user's key, and
// a function that stops it. The server checks the request's signature as
// STS does, so the demo exercises the whole path: credentials, signing,
// the HTTP call and the decoding of the answer.
//
// The fake STS (an HTTP server and a SigV4 verifier) is built in only with
// the build tag "demo", so that the whoami people deploy carries no server.
func startDemo() ([]callerid.Option, func(), error) {
	srv := ststest.NewServer(ststest.WithSeed(1))
	key := srv.AddUser(ststest.DefaultAccount, "/", "demo-user")
	return []callerid.Option{
		callerid.WithEndpointURL(srv.URL),
		// An endpoint needs a region to sign for, as in the AWS CLI; the
		// fake answers for any, and the demo needs none configured.
		callerid.WithRegion(sts.DefaultRegion),
		callerid.WithCredentials(key.Provider()),
	}, srv.Close, nil
}
