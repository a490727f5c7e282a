package ststest

import (
	"bytes"
	"crypto/hmac"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/callerid/callerid/sigv4"
)

// signature is what a request's SigV4 signature says.
type signature struct {
	accessKeyID   string
	date          string // YYYYMMDD of the credential scope
	region        string
	service       string
	signedHeaders []string
	signature     string
	time          time.Time
	token         string
	presigned     bool
}

// signer returns the access key id a request names in its signature, if
// any, for the request log.
func signer(r *http.Request, form url.Values) (accessKeyID string, presigned bool) {
	if cred := form.Get("X-Amz-Credential"); cred != "" && r.URL.Query().Get("X-Amz-Signature") != "" {
		return strings.SplitN(cred, "/", 2)[0], true
	}
	auth := r.Header.Get("Authorization")
	if i := strings.Index(auth, "Credential="); i >= 0 {
		rest := auth[i+len("Credential="):]
		if j := strings.IndexAny(rest, "/, "); j >= 0 {
			return rest[:j], false
		}
	}
	return "", false
}

func incomplete(msg string) *answer {
	return apiErr(http.StatusBadRequest, "IncompleteSignature", msg)
}

// parseSignature reads the signature of the Authorization header or of a
// presigned URL's query.
func parseSignature(r *http.Request, form url.Values) (*signature, *answer) {
	q := r.URL.Query()
	var sig signature
	var cred, amzDate string
	if auth := r.Header.Get("Authorization"); auth != "" {
		alg, rest, _ := strings.Cut(auth, " ")
		if alg != sigv4.Algorithm {
			return nil, incomplete("Unsupported AWS 'algorithm': '" + alg + "'")
		}
		for _, part := range strings.Split(rest, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			switch k {
			case "Credential":
				cred = v
			case "SignedHeaders":
				sig.signedHeaders = strings.Split(v, ";")
			case "Signature":
				sig.signature = v
			}
		}
		amzDate = r.Header.Get(sigv4.HeaderDate)
		sig.token = r.Header.Get(sigv4.HeaderSecurityToken)
	} else if q.Get("X-Amz-Signature") != "" {
		if alg := q.Get("X-Amz-Algorithm"); alg != sigv4.Algorithm {
			return nil, incomplete("Unsupported AWS 'algorithm': '" + alg + "'")
		}
		sig.presigned = true
		cred = q.Get("X-Amz-Credential")
		sig.signedHeaders = strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
		sig.signature = q.Get("X-Amz-Signature")
		amzDate = q.Get("X-Amz-Date")
		sig.token = q.Get("X-Amz-Security-Token")
	} else {
		return nil, apiErr(http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token")
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || parts[0] == "" {
		return nil, incomplete("Authorization header requires 'Credential' parameter. Authorization=" + sigv4.Algorithm + " Credential=ACCESSKEY/DATE/REGION/SERVICE/aws4_request")
	}
	sig.accessKeyID, sig.date, sig.region, sig.service = parts[0], parts[1], parts[2], parts[3]
	if sig.signature == "" || len(sig.signedHeaders) == 0 || sig.signedHeaders[0] == "" {
		return nil, incomplete("Authorization header requires 'SignedHeaders' and 'Signature' parameters.")
	}
	t, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil {
		return nil, incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if t.Format("20060102") != sig.date {
		return nil, apiErr(http.StatusForbidden, "SignatureDoesNotMatch", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"+sig.date+"' != '"+t.Format("20060102")+"', from '"+amzDate+"'.")
	}
	sig.time = t
	return &sig, nil
}

// verifySignature reports whether sig is the signature of r by secret.
//
// TODO(ststest): use sigv4.Verify once the sigv4 package has it; until
// then the header form is checked by signing a copy of the request that
// holds only the signed headers, and presigned URLs are refused.
func verifySignature(r *http.Request, body []byte, sig *signature, secret string) bool {
	if sig.presigned {
		return false
	}
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	cp, err := http.NewRequest(r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return false
	}
	cp.Host = r.Host
	for _, h := range sig.signedHeaders {
		if h == "host" {
			continue
		}
		if vs, ok := r.Header[http.CanonicalHeaderKey(h)]; ok {
			cp.Header[http.CanonicalHeaderKey(h)] = vs
		}
	}
	token := ""
	for _, h := range sig.signedHeaders {
		if h == "x-amz-security-token" {
			token = sig.token
		}
	}
	var s sigv4.Signer
	if err := s.Sign(cp, sigv4.Credentials{AccessKeyID: sig.accessKeyID, SecretAccessKey: secret, SessionToken: token}, sig.region, sig.service, sig.time); err != nil {
		return false
	}
	want := cp.Header.Get("Authorization")
	got := sigv4.Algorithm + " Credential=" + sig.accessKeyID + "/" + sig.date + "/" + sig.region + "/" + sig.service + "/aws4_request, SignedHeaders=" +
		strings.Join(sig.signedHeaders, ";") + ", Signature=" + sig.signature
	return hmac.Equal([]byte(want), []byte(got))
}
