package compat

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/httpreplay"
	"github.com/callerid/callerid/sts"
	"github.com/callerid/callerid/sts/ststest"
)

// replay serves the recording in file on loopback and returns a client of
// it, with made-up keys (the replay server checks no signature), and the
// server, to look at the requests it got. The client's clock is the
// recording's Date, so that it does not take an old answer for one from a
// server whose clock is off (and retry).
func replay(t *testing.T, file string, creds credentials.Credentials) (*sts.Client, *httpreplay.Server) {
	t.Helper()
	rec, err := httpreplay.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	date, err := http.ParseTime(rec.Header.Get("Date"))
	if err != nil {
		t.Fatalf("%s: Date: %v", file, err)
	}
	srv := httpreplay.NewServer(rec)
	t.Cleanup(srv.Close)
	c, err := sts.New(sts.Options{
		Region:      "us-east-1",
		EndpointURL: srv.URL,
		Credentials: &credentials.StaticProvider{Credentials: creds},
		HTTPClient:  &http.Client{Timeout: 30 * time.Second},
		Retry:       sts.RetryOptions{MaxAttempts: 1},
		Now:         func() time.Time { return date },
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

var replayKeys = credentials.New("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "")

// checkSent checks the one request a replay server got: a signed POST of
// the action to /.
func checkSent(t *testing.T, srv *httpreplay.Server, action string) {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("the server got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.Path != "/" || !strings.HasPrefix(string(r.Body), "Action="+action+"&") ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded; charset=utf-8" ||
		!strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential="+replayKeys.AccessKeyID+"/") ||
		!strings.Contains(r.Header.Get("Authorization"), "/us-east-1/sts/aws4_request, SignedHeaders=") ||
		r.Header.Get("X-Amz-Date") == "" {
		t.Errorf("the client sent %s %s %q with headers %v, want a signed form POST of %s to /", r.Method, r.Path, r.Body, r.Header, action)
	}
}

// TestReplayMotoGetCallerIdentity replays GetCallerIdentity answers
// recorded from moto_server (TestMotoEndToEnd with CALLERID_RECORD=1) and
// checks every field of what the client makes of them.
func TestReplayMotoGetCallerIdentity(t *testing.T) {
	for _, tt := range []struct {
		file string
		want sts.CallerIdentity
		kind arn.Kind
	}{
		{"get-caller-identity-user.http", sts.CallerIdentity{
			UserID:     "r2mb5tuofkq39ayopj7r",
			Account:    "123456789012",
			ARN:        "arn:aws:iam::123456789012:user/alice",
			RequestID:  "QkrzeDWEzAeK346kW6h0PkrZV0RcPsATRpUamgLNxmajy2puKITr",
			StatusCode: 200,
			Attempts:   1,
		}, arn.KindUser},
		{"get-caller-identity-assumed-role.http", sts.CallerIdentity{
			UserID:     "AROARZPUZDIKJQJV52BA7:compat-session",
			Account:    "123456789012",
			ARN:        "arn:aws:sts::123456789012:assumed-role/compat-role/compat-session",
			RequestID:  "yk1Kr8SdEv0n53IkhCxVoON14b3WYXoDDjZmvu2WNwBYot25CkdA",
			StatusCode: 200,
			Attempts:   1,
		}, arn.KindAssumedRole},
	} {
		t.Run(tt.file, func(t *testing.T) {
			client, srv := replay(t, filepath.Join(recordDir, tt.file), replayKeys)
			got, err := client.GetCallerIdentity(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("GetCallerIdentity (-want +got):\n%s", diff)
			}
			if p, err := arn.ParsePrincipal(got.ARN); err != nil || p.Kind != tt.kind {
				t.Errorf("ParsePrincipal(%q) = %v, %v; want kind %v", got.ARN, p.Kind, err, tt.kind)
			}
			checkSent(t, srv, "GetCallerIdentity")
		})
	}
}

// TestReplayMotoAssumeRole replays moto's AssumeRole answer.
func TestReplayMotoAssumeRole(t *testing.T) {
	client, srv := replay(t, filepath.Join(recordDir, "assume-role.http"), replayKeys)
	got, err := client.AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleARN:         "arn:aws:iam::123456789012:role/compat-role",
		RoleSessionName: "compat-session",
	})
	if err != nil {
		t.Fatal(err)
	}
	creds := credentials.New("ASIARZPUZDIKMUVF5KLN", "Ibi6qSdoyCmIxec3aXepbd3n5Ub6NZ59ETvg0aka",
		"FQoGZXIvYXdzEBYaDfLCB/i3txRcAGPY+/hcxBgFdBM1qOWh6rptVlyQ3WYkyMpYyi/PqvmA6iH8FgMl/1Dgxbe181l1h9OdqtApBnt3s5/fVuJfacUo+Y/15kejqqaeN+VFgLoBvI3ggJL/ouIIHtM0yBZ4Lb36Zb8l2J+F/FqFR0mlA7tKVKCiBMOeo3pYSykM+bVZXQc+SYkNK+MHfIV3LwBN1aYiTExS9WSqRwOMk3ZAGU1rpc+iM8G8IW2WdIboALwj6Wwu2ZygKe115EzoBPjomxrhNYOk/EbtCvbIuRecn5M6WlgwjAAezLa1Fwlv4FpWNZugdMak/SmYZFsdIyLeXY6w8i0=")
	creds.Expires = time.Date(2026, 11, 23, 12, 29, 32, 745455000, time.UTC)
	creds.Source = "sts.AssumeRole"
	creds.AccountID = "123456789012"
	want := &sts.AssumeRoleOutput{
		Credentials: creds,
		AssumedRoleUser: sts.AssumedRoleUser{
			AssumedRoleID: "AROARZPUZDIKJQJV52BA7:compat-session",
			ARN:           "arn:aws:sts::123456789012:assumed-role/compat-role/compat-session",
		},
		PackedPolicySize: 6,
		RequestID:        "TPycJ4oyscg85K25gDISSLISzEmqy3UozodsAEz0sNh7afCV1rfz",
		StatusCode:       200,
		Attempts:         1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AssumeRole (-want +got):\n%s", diff)
	}
	checkSent(t, srv, "AssumeRole")
}

// TestReplayMotoErrors replays moto's refusals (in moto's shape: text/html,
// an <Errors> wrapper, no <RequestId>) and checks the typed errors.
func TestReplayMotoErrors(t *testing.T) {
	const invalidToken = "The security token included in the request is invalid."
	for _, tt := range []struct {
		file string
		want sts.APIError
	}{
		{"error-signature-does-not-match.http", sts.APIError{
			StatusCode: 403, Type: "Sender", Code: "SignatureDoesNotMatch",
			Message:   "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
			RequestID: "lk674Hqqj7NDfUajGwhuCppSY1MfXVtTARxBcPdUEmQIZayQdZoZ",
		}},
		{"error-tampered-session-token.http", sts.APIError{
			StatusCode: 403, Type: "Sender", Code: "InvalidClientTokenId", Message: invalidToken,
			RequestID: "GZv93hvBaYNKbrxZ0AolMQxIcwEPw7BsgHvBEGPaGr5sICLyXWNa",
		}},
		{"error-unknown-access-key.http", sts.APIError{
			StatusCode: 403, Type: "Sender", Code: "InvalidClientTokenId", Message: invalidToken,
			RequestID: "J6raS2cO79BpkDPAvImw8aSOlbx3RTA2JdwOa8yWoElYPIXFhuge",
		}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			client, srv := replay(t, filepath.Join(recordDir, tt.file), replayKeys)
			_, err := client.GetCallerIdentity(context.Background())
			var apiErr *sts.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("got %v (%T), want an *sts.APIError", err, err)
			}
			if diff := cmp.Diff(&tt.want, apiErr); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			checkSent(t, srv, "GetCallerIdentity")
		})
	}
}

// TestFederatedUser covers the caller kind moto cannot answer
// GetCallerIdentity for (GetFederationToken keys): with the API
// reference's recorded answer, and with the fake STS of sts/ststest.
func TestFederatedUser(t *testing.T) {
	const name = "my-federated-user-name"
	check := func(t *testing.T, want sts.CallerIdentity, got *sts.CallerIdentity) {
		t.Helper()
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("GetCallerIdentity (-want +got):\n%s", diff)
		}
		p, err := arn.ParsePrincipal(got.ARN)
		if err != nil {
			t.Fatal(err)
		}
		if p.Kind != arn.KindFederatedUser || p.Name != name || p.ARN.AccountID != "123456789012" {
			t.Errorf("ParsePrincipal(%q) = %+v, want the federated user %s", got.ARN, p, name)
		}
	}

	t.Run("api-reference", func(t *testing.T) {
		client, srv := replay(t, "../recorded/api-reference/federated-user.http", replayKeys)
		got, err := client.GetCallerIdentity(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		check(t, sts.CallerIdentity{
			UserID:     "123456789012:" + name,
			Account:    "123456789012",
			ARN:        "arn:aws:sts::123456789012:federated-user/" + name,
			RequestID:  "01234567-89ab-cdef-0123-456789abcdef",
			StatusCode: 200,
			Attempts:   1,
		}, got)
		checkSent(t, srv, "GetCallerIdentity")
	})

	t.Run("ststest", func(t *testing.T) {
		srv := ststest.NewServer(ststest.WithSeed(7), ststest.WithRegion("us-east-1"))
		defer srv.Close()
		key := srv.AddFederatedUser("123456789012", name)
		if key.SessionToken() == "" {
			t.Fatalf("federated key %v has no session token", key)
		}
		got, err := stsClient(t, srv.URL, key.Credentials, srv.Client().Transport).GetCallerIdentity(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		reqs := srv.Requests()
		if len(reqs) != 1 || reqs[0].Code != "" {
			t.Fatalf("the fake STS got %+v, want one request it accepted", reqs)
		}
		check(t, sts.CallerIdentity{
			UserID:     key.Identity.UserID,
			Account:    key.Identity.Account,
			ARN:        key.Identity.ARN,
			RequestID:  reqs[0].RequestID,
			StatusCode: 200,
			Attempts:   1,
		}, got)
	})
}
