package sts

import (
	"net/http"
	"os"
	"path/filepath"
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
		switch err.(type) {
		case *APIError, *ResponseError:
		default:
			t.Fatalf("error of type %T: %v", err, err)
		}
		if err.Error() == "" {
			t.Fatal("empty error message")
		}
	})
}
