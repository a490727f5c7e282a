package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/callerid/callerid/internal/httpsafe"
	"github.com/callerid/callerid/internal/peertext"
)

// maxResponseSize bounds what is read of a metadata service's response.
const maxResponseSize = 1 << 20

var (
	defaultClientOnce sync.Once
	defaultClient     *http.Client
)

// metadataClient returns (a no-redirect copy of) the client for talking to link-local and
// loopback metadata services: no proxy (an HTTP_PROXY must not see
// 169.254.169.254 requests), short connect timeouts, no redirects.
// Callers bound each request with a context deadline as well.
func metadataClient() *http.Client {
	defaultClientOnce.Do(func() {
		defaultClient = &http.Client{
			Transport: &http.Transport{
				Proxy:                 nil,
				DialContext:           (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
				TLSHandshakeTimeout:   5 * time.Second,
				ResponseHeaderTimeout: 10 * time.Second,
				MaxIdleConns:          4,
				IdleConnTimeout:       30 * time.Second,
			},
			Timeout: 30 * time.Second,
		}
	})
	return httpsafe.NoRedirects(defaultClient, nil)
}

// readBody reads at most maxResponseSize bytes of r.
func readBody(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxResponseSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxResponseSize {
		return nil, fmt.Errorf("response is larger than %d KiB", maxResponseSize>>10)
	}
	return b, nil
}

// credentialsJSON is what the container and instance metadata services
// send.
type credentialsJSON struct {
	Code            string `json:"Code"`
	Message         string `json:"Message"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
	Expiration      string `json:"Expiration"`
	AccountID       string `json:"AccountId"`
}

// parseCredentialsJSON reads a metadata service's credentials. Errors
// name keys, never values.
func parseCredentialsJSON(body []byte, requireToken bool) (Credentials, error) {
	var r credentialsJSON
	if err := json.Unmarshal(body, &r); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return Credentials{}, fmt.Errorf("response: %q is a JSON %s; want a string", te.Field, te.Value)
		}
		return Credentials{}, jsonError("response", err)
	}
	var missing []string
	if r.AccessKeyID == "" {
		missing = append(missing, "AccessKeyId")
	}
	if r.SecretAccessKey == "" {
		missing = append(missing, "SecretAccessKey")
	}
	if requireToken && r.Token == "" {
		missing = append(missing, "Token")
	}
	if requireToken && r.Expiration == "" {
		missing = append(missing, "Expiration")
	}
	if len(missing) > 0 {
		return Credentials{}, fmt.Errorf("response has no %s", strings.Join(quoteAll(missing), ", "))
	}
	c := New(r.AccessKeyID, r.SecretAccessKey, r.Token)
	c.AccountID = r.AccountID
	if r.Expiration != "" {
		t, err := time.Parse(time.RFC3339, r.Expiration)
		if err != nil {
			return Credentials{}, errors.New(`response: "Expiration" is not an RFC 3339 time`)
		}
		c.Expires = t
	}
	return c, nil
}

func quoteAll(s []string) []string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return q
}

// sanitize makes a service's message fit for an error's text: secrets
// replaced, control characters dropped, length bounded (peertext.Line).
func sanitize(s string, max int, secrets ...string) string {
	return peertext.Line(s, max, secrets...)
}

// isTimeout reports whether a failed request timed out.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
