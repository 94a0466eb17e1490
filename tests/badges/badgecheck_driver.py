# mypy: ignore-errors
"""Run the 1EdTech OB 2.0 validator (badgecheck) offline; runs in badgecheck's own venv.

Usage: python badgecheck_driver.py URL_OR_PNG_PATH. Prints the JSON report.
The OB 2.0 JSON-LD context is answered from badgecheck's bundled copy and every
request to a host other than 127.0.0.1 is refused, so no traffic leaves the machine.
"""

import json
import sys
from urllib.parse import urlsplit

import requests
from openbadges.verifier import verify
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT
from requests.adapters import HTTPAdapter

_CONTEXT_URLS = {"https://w3id.org/openbadges/v2", "http://w3id.org/openbadges/v2"}
_send = HTTPAdapter.send


def _offline_send(self, request, **kwargs):
    if request.url.rstrip("/") in _CONTEXT_URLS:
        response = requests.models.Response()
        response.status_code = 200
        response.url = request.url
        response.headers["Content-Type"] = "application/ld+json"
        response._content = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode()
        response.request = request
        return response
    if urlsplit(request.url).hostname != "127.0.0.1":
        raise requests.exceptions.ConnectionError(f"offline test: refusing {request.url}")
    return _send(self, request, **kwargs)


HTTPAdapter.send = _offline_send


def main() -> None:
    target = sys.argv[1]
    if target.startswith("http"):
        report = verify(target, use_cache=False)
    else:
        with open(target, "rb") as handle:
            report = verify(handle, use_cache=False)
    print(json.dumps(report, default=str))


if __name__ == "__main__":
    main()
