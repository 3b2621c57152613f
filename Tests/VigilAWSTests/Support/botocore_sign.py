#!/usr/bin/env python3
"""Signs requests with botocore, for comparison with Vigil's SigV4Signer.

Reads a JSON list of requests on stdin and writes, for each, the headers botocore's signer set
(Authorization, X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-SHA256). The clock is fixed to the
request's `time` so that both signers sign the same instant.
"""
import base64
import datetime
import json
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

results = []
for case in json.load(sys.stdin):
    request = AWSRequest(method=case["method"], url=case["url"], headers=dict(case["headers"]),
                         data=base64.b64decode(case["body"]))
    credentials = Credentials(case["accessKeyID"], case["secret"], case.get("token"))
    signer_class = botocore.auth.S3SigV4Auth if case["service"] == "s3" else botocore.auth.SigV4Auth
    signer = signer_class(credentials, case["service"], case["region"])
    instant = datetime.datetime.fromtimestamp(case["time"], datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=instant):
        signer.add_auth(request)
    results.append({name: request.headers.get(name) for name in
                    ("Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256")})
json.dump(results, sys.stdout)
