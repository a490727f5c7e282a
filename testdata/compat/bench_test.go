package compat

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	minio "github.com/minio/minio-go/v7/pkg/signer"

	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/sigv4"
)

// The inputs of the benchmarks: what callerid signs on every call, a
// GetCallerIdentity POST with temporary keys, and the EKS token, a
// presigned GetCallerIdentity GET with a signed x-k8s-aws-id header.
const (
	benchURL         = "https://sts.us-east-1.amazonaws.com/"
	benchBody        = "Action=GetCallerIdentity&Version=2011-06-15"
	benchContentType = "application/x-www-form-urlencoded; charset=utf-8"
	benchPresignURL  = "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"
	benchAccessKey   = "ASIAIOSFODNN7EXAMPLE"
	benchSecret      = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// benchToken is a session token of the length STS gives role sessions.
var benchToken = "IQoJb3JpZ2luX2VjEXAMPLE" + strings.Repeat("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/", 20) + "=="

var benchTime = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func benchPost(b *testing.B) *http.Request {
	req, err := http.NewRequest("POST", benchURL, strings.NewReader(benchBody))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", benchContentType)
	return req
}

func benchGet(b *testing.B, rawURL string) *http.Request {
	req, err := http.NewRequest("GET", rawURL, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("x-k8s-aws-id", "my-cluster")
	return req
}

// bodyHash is what the SDK's ComputePayloadSHA256 middleware and callers
// of minio-go's signer do before signing: read the body and hash it.
func bodyHash(b *testing.B, req *http.Request) string {
	body, err := req.GetBody()
	if err != nil {
		b.Fatal(err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, body); err != nil {
		b.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// BenchmarkSign signs the GetCallerIdentity POST with temporary keys, the
// body hashed on every call by each signer. The request is reused (each
// signer replaces its own headers), and the keys' derived signing key is
// cached by callerid and by the SDK (one Signer for all iterations);
// minio-go derives it on every call and signs for service "s3" with the
// current time (it takes no service or time for session-token signing).
func BenchmarkSign(b *testing.B) {
	ctx := context.Background()
	b.Run("callerid", func(b *testing.B) {
		req := benchPost(b)
		creds := credentials.New(benchAccessKey, benchSecret, benchToken)
		s := sigv4.Signer{Now: func() time.Time { return benchTime }}
		if err := s.Sign(req, creds, sigv4.Scope{Service: "sts", Region: "us-east-1"}); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := s.Sign(req, creds, sigv4.Scope{Service: "sts", Region: "us-east-1"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("aws-sdk-go-v2", func(b *testing.B) {
		req := benchPost(b)
		creds := aws.Credentials{AccessKeyID: benchAccessKey, SecretAccessKey: benchSecret, SessionToken: benchToken}
		s := v4.NewSigner()
		if err := s.SignHTTP(ctx, creds, req, bodyHash(b, req), "sts", "us-east-1", benchTime); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := s.SignHTTP(ctx, creds, req, bodyHash(b, req), "sts", "us-east-1", benchTime); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The SDK's SignHTTP alone, given the body's hash: a lower bound of
	// what it costs.
	b.Run("aws-sdk-go-v2-hash-given", func(b *testing.B) {
		req := benchPost(b)
		creds := aws.Credentials{AccessKeyID: benchAccessKey, SecretAccessKey: benchSecret, SessionToken: benchToken}
		s := v4.NewSigner()
		hash := bodyHash(b, req)
		if err := s.SignHTTP(ctx, creds, req, hash, "sts", "us-east-1", benchTime); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := s.SignHTTP(ctx, creds, req, hash, "sts", "us-east-1", benchTime); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("minio-go", func(b *testing.B) {
		req := benchPost(b)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			req.Header.Set("X-Amz-Content-Sha256", bodyHash(b, req))
			minio.SignV4(*req, benchAccessKey, benchSecret, benchToken, "us-east-1")
		}
	})
}

// BenchmarkPresign presigns the EKS token: GetCallerIdentity as a GET,
// valid 60 seconds, with the x-k8s-aws-id header signed, temporary keys.
// The SDK is given X-Amz-Expires in the query, as its presign middleware
// adds it; minio-go presigns for "s3" with UNSIGNED-PAYLOAD and the
// current time. callerid-append is AppendPresign into a reused buffer, as
// iamauth presigns its tokens: the URL is not copied into a string, nor
// the signed headers into a map.
func BenchmarkPresign(b *testing.B) {
	ctx := context.Background()
	b.Run("callerid", func(b *testing.B) {
		req := benchGet(b, benchPresignURL)
		creds := credentials.New(benchAccessKey, benchSecret, benchToken)
		s := sigv4.Signer{Now: func() time.Time { return benchTime }}
		if _, _, err := s.Presign(req, creds, sigv4.Scope{Service: "sts", Region: "us-east-1"}, time.Minute); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, _, err := s.Presign(req, creds, sigv4.Scope{Service: "sts", Region: "us-east-1"}, time.Minute); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("callerid-append", func(b *testing.B) {
		req := benchGet(b, benchPresignURL)
		creds := credentials.New(benchAccessKey, benchSecret, benchToken)
		s := sigv4.Signer{Now: func() time.Time { return benchTime }}
		buf, err := s.AppendPresign(nil, req, creds, sigv4.Scope{Service: "sts", Region: "us-east-1"}, time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if buf, err = s.AppendPresign(buf[:0], req, creds, sigv4.Scope{Service: "sts", Region: "us-east-1"}, time.Minute); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("aws-sdk-go-v2", func(b *testing.B) {
		req := benchGet(b, benchPresignURL+"&X-Amz-Expires=60")
		creds := aws.Credentials{AccessKeyID: benchAccessKey, SecretAccessKey: benchSecret, SessionToken: benchToken}
		s := v4.NewSigner()
		if _, _, err := s.PresignHTTP(ctx, creds, req, sigv4.EmptyPayloadHash, "sts", "us-east-1", benchTime); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, _, err := s.PresignHTTP(ctx, creds, req, sigv4.EmptyPayloadHash, "sts", "us-east-1", benchTime); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("minio-go", func(b *testing.B) {
		req := benchGet(b, benchPresignURL)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			// PreSignV4 writes the query into the request's *url.URL:
			// give it a copy each time.
			r, u := *req, *req.URL
			r.URL = &u
			minio.PreSignV4(r, benchAccessKey, benchSecret, benchToken, "us-east-1", 60)
		}
	})
}

// BenchmarkHashFloor is the hashing no SigV4 signer of the POST can avoid:
// the SHA-256 of the body and of the canonical request (callerid's, taken
// from its Debug hook), and one HMAC-SHA256 of the string to sign with the
// derived key. It allocates nothing.
func BenchmarkHashFloor(b *testing.B) {
	req := benchPost(b)
	var cr, sts string
	s := sigv4.Signer{Now: func() time.Time { return benchTime }, Debug: func(c, s string) { cr, sts = c, s }}
	creds := credentials.New(benchAccessKey, benchSecret, benchToken)
	if err := s.Sign(req, creds, sigv4.Scope{Service: "sts", Region: "us-east-1"}); err != nil {
		b.Fatal(err)
	}
	body, crb, stsb := []byte(benchBody), []byte(cr), []byte(sts)
	key := sha256.Sum256([]byte("a derived signing key"))
	mac := hmac.New(sha256.New, key[:])
	var sum []byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h1 := sha256.Sum256(body)
		h2 := sha256.Sum256(crb)
		mac.Reset()
		mac.Write(stsb)
		sum = mac.Sum(sum[:0])
		if h1[0] == h2[0] && sum == nil {
			b.Fatal("unreachable")
		}
	}
}
