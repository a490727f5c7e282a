package credentials

import (
	"fmt"
	"strings"
	"testing"
)

// fmt does not call Format on a value in an unexported field, and under a
// verb that does not suit a pointer it prints a pointer's target at depth
// 0: the secrets must not be reachable that way either.
func TestCredentialsInUnexportedFieldUnderEveryVerb(t *testing.T) {
	c := New("AKIDEXAMPLE", testSecret, testToken)
	h := struct {
		c  Credentials
		p  *Credentials
		cs []Credentials
	}{c, &c, []Credentials{c}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%p", "%e"} {
		for _, v := range []any{h, &h} {
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{testSecret, testToken, "SECRETKEY", "SESSIONTOKEN"} {
				if strings.Contains(out, secret) {
					t.Errorf("%s shows a secret: %s", verb, out)
				}
			}
		}
	}
}
