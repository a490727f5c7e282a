# Signs requests with botocore, for callerid's comparison tests.
#
# Reads one JSON object per line on stdin (id, mode "header" or "query",
# method, url, headers [[name, value], ...], body (base64), access_key,
# secret_key, token, region, service, time (YYYYMMDDTHHMMSSZ), expires) and
# writes one per line on stdout: id, url, headers, canonical_request, or
# error. Signs with botocore.auth.SigV4Auth (header) or SigV4QueryAuth
# (query) on a botocore.awsrequest.AWSRequest, at the given time; with
# "s3": true, S3SigV4Auth or S3SigV4QueryAuth.
import base64
import datetime
import json
import sys
import urllib.parse

import botocore
import botocore.auth as auth_module
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign(r):
    when = datetime.datetime.strptime(r["time"], "%Y%m%dT%H%M%SZ")
    auth_module.get_current_datetime = lambda remove_tzinfo=True: when
    creds = Credentials(r["access_key"], r["secret_key"], r.get("token") or None)
    body = base64.b64decode(r["body"]) if r.get("body") else None
    if body is not None and r["mode"] == "query":
        # botocore's presigner moves the body of a query-protocol request
        # into the query, and expects it as the dict botocore's serializer
        # makes.
        body = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
    req = AWSRequest(method=r["method"], url=r["url"], data=body)
    for name, value in r["headers"]:
        req.headers[name] = value  # appends: a repeated name is multi-value
    if r["mode"] == "query":
        cls = auth_module.S3SigV4QueryAuth if r.get("s3") else auth_module.SigV4QueryAuth
        auth = cls(creds, r["service"], r["region"], expires=r["expires"])
    else:
        cls = auth_module.S3SigV4Auth if r.get("s3") else auth_module.SigV4Auth
        auth = cls(creds, r["service"], r["region"])
    captured = []
    canonical_request = auth.canonical_request

    def capture(request):
        s = canonical_request(request)
        captured.append(s)
        return s

    auth.canonical_request = capture
    auth.add_auth(req)
    return {
        "url": req.url,
        "headers": [[k, v] for k, v in req.headers.items()],
        "canonical_request": captured[-1] if captured else "",
    }


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--version":
        print(botocore.__version__)
        return
    for line in sys.stdin:
        if not line.strip():
            continue
        r = json.loads(line)
        try:
            res = sign(r)
        except Exception as e:  # report, and go on with the next request
            res = {"error": "%s: %s" % (type(e).__name__, e)}
        res["id"] = r["id"]
        sys.stdout.write(json.dumps(res) + "\n")
    sys.stdout.flush()


main()
