package ststest

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// presignedGCIWindow is how long after its signing time STS accepts a
// presigned GetCallerIdentity request, whatever its X-Amz-Expires says:
// the 15 minutes EKS tokens live.
const presignedGCIWindow = 15 * time.Minute

// presignedClock returns the time to verify the signature of r at, and
// whether r is a presigned GetCallerIdentity. For one it checks, as STS
// does, that the signing time is neither more than 15 minutes ago nor more
// than the allowed skew ahead, and returns the signing time itself, so
// that the signature check does not hold X-Amz-Expires (which may be 0)
// against the request. For any other request it returns now.
func presignedClock(r *http.Request, form url.Values, at time.Time, maxSkew time.Duration) (time.Time, bool, *answer) {
	q := r.URL.Query()
	if q.Get("X-Amz-Algorithm") == "" || form.Get("Action") != "GetCallerIdentity" {
		return at, false, nil
	}
	t, err := time.Parse(amzDateFormat, q.Get("X-Amz-Date"))
	if err != nil || len(q["X-Amz-Date"]) != 1 {
		return at, false, nil // the signature check refuses it
	}
	f := func(t time.Time) string { return t.UTC().Format(amzDateFormat) }
	switch {
	case at.Sub(t) > presignedGCIWindow:
		return at, true, apiErr(http.StatusForbidden, "SignatureDoesNotMatch",
			"Signature expired: "+f(t)+" is now earlier than "+f(at.Add(-presignedGCIWindow))+" ("+f(at)+" - 15 min.)")
	case t.Sub(at) > maxSkew:
		return at, true, apiErr(http.StatusForbidden, "SignatureDoesNotMatch",
			"Signature not yet current: "+f(t)+" is still later than "+f(at.Add(maxSkew))+" ("+f(at)+" + "+minutes(maxSkew)+")")
	}
	return t, true, nil
}

const amzDateFormat = "20060102T150405Z"

func minutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min."
	}
	return d.String()
}
