package credentials

import (
	"strings"
	"testing"
)

func FuzzProcessOutput(f *testing.F) {
	f.Add([]byte(`{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzSECRETKEY", "SessionToken": "tok", "Expiration": "2030-01-02T03:04:05Z", "AccountId": "123456789012"}`))
	f.Add([]byte(`{"Version": 2}`))
	f.Add([]byte(`{"Version": "1", "AccessKeyId": 5}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseProcessOutput(data)
		if err == nil {
			if !c.HasKeys() {
				t.Fatalf("no error but no keys: %v", c)
			}
			return
		}
		// No error quotes the input: check with the secret, when it is
		// long enough not to appear in a message by chance.
		if i := strings.Index(string(data), `"SecretAccessKey"`); i >= 0 {
			rest := string(data[i+len(`"SecretAccessKey"`):])
			if j := strings.IndexByte(rest, '"'); j >= 0 {
				if k := strings.IndexByte(rest[j+1:], '"'); k >= 24 {
					if secret := rest[j+1 : j+1+k]; strings.Contains(err.Error(), secret) {
						t.Fatalf("error %q shows the secret %q", err, secret)
					}
				}
			}
		}
	})
}
