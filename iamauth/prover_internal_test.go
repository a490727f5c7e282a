package iamauth

import (
	"bytes"
	"net/http"
	"testing"
)

// TestPresignReqDoneClears checks that a pooled request keeps nothing of
// the last proof: not the URL (which holds the session token), the bound
// values or the request.
func TestPresignReqDoneClears(t *testing.T) {
	const secret = "X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE"
	for _, size := range []int{len(secret), 9 << 10} {
		r := &presignReq{header: make(http.Header)}
		sc := signingContext{target: target{scheme: "https", host: "sts.amazonaws.com", path: "/", region: "us-east-1"}}
		r = sc.presignReqInto(r, []Binding{{Header: ClusterIDHeader, Value: "cluster"}})
		r.buf = append(bytes.Repeat([]byte{'x'}, size-len(secret)), secret...)
		buf := r.buf
		r.done()
		if !bytes.Equal(buf, make([]byte, len(buf))) {
			t.Errorf("%d bytes: done left the URL buffer holding %q", size, bytes.Trim(buf, "\x00"))
		}
		if len(r.header) != 0 || r.vals != [4]string{} || r.req.URL != nil || r.url.Host != "" {
			t.Errorf("%d bytes: done left %+v", size, r)
		}
	}
}
