package sts

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/callerid/callerid/internal/httpreplay"
)

// FuzzDecodeResponse feeds the response decoder arbitrary bodies, content
// types and statuses. It must never panic, and whatever it accepts as a
// GetCallerIdentity result must have come from a GetCallerIdentityResponse
// document with a 2xx status; whatever it rejects must be an *APIError or
// a *ResponseError.
func FuzzDecodeResponse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "recorded", "*", "*.http"))
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		rec, err := httpreplay.Parse(raw)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(rec.StatusCode, rec.Header.Get("Content-Type"), rec.Body)
	}
	f.Add(200, "text/xml", []byte("<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>a</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>"))
	f.Add(502, "text/html", []byte("<html><body>Bad Gateway</body></html>"))
	f.Add(200, "application/json", []byte(`{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{}}}`))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		if status < 100 || status > 999 {
			status = 200
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {ctype}}}
		var out struct {
			UserID  string `xml:"UserId" json:"UserId"`
			Account string `xml:"Account" json:"Account"`
			ARN     string `xml:"Arn" json:"Arn"`
		}
		_, err := decodeResponse("GetCallerIdentity", resp, body, &out)
		if err == nil {
			if status/100 != 2 {
				t.Fatalf("accepted a result with status %d", status)
			}
			return
		}
		checkDecodeError(t, err)
	})
}

// FuzzDecodeAssumeRole does the same for AssumeRole's result, through the
// checks that turn it into credentials: what is accepted has keys, a
// session token and an expiry.
func FuzzDecodeAssumeRole(f *testing.F) {
	for _, file := range []string{"moto/assume-role.http", "moto/get-federation-token.http", "sts-documented/error-expired-token.http"} {
		raw, err := os.ReadFile(filepath.Join("..", "testdata", "recorded", file))
		if err != nil {
			f.Fatal(err)
		}
		rec, err := httpreplay.Parse(raw)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(rec.StatusCode, rec.Header.Get("Content-Type"), rec.Body)
	}
	f.Add(200, "application/json", []byte(`{"AssumeRoleResponse":{"AssumeRoleResult":{"Credentials":{"AccessKeyId":"ASIA","SecretAccessKey":"s","SessionToken":"t","Expiration":1.9e9},"AssumedRoleUser":{"Arn":"arn:aws:sts::123456789012:assumed-role/r/s"}}}}`))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		if status < 100 || status > 999 {
			status = 200
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {ctype}}}
		var res xmlAssumeRoleResult
		id, err := decodeResponse("AssumeRole", resp, body, &res)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		out, err := roleOutput("AssumeRole", &res, result{requestID: id, attempts: 1})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		c := out.Credentials
		if !c.HasKeys() || c.SessionToken() == "" || !c.CanExpire() || out.AssumedRoleUser.ARN == "" {
			t.Fatalf("accepted incomplete credentials: %v, %+v", c, out.AssumedRoleUser)
		}
	})
}

func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	switch err.(type) {
	case *APIError, *ResponseError:
	default:
		t.Fatalf("error of type %T: %v", err, err)
	}
	if err.Error() == "" {
		t.Fatal("empty error message")
	}
}

// FuzzEndpointUserinfo checks that no endpoint, parseable or not, gets
// the password of its user information into an EndpointError.
func FuzzEndpointUserinfo(f *testing.F) {
	f.Add(true, "user", "s3cr3t-pw", "sts.example.com/")
	f.Add(false, "u", "p@ss:w0rd", "[::1/")
	f.Add(true, "", "passpass", "exa mple.com:99999/?q#f")
	f.Fuzz(func(t *testing.T, https bool, user, password, rest string) {
		if len(password) < 6 || strings.ContainsAny(user+password, "@/?#") || strings.Contains("REDACTED", password) || strings.Contains(strconv.Quote(rest), password) {
			return
		}
		scheme := "http://"
		if https {
			scheme = "https://"
		}
		raw := scheme + user + ":" + password + "@" + rest
		_, err := ResolveEndpoint(EndpointOptions{EndpointURL: raw})
		if err == nil {
			return
		}
		if strings.Contains(err.Error(), password) {
			t.Errorf("%q: the password shows: %s", raw, err)
		}
	})
}
