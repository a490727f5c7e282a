package credentials

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseSSOCacheFile(t *testing.T) {
	tests := []struct {
		name          string
		in            string
		wantExpires   time.Time
		cannotRefresh []string
		wantErr       string
	}{
		{name: "CLI v2 file", in: `{"startUrl":"https://x/start","region":"eu-west-1","accessToken":"AT","expiresAt":"2030-01-02T03:04:05Z","clientId":"c","clientSecret":"s","registrationExpiresAt":"2030-04-01T00:00:00Z","refreshToken":"r"}`,
			wantExpires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)},
		{name: "offset and fraction", in: `{"accessToken":"AT","expiresAt":"2030-01-02T05:04:05.5+02:00"}`,
			wantExpires:   time.Date(2030, 1, 2, 3, 4, 5, 5e8, time.UTC),
			cannotRefresh: []string{"refreshToken", "clientId", "clientSecret", "registrationExpiresAt"}},
		{name: "old botocore UTC suffix", in: `{"accessToken":"AT","expiresAt":"2030-01-02T03:04:05UTC","clientId":"c","clientSecret":"s","registrationExpiresAt":"soon","refreshToken":"r"}`,
			wantExpires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), cannotRefresh: []string{"registrationExpiresAt"}},
		{name: "refresh fields of the wrong type", in: `{"accessToken":"AT","expiresAt":"2030-01-02T03:04:05Z","clientId":7,"clientSecret":"s","registrationExpiresAt":"2030-04-01T00:00:00Z","refreshToken":null}`,
			wantExpires: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), cannotRefresh: []string{"refreshToken", "clientId"}},
		{name: "array", in: `["AT"]`, wantErr: "the token cache file is a JSON array, not an object"},
		{name: "null", in: `null`, wantErr: "JSON null"},
		{name: "empty", in: ``, wantErr: "not valid JSON"},
		{name: "no zone", in: `{"accessToken":"AT","expiresAt":"2030-01-02T03:04:05"}`, wantErr: `"expiresAt": "2030-01-02T03:04:05" is not an RFC 3339 time`},
		{name: "empty token", in: `{"accessToken":"","expiresAt":"2030-01-02T03:04:05Z"}`, wantErr: `no "accessToken"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSSOCacheFile([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.expiresAt.Equal(tt.wantExpires) || got.secrets().accessToken != "AT" {
				t.Errorf("expires %v, want %v", got.expiresAt, tt.wantExpires)
			}
			if fmt.Sprint(got.cannotRefresh) != fmt.Sprint(tt.cannotRefresh) {
				t.Errorf("cannotRefresh = %q, want %q", got.cannotRefresh, tt.cannotRefresh)
			}
		})
	}
}

func TestSSOCacheTokenRedacted(t *testing.T) {
	tok, err := parseSSOCacheFile([]byte(`{"accessToken":"PLANTEDACCESS","expiresAt":"2030-01-02T03:04:05Z","clientId":"c","clientSecret":"PLANTEDCLIENTSECRET","registrationExpiresAt":"2030-04-01T00:00:00Z","refreshToken":"PLANTEDREFRESH"}`))
	if err != nil {
		t.Fatal(err)
	}
	holder := struct{ t ssoCacheToken }{tok}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		for _, v := range []any{tok, &tok, holder, &holder} {
			out := fmt.Sprintf(verb, v)
			js, _ := json.Marshal(v)
			for _, s := range []string{"PLANTED", "PLANTEDACCESS"} {
				if strings.Contains(out, s) || strings.Contains(string(js), s) {
					t.Errorf("%s of %T shows a secret: %s %s", verb, v, out, js)
				}
			}
		}
	}
}

func FuzzParseSSOCacheFile(f *testing.F) {
	f.Add(`{"startUrl":"https://x/start","region":"eu-west-1","accessToken":"AT","expiresAt":"2030-01-02T03:04:05Z","clientId":"c","clientSecret":"s","registrationExpiresAt":"2030-04-01T00:00:00Z","refreshToken":"r"}`)
	f.Add(`{"accessToken":"AT","expiresAt":"2030-01-02T03:04:05UTC"}`)
	f.Add(`{"accessToken":5,"expiresAt":null}`)
	f.Add(`[]`)
	f.Add(`{"accessToken":"\u0000","expiresAt":"2030-01-02T03:04:05.999999999+14:00","registrationExpiresAt":"x"}`)
	f.Fuzz(func(t *testing.T, in string) {
		tok, err := parseSSOCacheFile([]byte(in))
		if err != nil {
			if tok.secrets() != (ssoCacheSecrets{}) {
				t.Errorf("an error and a token")
			}
			return
		}
		if tok.secrets().accessToken == "" || tok.expiresAt.IsZero() {
			t.Errorf("accepted %q without an access token or expiry", in)
		}
		if len(tok.cannotRefresh) == 0 && (tok.clientID == "" || tok.secrets().refreshToken == "" || tok.secrets().clientSecret == "" || tok.registrationExpires.IsZero()) {
			t.Errorf("%q: refreshable without all the refresh fields", in)
		}
		if s := tok.token().AccessToken(); s != tok.secrets().accessToken {
			t.Errorf("token() lost the access token")
		}
	})
}

func FuzzParseRoleCredentials(f *testing.F) {
	f.Add(`{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"s","sessionToken":"t","expiration":1924992000000}}`)
	f.Add(`{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"s","sessionToken":"t","expiration":1.5e12}}`)
	f.Add(`{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"s","sessionToken":"t","expiration":"1"}}`)
	f.Add(`{"roleCredentials":null}`)
	f.Add(`{"roleCredentials":[]}`)
	f.Add(`<html></html>`)
	f.Fuzz(func(t *testing.T, in string) {
		c, err := parseRoleCredentials([]byte(in))
		if err != nil {
			if c.HasKeys() {
				t.Errorf("an error and keys")
			}
			return
		}
		if !c.HasKeys() || c.SessionToken() == "" || !c.CanExpire() || c.Expires.Before(time.Unix(0, 0)) {
			t.Errorf("accepted %q: %v", in, c)
		}
	})
}

func FuzzParseCreateTokenAnswer(f *testing.F) {
	f.Add(`{"accessToken":"a","tokenType":"Bearer","expiresIn":28800,"refreshToken":"r"}`)
	f.Add(`{"accessToken":"a","expiresIn":-1}`)
	f.Add(`{"accessToken":"a","expiresIn":1e3}`)
	f.Add(`{"accessToken":null,"expiresIn":1}`)
	f.Fuzz(func(t *testing.T, in string) {
		a, err := parseCreateTokenAnswer([]byte(in))
		if err != nil {
			return
		}
		if a.accessToken == "" || a.expiresIn <= 0 {
			t.Errorf("accepted %q", in)
		}
	})
}
