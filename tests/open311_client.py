#!/usr/bin/env python3
"""Open311 GeoReport v2 conformance from a client written by someone else.

Drives `iocdesk serve` with the `georeport` package from PyPI (0.3.1, a maintained
GeoReport v2 wrapper; it reads only, so requests are posted with `requests`, as its
README suggests). Run by the ignored Rust test in tests/open311_client.rs, or by hand:

    pip install georeport            # pulls requests and xmltodict
    python3 tests/open311_client.py http://127.0.0.1:8080/open311/v2 API_KEY

Exits 0 and prints "ok" when every check passes.
"""
import sys

import requests
from georeport import GeoReport


def as_list(x):
    """xmltodict gives a dict for a single element and a list for several."""
    return x if isinstance(x, list) else [x]


def main(root, key):
    js = GeoReport(root, jurisdiction="hue.gov.vn", api_key=key, output_format="json")
    xml = GeoReport(root, jurisdiction="hue.gov.vn", api_key=key, output_format="xml")

    services = js.get_service_list()
    codes = [s["service_code"] for s in services]
    assert "waste" in codes and "invalid" not in codes, codes
    assert [s["service_code"] for s in as_list(xml.get_service_list())] == codes

    d = js.get_service_definition("drainage")
    assert d["service_code"] == "drainage"
    required = [a["code"] for a in d["attributes"] if a["required"]]
    dx = xml.get_service_definition("drainage")
    attrs = as_list(dx["attributes"]["attribute"])
    assert [a["code"] for a in attrs if a["required"] == "true"] == required, (attrs, required)

    form = {
        "api_key": key,
        "jurisdiction_id": "hue.gov.vn",
        "service_code": "drainage",
        "lat": "16.4604",
        "long": "107.5852",
        "description": "<p>Mưa một giờ mà khu tập thể đã ngập</p>",
        "first_name": "Lê",
        "last_name": "Văn Client",
        "email": "client@example.vn",
        "phone": "0914000111",
    }
    for code in required:
        form[f"attribute[{code}]"] = "25"
    r = requests.post(f"{root}/requests.json", data=form)
    assert r.status_code in (200, 201), r.text
    sid = r.json()[0]["service_request_id"]
    assert isinstance(sid, str)

    one = js.get_service_request(sid)
    assert one["service_request_id"] == sid and one["status"] == "open", one
    assert one["description"].startswith("Mưa một giờ mà khu tập thể đã ngập"), one
    assert one["requested_datetime"].endswith("+07:00")
    onex = xml.get_service_request(sid)
    assert onex["service_request_id"] == sid and onex["service_code"] == "drainage", onex

    many = js.get_service_requests(service_request_id=sid)
    assert [m["service_request_id"] for m in many] == [sid]
    open_ones = as_list(xml.get_service_requests(status="open", service_code="drainage"))
    assert open_ones and all(m["status"] == "open" for m in open_ones)

    for url in (f"{root}/requests/{sid}.json", f"{root}/requests/{sid}.xml"):
        body = requests.get(url).text
        for secret in ("Văn Client", "client@example.vn", "0914000111"):
            assert secret not in body, f"{url} reveals {secret}"

    bad = requests.post(f"{root}/requests.json", data={**form, "api_key": "nope"})
    assert bad.status_code == 403 and bad.json()[0]["code"] == 403, bad.text
    print("ok")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: open311_client.py ROOT_URL API_KEY")
    main(sys.argv[1].rstrip("/"), sys.argv[2])
