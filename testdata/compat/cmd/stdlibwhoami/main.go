// Command stdlibwhoami is the floor that examples/whoami is measured
// against: the least a Go program needs to ask STS GetCallerIdentity, with
// the standard library only. It reads the keys from AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, the region from AWS_REGION or
// AWS_DEFAULT_REGION (us-east-1 by default) and the endpoint from
// AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL, signs one POST with a minimal
// hand-rolled SigV4, and prints the answer as `aws sts get-caller-identity`
// does.
//
// It is a floor, not a library: no shared config files, no retries, no
// checks beyond what a correct answer needs.
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

const body = "Action=GetCallerIdentity&Version=2011-06-15"

func main() {
	os.Exit(run(context.Background(), os.Stdout, os.Stderr, os.Getenv, time.Now))
}

func run(ctx context.Context, stdout, stderr io.Writer, getenv func(string) string, now func() time.Time) int {
	ak, sk, token := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN")
	if ak == "" || sk == "" {
		fmt.Fprintln(stderr, "\nUnable to locate credentials.")
		return 255
	}
	region := first(getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION"), "us-east-1")
	endpoint := first(getenv("AWS_ENDPOINT_URL_STS"), getenv("AWS_ENDPOINT_URL"), "https://sts."+region+".amazonaws.com/")

	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", endpoint, strings.NewReader(body))
	if err != nil {
		fmt.Fprintf(stderr, "\n%v\n", err)
		return 255
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sign(req, ak, sk, token, region, now().UTC())

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "\n%v\n", err)
		return 255
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		fmt.Fprintf(stderr, "\n%v\n", err)
		return 255
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Code    string `xml:"Error>Code"`
			Message string `xml:"Error>Message"`
			Nested  struct {
				Code    string `xml:"Error>Code"`
				Message string `xml:"Error>Message"`
			} `xml:"Errors"`
		}
		xml.Unmarshal(data, &e)
		if e.Code == "" {
			e.Code, e.Message = e.Nested.Code, e.Nested.Message
		}
		fmt.Fprintf(stderr, "\nAn error occurred (%s) when calling the GetCallerIdentity operation: %s\n", e.Code, e.Message)
		return 255
	}
	var r struct {
		UserID  string `xml:"GetCallerIdentityResult>UserId"`
		Account string `xml:"GetCallerIdentityResult>Account"`
		ARN     string `xml:"GetCallerIdentityResult>Arn"`
	}
	if err := xml.Unmarshal(data, &r); err != nil || r.ARN == "" {
		fmt.Fprintf(stderr, "\nunexpected answer (HTTP %d): %.200q\n", resp.StatusCode, data)
		return 255
	}
	out := struct {
		UserID  string `json:"UserId"`
		Account string `json:"Account"`
		ARN     string `json:"Arn"`
	}{r.UserID, r.Account, r.ARN}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return 255
	}
	return 0
}

// sign adds a SigV4 Authorization header to req, whose path is "/", whose
// query is empty and whose body is the constant body.
func sign(req *http.Request, ak, sk, token, region string, t time.Time) {
	amzDate := t.Format("20060102T150405Z")
	day := amzDate[:8]
	req.Header.Set("X-Amz-Date", amzDate)
	names := "content-type;host;x-amz-date"
	headers := "content-type:" + req.Header.Get("Content-Type") + "\nhost:" + req.URL.Host + "\nx-amz-date:" + amzDate + "\n"
	if token != "" {
		req.Header.Set("X-Amz-Security-Token", token)
		names += ";x-amz-security-token"
		headers += "x-amz-security-token:" + token + "\n"
	}
	bodyHash := sha256.Sum256([]byte(body))
	canonical := "POST\n/\n\n" + headers + "\n" + names + "\n" + hex.EncodeToString(bodyHash[:])
	crHash := sha256.Sum256([]byte(canonical))
	scope := day + "/" + region + "/sts/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(crHash[:])
	key := mac([]byte("AWS4"+sk), day)
	key = mac(key, region)
	key = mac(key, "sts")
	key = mac(key, "aws4_request")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+ak+"/"+scope+", SignedHeaders="+names+
		", Signature="+hex.EncodeToString(mac(key, toSign)))
}

func mac(key []byte, s string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(s))
	return h.Sum(nil)
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
