package credentials

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzMetadataCredentials feeds the parsers of the container endpoint's and
// the instance metadata service's credential documents arbitrary bytes:
// they must not panic, and what they accept must hold keys.
func FuzzMetadataCredentials(f *testing.F) {
	f.Add([]byte(`{"AccessKeyId":"ASIA","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z","AccountId":"123456789012"}`))
	f.Add([]byte(`{"Code":"Success","LastUpdated":"2030-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIA","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"Code":"AssumeRoleUnauthorizedAccess","Message":"no"}`))
	f.Add([]byte(`{"AccessKeyId":1}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for name, parse := range map[string]func([]byte) (Credentials, error){
			"container": func(b []byte) (Credentials, error) { return parseCredentialsJSON(b, false) },
			"imds":      parseIMDSCredentials,
		} {
			c, err := parse(body)
			if err == nil && !c.HasKeys() {
				t.Fatalf("%s: accepted credentials without keys: %v", name, c)
			}
			if err != nil && err.Error() == "" {
				t.Fatalf("%s: empty error", name)
			}
		}
	})
}

// FuzzMetadataCredentialsHideSecrets builds well-formed documents around
// fuzzed values and checks that no error quotes the secret or the token.
func FuzzMetadataCredentialsHideSecrets(f *testing.F) {
	f.Add("ASIAEXAMPLE", "SECRETSECRETSECRET", "TOKENTOKENTOKEN", "2030-01-01T00:00:00Z", "Success")
	f.Add("", "SECRETSECRETSECRET", "TOKENTOKENTOKEN", "not a time", "Failure")
	f.Add("ASIAEXAMPLE", "SECRETSECRETSECRET", "", "2030-01-01T00:00:00Z", "")
	f.Fuzz(func(t *testing.T, id, secret, token, expiration, code string) {
		doc, err := json.Marshal(map[string]string{
			"AccessKeyId": id, "SecretAccessKey": secret, "Token": token, "Expiration": expiration, "Code": code,
		})
		if err != nil {
			return
		}
		for name, parse := range map[string]func([]byte) (Credentials, error){
			"container": func(b []byte) (Credentials, error) { return parseCredentialsJSON(b, false) },
			"imds":      parseIMDSCredentials,
		} {
			_, err := parse(doc)
			if err == nil {
				continue
			}
			for _, s := range []string{secret, token} {
				// A secret that is also in the fields an error may quote
				// (the code, the key id) proves nothing.
				if len(s) < 8 || strings.Contains(code, s) || strings.Contains(id, s) || strings.Contains(expiration, s) {
					continue
				}
				if strings.Contains(err.Error(), s) {
					t.Fatalf("%s: error %q quotes a secret value", name, err)
				}
			}
		}
	})
}
