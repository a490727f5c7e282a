package credentials

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// A Cache refuses credentials that have expired when they arrive, with
// the AWS CLI's meaning, keeps nothing, and tries again on the next
// Retrieve.
func TestCacheRefusesExpiredCredentials(t *testing.T) {
	clock := newClock()
	p := &countingProvider{clock: clock, life: -time.Minute}
	c := NewCache(p, WithClock(clock.Now))
	for i := 1; i <= 2; i++ {
		got, err := c.Retrieve(context.Background())
		var ee *ExpiredError
		if !errors.Is(err, ErrExpired) || !errors.As(err, &ee) || got.HasKeys() {
			t.Fatalf("Retrieve = %v, %v; want no credentials and an *ExpiredError", got, err)
		}
		if !strings.Contains(err.Error(), "credentials were refreshed, but the refreshed credentials are still expired") {
			t.Errorf("err = %v", err)
		}
		if n := p.calls.Load(); n != int32(i) {
			t.Errorf("after %d Retrieves, %d refreshes", i, n)
		}
	}
}

// The providers that read an expiry from their source refuse credentials
// that have expired; IMDS extends them as botocore does.
func TestProvidersRefuseExpiredCredentials(t *testing.T) {
	const expired = `{"AccessKeyId":"ASIAOLD","SecretAccessKey":"s","Token":"t","Expiration":"2001-01-01T00:00:00Z"}`
	f, srv := newContainerService(t, "/v2/credentials/task", "")
	f.status, f.body = 200, expired
	p := &ContainerProvider{Getenv: envMap(map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task"}), ECSEndpoint: srv.URL}
	if got, err := p.Retrieve(context.Background()); !errors.Is(err, ErrExpired) || got.HasKeys() {
		t.Errorf("ContainerProvider: %v, %v; want ErrExpired", got, err)
	}

	im, isrv := newIMDS(t)
	im.credsBody = `{"Code":"Success","AccessKeyId":"ASIAOLD","SecretAccessKey":"s","Token":"t","Expiration":"2001-01-01T00:00:00Z"}`
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	ip := &IMDSProvider{Getenv: envMap(map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT": isrv.URL + "/"}), Now: func() time.Time { return now }}
	got, err := ip.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Expires.Sub(now); d < 12*time.Minute || d > 20*time.Minute {
		t.Errorf("IMDS credentials that expired are extended by %v, want 12 to 20 minutes", d)
	}
}
