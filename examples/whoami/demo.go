package main

import "github.com/callerid/callerid"

// startDemo starts a fake STS on loopback and returns the options that make
// Whoami ask it with a key it knows, and a function that stops it.
func startDemo() ([]callerid.Option, func(), error) {
	return nil, func() {}, errNoDemo
}

var errNoDemo = demoError("the demo STS is not built in yet")

type demoError string

func (e demoError) Error() string { return string(e) }
