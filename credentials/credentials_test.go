package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const (
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY"
	testToken  = "FwoGZXIvYXdzEXAMPLEzSESSIONTOKEN"
)

func TestCredentialsNeverShowSecrets(t *testing.T) {
	c := New("AKIDEXAMPLE", testSecret, testToken)
	c.Source = "test"
	c.Expires = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	type holder struct {
		public  Credentials
		Ptr     *Credentials
		private Credentials
	}
	h := holder{public: c, Ptr: &c, private: c}
	js, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"String": c.String(),
		"%v":     fmt.Sprintf("%v", c),
		"%+v":    fmt.Sprintf("%+v", c),
		"%#v":    fmt.Sprintf("%#v", c),
		"%s":     fmt.Sprintf("%s", c),
		"%q":     fmt.Sprintf("%q", c),
		"%x":     fmt.Sprintf("%x", c),
		"holder": sprintAll(h),
		"cmp": cmp.Diff(New("AKIDEXAMPLE", testSecret, testToken), New("AKIDEXAMPLE", "other", "other")) +
			cmp.Diff(holder{public: c, Ptr: &c, private: c}, holder{}, cmp.AllowUnexported(holder{})),
		"json": string(js),
		"ptr":  fmt.Sprintf("%v %+v %#v", &c, &c, &c),
	}
	for name, out := range outputs {
		for _, secret := range []string{testSecret, testToken, "SECRETKEY", "SESSIONTOKEN"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s output shows a secret: %s", name, out)
			}
		}
	}
	if !strings.Contains(outputs["%v"], "AKIDEXAMPLE") {
		t.Errorf("%%v does not show the access key id: %s", outputs["%v"])
	}
	if c.SecretAccessKey() != testSecret || c.SessionToken() != testToken {
		t.Errorf("accessors lost the secrets")
	}
}

// sprintAll prints v under every verb that a struct may be printed with.
func sprintAll(v any) string {
	var b strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%t", "%x", "%X", "%d", "%o", "%b", "%e", "%f", "%p", "%U", "%c"} {
		fmt.Fprintf(&b, verb+"\n", v)
	}
	return b.String()
}

func TestEnvProvider(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Credentials
		wantErr error
	}{
		{
			name: "long-term keys",
			env:  map[string]string{"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": testSecret},
			want: withSource(New("AKID", testSecret, ""), "EnvProvider"),
		},
		{
			name: "session token",
			env:  map[string]string{"AWS_ACCESS_KEY_ID": "ASIA", "AWS_SECRET_ACCESS_KEY": testSecret, "AWS_SESSION_TOKEN": testToken},
			want: withSource(New("ASIA", testSecret, testToken), "EnvProvider"),
		},
		{name: "nothing set", env: map[string]string{}, wantErr: ErrNotFound},
		{name: "only id", env: map[string]string{"AWS_ACCESS_KEY_ID": "AKID"},
			wantErr: &PartialCredentialsError{Missing: "AWS_SECRET_ACCESS_KEY", Set: "AWS_ACCESS_KEY_ID"}},
		{name: "only secret", env: map[string]string{"AWS_SECRET_ACCESS_KEY": testSecret},
			wantErr: &PartialCredentialsError{Missing: "AWS_ACCESS_KEY_ID", Set: "AWS_SECRET_ACCESS_KEY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := EnvProvider{Getenv: func(k string) string { return tt.env[k] }}
			got, err := p.Retrieve(context.Background())
			if tt.wantErr != nil {
				var ce *Error
				if !errors.As(err, &ce) || ce.Source != "EnvProvider" {
					t.Fatalf("err = %v, want a *credentials.Error from EnvProvider", err)
				}
				if tt.wantErr == ErrNotFound && !errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
				if tt.wantErr != ErrNotFound && errors.Is(err, ErrNotFound) {
					t.Fatalf("err = %v: a half-set environment is not 'not found'", err)
				}
				if want, ok := tt.wantErr.(*PartialCredentialsError); ok {
					var pe *PartialCredentialsError
					if !errors.As(err, &pe) {
						t.Fatalf("err = %v, want a *PartialCredentialsError", err)
					}
					if diff := cmp.Diff(want, pe); diff != "" {
						t.Errorf("PartialCredentialsError (-want +got):\n%s", diff)
					}
				}
				if strings.Contains(err.Error(), testSecret) {
					t.Fatalf("error shows the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Retrieve mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStaticProvider(t *testing.T) {
	got, err := NewStaticProvider("AKID", testSecret, testToken).Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(withSource(New("AKID", testSecret, testToken), "StaticProvider"), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := (&StaticProvider{}).Retrieve(context.Background()); err == nil {
		t.Error("empty static provider: want an error")
	}
}

func withSource(c Credentials, s string) Credentials { c.Source = s; return c }
