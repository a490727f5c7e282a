package callerid_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid"
	"github.com/callerid/callerid/arn"
	"github.com/callerid/callerid/credentials"
	"github.com/callerid/callerid/internal/httpreplay"
	"github.com/callerid/callerid/internal/peertest"
	"github.com/callerid/callerid/sts"
)

func replay(t *testing.T, name string) *httpreplay.Server {
	t.Helper()
	rec, err := httpreplay.Load(filepath.Join("testdata", "recorded", name))
	if err != nil {
		t.Fatal(err)
	}
	srv := httpreplay.NewServer(rec)
	t.Cleanup(srv.Close)
	return srv
}

// isolated returns an environment that holds only vars on top of what
// keeps the credential chain off this machine's files and instance
// metadata: a fresh HOME, empty shared files, IMDS disabled.
func isolated(t *testing.T, vars map[string]string) func(string) string {
	env := peertest.AWSEnv(t, vars)
	return func(k string) string { return env[k] }
}

func TestWhoamiClassifiesTheCaller(t *testing.T) {
	const reqID = "01234567-89ab-cdef-0123-456789abcdef"
	mustPrincipal := func(s string) arn.Principal {
		p, err := arn.ParsePrincipal(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		file     string
		want     callerid.Identity
		wantKind arn.Kind
	}{
		{"api-reference/user.http", callerid.Identity{
			UserID: "AIDACKCEVSQ6C2EXAMPLE", Account: "123456789012", ARN: "arn:aws:iam::123456789012:user/Alice",
			Principal: mustPrincipal("arn:aws:iam::123456789012:user/Alice"), RequestID: reqID, StatusCode: 200, Attempts: 1, CredentialSource: "StaticProvider",
		}, arn.KindUser},
		{"api-reference/assumed-role.http", callerid.Identity{
			UserID: "ARO123EXAMPLE123:my-role-session-name", Account: "123456789012",
			ARN:       "arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name",
			Principal: mustPrincipal("arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name"), RequestID: reqID, StatusCode: 200, Attempts: 1, CredentialSource: "StaticProvider",
		}, arn.KindAssumedRole},
		{"api-reference/federated-user.http", callerid.Identity{
			UserID: "123456789012:my-federated-user-name", Account: "123456789012",
			ARN:       "arn:aws:sts::123456789012:federated-user/my-federated-user-name",
			Principal: mustPrincipal("arn:aws:sts::123456789012:federated-user/my-federated-user-name"), RequestID: reqID, StatusCode: 200, Attempts: 1, CredentialSource: "StaticProvider",
		}, arn.KindFederatedUser},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			srv := replay(t, tt.file)
			got, err := callerid.Whoami(context.Background(),
				callerid.WithGetenv(isolated(t, nil)),
				callerid.WithEndpointURL(srv.URL),
				callerid.WithCredentials(credentials.NewStaticProvider("AKIDEXAMPLE", "secret", "")))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("Whoami mismatch (-want +got):\n%s", diff)
			}
			if got.Principal.Kind != tt.wantKind {
				t.Errorf("Kind = %v, want %v", got.Principal.Kind, tt.wantKind)
			}
		})
	}
}

func TestWhoamiUsesTheEnvironment(t *testing.T) {
	srv := replay(t, "api-reference/user.http")
	env := map[string]string{
		"AWS_ACCESS_KEY_ID":     "AKIDENV",
		"AWS_SECRET_ACCESS_KEY": "envsecret",
		"AWS_ENDPOINT_URL_STS":  srv.URL,
		"AWS_REGION":            "eu-central-1",
	}
	id, err := callerid.Whoami(context.Background(), callerid.WithGetenv(isolated(t, env)))
	if err != nil {
		t.Fatal(err)
	}
	if id.CredentialSource != "EnvProvider" {
		t.Errorf("CredentialSource = %q, want EnvProvider", id.CredentialSource)
	}
	auth := srv.Requests()[0].Header.Get("Authorization")
	if !strings.Contains(auth, "Credential=AKIDENV/") || !strings.Contains(auth, "/eu-central-1/sts/aws4_request") {
		t.Errorf("Authorization = %q, want the env's key and region", auth)
	}
}

func TestWhoamiErrors(t *testing.T) {
	srv := replay(t, "moto/error-signature-does-not-match.http")
	_, err := callerid.Whoami(context.Background(), callerid.WithGetenv(isolated(t, nil)), callerid.WithEndpointURL(srv.URL),
		callerid.WithCredentials(credentials.NewStaticProvider("AKIDEXAMPLE", "secret", "")))
	var apiErr *sts.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "SignatureDoesNotMatch" || apiErr.StatusCode != 403 {
		t.Errorf("err = %v, want an *sts.APIError SignatureDoesNotMatch 403", err)
	}

	_, err = callerid.Whoami(context.Background(), callerid.WithGetenv(isolated(t, nil)), callerid.WithEndpointURL(srv.URL))
	if !errors.Is(err, credentials.ErrNotFound) {
		t.Errorf("no credentials anywhere: err = %v, want credentials.ErrNotFound", err)
	}

	_, err = callerid.Whoami(context.Background(), callerid.WithGetenv(isolated(t, nil)), callerid.WithEndpointURL("http://sts.example.test"))
	var epErr *sts.EndpointError
	if !errors.As(err, &epErr) {
		t.Errorf("remote plain-http endpoint: err = %v, want *sts.EndpointError", err)
	}
}

// TestWhoamiKeepsAnUnclassifiedARN checks that an answer whose ARN the arn
// package cannot classify (not a principal, or in a partition it does not
// know yet) is returned all the same, with the reason in PrincipalError.
func TestWhoamiKeepsAnUnclassifiedARN(t *testing.T) {
	tests := []struct {
		arn      string
		wantPart string
		sentinel error
	}{
		{"arn:aws:s3:::my-bucket", "service", arn.ErrNotPrincipal},
		{"arn:aws-future:iam::123456789012:user/alice", "partition", nil},
	}
	for _, tt := range tests {
		t.Run(tt.arn, func(t *testing.T) {
			body := `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
				`<UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account><Arn>` + tt.arn + `</Arn></GetCallerIdentityResult>` +
				`<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
			rec, err := httpreplay.Parse([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n" + body))
			if err != nil {
				t.Fatal(err)
			}
			srv := httpreplay.NewServer(rec)
			defer srv.Close()
			id, err := callerid.Whoami(context.Background(), callerid.WithGetenv(isolated(t, nil)), callerid.WithEndpointURL(srv.URL),
				callerid.WithCredentials(credentials.NewStaticProvider("AKIDEXAMPLE", "secret", "")))
			if err != nil {
				t.Fatalf("err = %v, want STS's answer and no error", err)
			}
			want := callerid.Identity{UserID: "AIDAEXAMPLE", Account: "123456789012", ARN: tt.arn,
				RequestID: "req-1", StatusCode: 200, Attempts: 1, CredentialSource: "StaticProvider"}
			got := *id
			got.PrincipalError = nil // checked below
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("identity (-want +got):\n%s", diff)
			}
			var pe *arn.ParseError
			if !errors.As(id.PrincipalError, &pe) || pe.Part != tt.wantPart {
				t.Errorf("PrincipalError = %v, want an *arn.ParseError about the %s", id.PrincipalError, tt.wantPart)
			}
			if tt.sentinel != nil && !errors.Is(id.PrincipalError, tt.sentinel) {
				t.Errorf("PrincipalError = %v, want %v", id.PrincipalError, tt.sentinel)
			}
		})
	}
}
