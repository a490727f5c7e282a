package sts

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// DefaultRegion is the region used when none is configured.
const DefaultRegion = "us-east-1"

// regionalEndpoint returns the STS endpoint of region.
func regionalEndpoint(region string) string {
	return "https://sts." + region + ".amazonaws.com/"
}

// EndpointError reports an endpoint URL the client will not use.
type EndpointError struct {
	// URL is the endpoint as given.
	URL string
	// Reason says what is wrong with it.
	Reason string
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("sts: endpoint %q: %s", e.URL, e.Reason)
}

// checkEndpoint parses an endpoint override. It must be an absolute https
// URL, or http to a loopback host (for tests and local emulators): plain
// http elsewhere would send signed requests and receive credentials in the
// clear.
func checkEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &EndpointError{URL: raw, Reason: "not a URL: " + errors.Unwrap(err).Error()}
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, &EndpointError{URL: raw, Reason: "no host (want e.g. https://sts.eu-west-1.amazonaws.com)"}
	}
	if u.User != nil {
		return nil, &EndpointError{URL: raw, Reason: "user information in an endpoint URL is not allowed"}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, &EndpointError{URL: raw, Reason: "an endpoint URL cannot have a query or fragment"}
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, &EndpointError{URL: raw, Reason: "plain http is allowed only to a loopback host (127.0.0.0/8, ::1, localhost); use https"}
		}
	default:
		return nil, &EndpointError{URL: raw, Reason: "scheme must be https (or http to a loopback host)"}
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u, nil
}

// isLoopback reports whether host is a loopback IP address or "localhost".
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
