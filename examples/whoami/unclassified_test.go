package main

import (
	"strings"
	"testing"

	"github.com/callerid/callerid/internal/httpreplay"
)

// TestRunUnclassifiedARN checks that an ARN the library cannot classify
// (here in a partition it does not know) is printed as STS sent it, as the
// AWS CLI prints it, and that --verbose says why it is not classified.
func TestRunUnclassifiedARN(t *testing.T) {
	const arn = "arn:aws-future:iam::123456789012:user/alice"
	body := `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
		`<UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account><Arn>` + arn + `</Arn></GetCallerIdentityResult>` +
		`<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
	rec, err := httpreplay.Parse([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n" + body))
	if err != nil {
		t.Fatal(err)
	}
	srv := httpreplay.NewServer(rec)
	defer srv.Close()
	got := runWith(t, keys, "--endpoint-url", srv.URL, "--output", "text", "--verbose")
	if got.Code != 0 || got.Stdout != "123456789012\t"+arn+"\tAIDAEXAMPLE\n" {
		t.Errorf("got %+v, want exit 0 and the identity", got)
	}
	if !strings.Contains(got.Stderr, "caller not classified: arn: invalid partition") {
		t.Errorf("stderr = %q, want why the ARN is not classified", got.Stderr)
	}
}
