// Package httpsafe keeps the module's HTTP clients from following
// redirects. A redirect would carry a signed request, a session token, an
// IMDS token or a container authorization token to wherever the peer
// points (another host, another port of the same host, plain http), and
// make that place's answer the identity; botocore never follows one.
// Every client the module builds or is given goes through NoRedirects.
package httpsafe

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/callerid/callerid/internal/peertext"
)

// maxLocation bounds the Location a RedirectError keeps.
const maxLocation = 512

// RedirectError is the error of a request answered with a redirect (a 3xx
// status with a Location), which is never followed: nothing is sent to the
// Location. Get it with errors.As from the error of any call of the
// module.
type RedirectError struct {
	// StatusCode is the status of the answer, e.g. 302 or 307.
	StatusCode int
	// Location is where the answer pointed, resolved against the request's
	// URL, without user information and cut to 512 bytes. It is peer text:
	// Error quotes it.
	Location string
}

// Error names the status and the quoted Location.
func (e *RedirectError) Error() string {
	return "HTTP " + strconv.Itoa(e.StatusCode) + " redirect to " + strconv.Quote(e.Location) + " refused"
}

// refuse is a CheckRedirect that follows nothing: the client's Do returns
// a *url.Error whose Err is a *RedirectError (and closes the answer's
// body).
func refuse(next *http.Request, _ []*http.Request) error {
	e := &RedirectError{}
	if next.Response != nil {
		e.StatusCode = next.Response.StatusCode
	}
	if next.URL != nil {
		u := *next.URL
		u.User = nil
		// Whole here, bounded by the transport's header limit: Cause,
		// through which every error of Do passes, takes the secrets out
		// of the whole Location and only then cuts it (a secret cut short
		// at the end would not be found).
		e.Location = u.String()
	}
	return e
}

// NoRedirects returns a shallow copy of c whose CheckRedirect refuses
// every redirect with a *RedirectError; c itself is not changed. For a nil
// c it returns a copy of def (which must not be nil).
func NoRedirects(c, def *http.Client) *http.Client {
	if c == nil {
		c = def
	}
	cp := *c
	cp.CheckRedirect = refuse
	return &cp
}

// Cause returns the cause of an error of http.Client.Do fit for an error
// of the module: without the *url.Error around it (whose URL, for a
// refused redirect, is the raw Location), a *RedirectError kept as it is
// with the secrets cut out of its Location before it is cut to its bound, and any other cause passed
// through peertext.Error, since the transport's errors quote what the peer
// sent.
func Cause(err error, secrets ...string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var re *RedirectError
	if errors.As(err, &re) {
		return &RedirectError{StatusCode: re.StatusCode, Location: peertext.Cut(re.Location, maxLocation, secrets...)}
	}
	return peertext.Error(err, secrets...)
}
