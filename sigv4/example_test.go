package sigv4_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sigv4"
)

// The example keys of the AWS documentation. (The signatures below are
// also those that botocore 1.43 computes for the same requests.)
var creds = credentials.New("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")

// signedAt is when the examples sign: time.Now() in real use.
func signedAt() time.Time { return time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC) }

func ExampleSigner_Sign() {
	req, _ := http.NewRequest("POST", "https://sts.us-east-1.amazonaws.com/",
		strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")

	s := sigv4.Signer{Now: signedAt} // nil Now: time.Now
	if err := s.Sign(req, creds, sigv4.Scope{Service: "sts", Region: "us-east-1"}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("X-Amz-Date:", req.Header.Get("X-Amz-Date"))
	fmt.Println("Authorization:", req.Header.Get("Authorization"))
	// Output:
	// X-Amz-Date: 20150830T123600Z
	// Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=52a8540fea00e731072179f763577cbe2a45eac2c5d32fb4d785f3eefac88165
}

// An EKS token is a presigned STS GetCallerIdentity URL that signs the
// cluster's name in the x-k8s-aws-id header.
func ExampleSigner_Presign() {
	req, _ := http.NewRequest("GET", "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	req.Header.Set("x-k8s-aws-id", "my-cluster")

	s := sigv4.Signer{Now: signedAt}
	url, header, err := s.Presign(req, creds, sigv4.Scope{Service: "sts", Region: "us-east-1"}, 60*time.Second)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.ReplaceAll(url, "&", "\n  &"))
	fmt.Println("send with:", header)
	token := "k8s-aws-v1." + base64.RawURLEncoding.EncodeToString([]byte(url))
	fmt.Println(len(token) > 0)
	// Output:
	// https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity
	//   &Version=2011-06-15
	//   &X-Amz-Algorithm=AWS4-HMAC-SHA256
	//   &X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request
	//   &X-Amz-Date=20150830T123600Z
	//   &X-Amz-Expires=60
	//   &X-Amz-SignedHeaders=host%3Bx-k8s-aws-id
	//   &X-Amz-Signature=393dffdcf851beeb373f04f933b26ffa1d480490f11385a3dbd509617bb7cb79
	// send with: map[X-K8s-Aws-Id:[my-cluster]]
	// true
}

// AppendPresign reuses the caller's buffer: a program that presigns for
// many clusters makes no garbage for the URLs.
func ExampleSigner_AppendPresign() {
	s := sigv4.Signer{Now: signedAt}
	scope := sigv4.Scope{Service: "sts", Region: "us-east-1"}
	var buf []byte
	for _, cluster := range []string{"blue", "green"} {
		req, _ := http.NewRequest("GET", "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
		req.Header.Set("x-k8s-aws-id", cluster)
		var err error
		if buf, err = s.AppendPresign(buf[:0], req, creds, scope, 60*time.Second); err != nil {
			fmt.Println(err)
			return
		}
		u := string(buf)
		fmt.Println(cluster, u[strings.LastIndex(u, "&")+1:])
	}
	clear(buf) // the URLs would hold the session token, if there were one
	// The signatures are botocore's for the same requests and time.

	// Output:
	// blue X-Amz-Signature=58a9c57cc7eca66b3fe249f3fbea4342b20bb01439770a1983c25a978f185720
	// green X-Amz-Signature=d51b7051d17c099a3f385ba43e43f1a199f35ff8743cd84b70ba24486e8d6985
}

// A server checks the signature of each request and maps the errors to
// its own, here to the codes of STS.
func ExampleVerifier_Verify() {
	// What a client sent.
	req, _ := http.NewRequest("POST", "https://sts.us-east-1.amazonaws.com/",
		strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	signer := sigv4.Signer{Now: signedAt}
	if err := signer.Sign(req, creds, sigv4.Scope{Service: "sts", Region: "us-east-1"}); err != nil {
		fmt.Println(err)
		return
	}

	// The server's side: one Verifier for all requests.
	now := signedAt().Add(time.Minute)
	verifier := &sigv4.Verifier{
		Lookup: sigv4.StaticLookup(creds), // or a func over a database
		Scope:  sigv4.Scope{Service: "sts", Region: "us-east-1"},
		Now:    func() time.Time { return now }, // time.Now if nil
	}
	stsCode := func(err error) string {
		switch {
		case errors.Is(err, sigv4.ErrUnknownKey), errors.Is(err, sigv4.ErrInvalidSessionToken):
			return "InvalidClientTokenId"
		case errors.Is(err, sigv4.ErrMissingAuthorization):
			return "MissingAuthenticationToken"
		case errors.Is(err, sigv4.ErrPresignExpired):
			return "ExpiredToken"
		case errors.Is(err, sigv4.ErrMalformedAuthorization), errors.Is(err, sigv4.ErrUnsupportedAlgorithm):
			return "IncompleteSignature"
		default:
			return "SignatureDoesNotMatch"
		}
	}

	v, err := verifier.Verify(req)
	if err != nil {
		fmt.Println(stsCode(err), err)
		return
	}
	fmt.Println(v.Credentials.AccessKeyID, v.Scope.Region, v.Scope.Service, v.Time.Format(time.RFC3339), v.SignedHeaders)

	// The same request ten minutes later.
	now = signedAt().Add(10 * time.Minute)
	_, err = verifier.Verify(req)
	fmt.Println(stsCode(err)+":", err)
	// Output:
	// AKIDEXAMPLE us-east-1 sts 2015-08-30T12:36:00Z [content-type host x-amz-date]
	// SignatureDoesNotMatch: sigv4: date: Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)
}

// A service behind a global endpoint takes signatures for any region, but
// only for itself; a Verifier that names no scope refuses everything.
func ExampleVerifier_anyRegion() {
	signer := sigv4.Signer{Now: signedAt}
	req, _ := http.NewRequest("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	if err := signer.Sign(req, creds, sigv4.Scope{Service: "sts", Region: "eu-west-3"}); err != nil {
		fmt.Println(err)
		return
	}

	verifier := &sigv4.Verifier{
		Lookup:    sigv4.StaticLookup(creds),
		Scope:     sigv4.Scope{Service: "sts"},
		AnyRegion: true,
		Now:       signedAt,
	}
	v, err := verifier.Verify(req)
	fmt.Println(v.Scope.Region, err)

	verifier.Scope.Service = "iam"
	_, err = verifier.Verify(req)
	fmt.Println(errors.Is(err, sigv4.ErrScopeMismatch), err)

	_, err = (&sigv4.Verifier{Lookup: sigv4.StaticLookup(creds), Now: signedAt}).Verify(req)
	fmt.Println(err)
	// Output:
	// eu-west-3 <nil>
	// true sigv4: scope: Credential should be scoped to correct service: "iam", not "sts"
	// sigv4: Verifier has no Scope.Service: name the service the requests must be signed for
}
