package retrymode

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/callerid/callerid/internal/peertest"
)

// stsCodes are STS's own transient codes, as package sts passes them.
var stsCodes = []string{"IDPCommunicationError"}

func TestDefaults(t *testing.T) {
	type defaults struct {
		Name                      string
		Attempts, AttemptsSet     int
		MaxBackoff, MaxBackoffSet time.Duration
	}
	var got []defaults
	for _, m := range []Mode{Legacy, Standard, Adaptive, Mode(3), Mode(-1)} {
		got = append(got, defaults{m.String(), m.MaxAttempts(0), m.MaxAttempts(7), m.MaxBackoff(0), m.MaxBackoff(time.Minute)})
	}
	want := []defaults{
		{"legacy", 5, 7, 0, time.Minute},
		{"standard", 3, 7, 20 * time.Second, time.Minute},
		{"adaptive", 3, 7, 20 * time.Second, time.Minute},
		{"retrymode.Mode(3)", 3, 7, 20 * time.Second, time.Minute},
		{"retrymode.Mode(-1)", 3, 7, 20 * time.Second, time.Minute},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestAnswer(t *testing.T) {
	tests := []struct {
		status           int
		code             string
		service          []string
		legacy, standard Kind
	}{
		{400, "Throttling", nil, Throttled, Throttled},
		{400, "ThrottlingException", nil, Throttled, Throttled},
		{400, "ThrottledException", nil, Throttled, Throttled},
		{400, "RequestThrottledException", nil, Throttled, Throttled},
		{400, "ProvisionedThroughputExceededException", nil, Throttled, Throttled},
		{403, "Throttling", nil, No, Throttled},
		{400, "TooManyRequestsException", nil, No, Throttled},
		{429, "TooManyRequestsException", nil, Throttled, Throttled},
		{429, "", nil, Throttled, No},
		{400, "RequestLimitExceeded", nil, No, Throttled},
		{400, "SlowDown", nil, No, Throttled},
		{400, "EC2ThrottledException", nil, No, Throttled},
		{400, "PriorRequestNotComplete", nil, No, Throttled},
		{400, "RequestTimeout", nil, No, Transient},
		{400, "RequestTimeoutException", nil, No, Transient},
		{500, "", nil, Transient, Transient},
		{500, "InternalServerException", nil, Transient, Transient},
		{502, "", nil, Transient, Transient},
		{503, "ServiceUnavailable", nil, Transient, Transient},
		{504, "", nil, Transient, Transient},
		{509, "", nil, Transient, No},
		{509, "BandwidthLimitExceeded", nil, Transient, Throttled},
		{501, "NotImplemented", nil, No, No},
		{400, "SlowDownException", nil, No, No}, // SSO OIDC's, not a throttling code
		{401, "UnauthorizedException", nil, No, No},
		{403, "AccessDenied", nil, No, No},
		{400, "IDPCommunicationError", nil, No, No},
		{400, "IDPCommunicationError", stsCodes, Transient, Transient},
		{403, "IDPCommunicationError", stsCodes, No, Transient},
		{400, "", stsCodes, No, No},
	}
	for _, tt := range tests {
		if got := Legacy.Answer(tt.status, tt.code, tt.service...); got != tt.legacy {
			t.Errorf("Legacy.Answer(%d, %q, %q) = %v, want %v", tt.status, tt.code, tt.service, got, tt.legacy)
		}
		for _, m := range []Mode{Standard, Adaptive} {
			if got := m.Answer(tt.status, tt.code, tt.service...); got != tt.standard {
				t.Errorf("%v.Answer(%d, %q, %q) = %v, want %v", m, tt.status, tt.code, tt.service, got, tt.standard)
			}
		}
		if got := Mode(7).Answer(tt.status, tt.code, tt.service...); got != No {
			t.Errorf("Mode(7).Answer(%d, %q) = %v, want no retry", tt.status, tt.code, got)
		}
	}
}

// botocoreOracle asks botocore, for each service and each answer (HTTP
// status, error code), whether its legacy mode (the checker it builds
// from _retry.json for the service) and its standard mode retry it, and
// whether standard mode takes it for throttling.
const botocoreOracle = `import json, sys
import botocore.session
from botocore import translate, retryhandler
from botocore.retries import standard

class Resp:
    def __init__(self, status):
        self.status_code = status
        self.headers = {}

sess = botocore.session.Session()
raw = sess.get_component('data_loader').load_data('_retry')
req = json.load(sys.stdin)

# Every code and status botocore itself names, so that one it retries and
# the rules lack is asked about too.
def walk(node, codes, statuses):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == 'service_error_code' and isinstance(v, str):
                codes.add(v)
            elif k == 'http_status_code' and isinstance(v, int):
                statuses.add(v)
            else:
                walk(v, codes, statuses)
    elif isinstance(node, list):
        for v in node:
            walk(v, codes, statuses)
codes, statuses = set(req['codes']), set(req['statuses'])
walk(raw, codes, statuses)
codes |= set(standard.ThrottledRetryableChecker._THROTTLED_ERROR_CODES)
codes |= set(standard.TransientRetryableChecker._TRANSIENT_ERROR_CODES)
statuses |= set(standard.TransientRetryableChecker._TRANSIENT_STATUS_CODES)
req['codes'], req['statuses'] = sorted(codes), sorted(statuses)
out = []
for svc, op in req['services']:
    model = sess.get_service_model(svc)
    opm = model.operation_model(op)
    cfg = translate.build_retry_config(model.endpoint_prefix, raw['retry'], raw.get('definitions', {}))
    legacy = retryhandler.create_checker_from_retry_config(cfg, operation_name=op)
    std = standard.StandardRetryConditions(max_attempts=3)
    throttled = standard.ThrottledRetryableChecker()
    for status in req['statuses']:
        for code in req['codes']:
            parsed = {'Error': {'Code': code, 'Message': ''}, 'ResponseMetadata': {'HTTPStatusCode': status}}
            ctx = standard.RetryContext(attempt_number=1, operation_model=opm, parsed_response=parsed, http_response=Resp(status))
            out.append({
                'Service': svc, 'Status': status, 'Code': code,
                'Legacy': bool(legacy(1, (Resp(status), parsed), None, {})),
                'Standard': bool(std.is_retryable(ctx)),
                'Throttled': bool(throttled.is_retryable(ctx)),
            })
print(json.dumps(out))
`

// TestAnswerMatchesBotocore: for STS (with its own code), the SSO portal
// and SSO OIDC, Answer retries in each mode what the botocore on this
// machine retries, and takes for throttling in standard mode what it
// does, for every status and code either knows of (botocore's own lists
// and _retry.json included, so that a code the rules lack is asked
// about) and some neither does.
func TestAnswerMatchesBotocore(t *testing.T) {
	python := peertest.Require(t, "python3")
	codes := []string{"", "Foo", "IDPCommunicationError", "SlowDownException", "InternalServerException",
		"UnauthorizedException", "InvalidGrantException", "ExpiredTokenException"}
	for c := range throttledCodes {
		codes = append(codes, c)
	}
	for c := range transientCodes {
		codes = append(codes, c)
	}
	statuses := []int{400, 401, 403, 404, 408, 409, 429, 500, 501, 502, 503, 504, 505, 509, 599}
	in, err := json.Marshal(map[string]any{
		"services": [][2]string{{"sts", "GetCallerIdentity"}, {"sso", "GetRoleCredentials"}, {"sso-oidc", "CreateToken"}},
		"statuses": statuses,
		"codes":    codes,
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", botocoreOracle)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "No module named 'botocore'") && os.Getenv("CALLERID_REQUIRE_PEERS") != "1" {
			t.Skipf("python3 has no botocore: %s", stderr.String())
		}
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	var rows []struct {
		Service, Code               string
		Status                      int
		Legacy, Standard, Throttled bool
	}
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatal(err)
	}
	if min := 3 * len(statuses) * len(codes); len(rows) < min {
		t.Fatalf("botocore answered %d rows, want at least %d", len(rows), min)
	}
	for _, r := range rows {
		var own []string
		if r.Service == "sts" {
			own = stsCodes
		}
		legacy := Legacy.Answer(r.Status, r.Code, own...)
		if (legacy != No) != r.Legacy {
			t.Errorf("%s HTTP %d %q: legacy %v, botocore retries: %v", r.Service, r.Status, r.Code, legacy, r.Legacy)
		}
		for _, m := range []Mode{Standard, Adaptive} {
			k := m.Answer(r.Status, r.Code, own...)
			if (k != No) != r.Standard || (k == Throttled) != r.Throttled {
				t.Errorf("%s HTTP %d %q: %v %v, botocore retries: %v, as throttling: %v", r.Service, r.Status, r.Code, m, k, r.Standard, r.Throttled)
			}
		}
	}
}
