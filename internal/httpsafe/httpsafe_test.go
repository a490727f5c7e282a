package httpsafe

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestNoRedirects(t *testing.T) {
	var reached atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }))
	defer target.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://bob:pa55w0rd@"+strings.TrimPrefix(target.URL, "http://")+"/x?"+strings.Repeat("q", 2000), http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	def := &http.Client{}
	followed := func(*http.Request, []*http.Request) error { return nil }
	user := &http.Client{CheckRedirect: followed}
	for _, c := range []*http.Client{NoRedirects(nil, def), NoRedirects(user, def)} {
		resp, err := c.Post(srv.URL, "text/plain", strings.NewReader("SECRET BODY"))
		if resp != nil {
			resp.Body.Close()
		}
		cause := Cause(err, "pa55w0rd")
		var re *RedirectError
		if !errors.As(cause, &re) || re.StatusCode != 307 {
			t.Fatalf("err = %v, want a *RedirectError", err)
		}
		if strings.Contains(re.Location, "pa55w0rd") || strings.Contains(re.Location, "bob") || len(re.Location) > maxLocation+3 ||
			!strings.HasPrefix(re.Location, target.URL+"/x?q") {
			t.Errorf("Location = %q", re.Location)
		}
		if !strings.HasPrefix(re.Error(), "HTTP 307 redirect to \"http://127.0.0.1:") {
			t.Errorf("Error() = %s", re.Error())
		}
	}
	if reached.Load() != 0 {
		t.Errorf("the redirect was followed %d times", reached.Load())
	}
	if def.CheckRedirect != nil || user.CheckRedirect == nil {
		t.Error("a given client was changed")
	}
}

func TestCauseCutsSecretsFromLocation(t *testing.T) {
	err := Cause(&RedirectError{StatusCode: 302, Location: "https://evil.example/?t=TOKENVALUE"}, "TOKENVALUE")
	var re *RedirectError
	if !errors.As(err, &re) || strings.Contains(re.Location, "TOKENVALUE") {
		t.Errorf("err = %v", err)
	}
}

// A secret that the bound would cut in two is taken out whole, over a
// real redirect: no start of it is left at the end of the Location.
func TestCauseCutsASecretAcrossTheBound(t *testing.T) {
	token := strings.Repeat("S", 40) + "ESSIONTOKEN"
	target := strings.Repeat("a", maxLocation-30)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/"+target+"?t="+token, http.StatusFound)
	}))
	defer srv.Close()
	_, err := NoRedirects(nil, srv.Client()).Get(srv.URL)
	err = Cause(err, token)
	var re *RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *RedirectError", err)
	}
	if strings.Contains(re.Location, "SSS") || len(re.Location) > maxLocation+len("...") {
		t.Errorf("Location = %q (%d bytes): a start of the token is left, or it is not bounded", re.Location, len(re.Location))
	}
}
