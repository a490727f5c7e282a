package transient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/callerid/callerid/internal/httpsafe"
)

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestClassify(t *testing.T) {
	wrap := func(err error) error { return &url.Error{Op: "Post", URL: "https://sts.example/", Err: err} }
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"nil", nil, Permanent},
		{"canceled", context.Canceled, Permanent},
		{"canceled in url.Error", wrap(context.Canceled), Permanent},
		{"deadline (the HTTP client's timeout)", wrap(context.DeadlineExceeded), Timeout},
		{"net.Error timeout", timeoutErr{}, Timeout},
		{"dial timeout", &net.OpError{Op: "dial", Net: "tcp", Err: timeoutErr{}}, Timeout},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, Transient},
		{"reset", wrap(&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), Transient},
		{"ECONNABORTED", syscall.ECONNABORTED, Transient},
		{"broken pipe", fmt.Errorf("write: %w", syscall.EPIPE), Transient},
		{"closed early (EOF)", wrap(io.EOF), Transient},
		{"cut short (unexpected EOF)", io.ErrUnexpectedEOF, Transient},
		{"other OpError", &net.OpError{Op: "read", Err: errors.New("use of closed network connection")}, Transient},
		{"DNS not found", &net.DNSError{Err: "no such host", Name: "sts.example", IsNotFound: true}, Permanent},
		{"DNS timeout", &net.DNSError{Err: "i/o timeout", Name: "sts.example", IsTimeout: true}, Timeout},
		{"DNS server misbehaving", &net.DNSError{Err: "server misbehaving", Name: "sts.example", IsTemporary: true}, Transient},
		{"redirect", wrap(&httpsafe.RedirectError{StatusCode: 302, Location: "https://elsewhere/"}), Permanent},
		{"unknown CA", wrap(x509.UnknownAuthorityError{}), Permanent},
		{"wrong host name", x509.HostnameError{Host: "sts.example", Certificate: &x509.Certificate{}}, Permanent},
		{"expired certificate", x509.CertificateInvalidError{Reason: x509.Expired}, Permanent},
		{"certificate verification", wrap(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), Permanent},
		{"http to an https server", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, Permanent},
		{"answer too large", &http.MaxBytesError{Limit: 1 << 20}, Permanent},
		{"anything else", errors.New("something else"), Permanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.err); got != tt.want {
				t.Errorf("Classify(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// TestClassifyRealFailures: the errors http.Client.Do really returns for a
// refused connection, a reset one, a client time-out and a certificate it
// does not trust.
func TestClassifyRealFailures(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + ln.Addr().String()
	ln.Close()

	reset := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		c.(*net.TCPConn).SetLinger(0)
		c.Close()
	}))
	defer reset.Close()
	done := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-done:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(done)
	untrusted := httptest.NewUnstartedServer(http.NotFoundHandler())
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0)
	untrusted.StartTLS()
	defer untrusted.Close()

	tests := []struct {
		name   string
		url    string
		client *http.Client
		want   Kind
	}{
		{"refused", closedURL, &http.Client{}, Transient},
		{"reset", reset.URL, &http.Client{}, Transient},
		{"client timeout", slow.URL, &http.Client{Timeout: 50 * time.Millisecond}, Timeout},
		{"untrusted certificate", untrusted.URL, &http.Client{}, Permanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tt.client.Post(tt.url, "text/plain", nil)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("POST %s succeeded", tt.url)
			}
			if got := Classify(err); got != tt.want {
				t.Errorf("Classify(%v) = %v, want %v", err, got, tt.want)
			}
		})
	}
}
