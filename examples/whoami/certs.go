package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// noCACertificates reports whether err is a failure to verify a server's
// certificate because this system has no CA certificates at all, as in a
// container built FROM scratch: crypto/x509 found no roots
// (x509.SystemRootsError), or found an empty set and so knows no
// authority (x509.UnknownAuthorityError with an empty system pool).
func noCACertificates(err error) bool {
	var sre x509.SystemRootsError
	if errors.As(err, &sre) {
		return true
	}
	var uae x509.UnknownAuthorityError
	if !errors.As(err, &uae) {
		return false
	}
	pool, perr := x509.SystemCertPool()
	return perr != nil || pool.Equal(x509.NewCertPool())
}

// noCACertificatesHelp is what whoami prints after "SSL validation failed
// for URL: " when there are no CA certificates.
func noCACertificatesHelp(getenv func(string) string) string {
	where := "the system's usual places"
	if f, d := getenv("SSL_CERT_FILE"), getenv("SSL_CERT_DIR"); f != "" || d != "" {
		where = "SSL_CERT_FILE=" + f + " and SSL_CERT_DIR=" + d
	}
	return "no CA certificates were found (in " + where + ") to verify the endpoint's certificate with.\n" +
		"A container built FROM scratch has none: copy a CA bundle into the image\n" +
		"(COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/), mount the host's\n" +
		"(-v /etc/ssl/certs:/etc/ssl/certs:ro), or set SSL_CERT_FILE to a bundle. A program of your own\n" +
		"can embed roots instead: import _ \"golang.org/x/crypto/x509roots/fallback\" in its main package.\n"
}

// certificateError returns the certificate verification error inside err,
// if there is one.
func certificateError(err error) (error, bool) {
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return cve.Err, true
	}
	var uae x509.UnknownAuthorityError
	var he x509.HostnameError
	var ce x509.CertificateInvalidError
	var sre x509.SystemRootsError
	switch {
	case errors.As(err, &uae):
		return uae, true
	case errors.As(err, &he):
		return he, true
	case errors.As(err, &ce):
		return ce, true
	case errors.As(err, &sre):
		return sre, true
	}
	return nil, false
}
