//go:build !demo

package main

import (
	"errors"

	"github.com/callerid/callerid"
)

// startDemo reports that this build has no demo: the fake STS is built in
// only with the build tag "demo" (see demo.go).
func startDemo() ([]callerid.Option, func(), error) {
	return nil, nil, errors.New("this whoami was built without the demo; run it with: go run -tags demo ./examples/whoami --demo")
}
