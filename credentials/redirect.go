package credentials

import "github.com/callerid/callerid/internal/httpsafe"

// RedirectError is the error of a request answered with a redirect, which
// no client of this module follows: not the metadata and container
// clients, not the SSO client, not sts's, whether built by the module or
// given by the user (a user's *http.Client is used through a copy whose
// CheckRedirect refuses; the client itself is not changed). Nothing is sent
// to the Location, so neither a token nor a signed request goes there.
//
// Its fields are StatusCode (the 3xx status) and Location (where the
// answer pointed, resolved, without user information, cut to 512 bytes,
// with the request's secrets cut out); Error quotes the Location. Get it
// with errors.As from the error of any call:
//
//	var re *credentials.RedirectError
//	if errors.As(err, &re) { ... re.StatusCode, re.Location ... }
type RedirectError = httpsafe.RedirectError
