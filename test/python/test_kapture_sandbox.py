"""The README's pytest fixture, run as it is written.

Under pytest, `kapture_sandbox` is a session fixture and `test_search_and_verify` uses it. With the
standard library only, `python3 test/python/test_kapture_sandbox.py` runs the same code and the
same test through unittest. KAPTURE_SANDBOX_COMMAND says how to start the sandbox (the
project's own tests set it to this clone's bin/kapture-sandbox.js).
"""
import json
import os
import shlex
import subprocess
import unittest
import urllib.error
import urllib.request

try:
    import pytest
except ImportError:
    # A stand-in whose fixture decorator changes nothing, so that the code below is the README's.
    class pytest:  # noqa: N801
        @staticmethod
        def fixture(**_options):
            return lambda function: function


SANDBOX_COMMAND = shlex.split(os.environ.get("KAPTURE_SANDBOX_COMMAND", "npx kapture-sandbox"))


def run_kapture_sandbox():
    """Starts a kapture-sandbox on a free port, yields its base URL, and stops it."""
    process = subprocess.Popen(
        [*SANDBOX_COMMAND, "serve", "--port", "0", "--in-memory", "--ready-json"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # {"url": ..., "pid": ...} once it listens
        if not line:
            raise RuntimeError(f"kapture-sandbox exited with {process.wait()} before listening")
        yield json.loads(line)["url"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture(scope="session")
def kapture_sandbox():
    yield from run_kapture_sandbox()


def post(url, body, headers=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_search_and_verify(kapture_sandbox):
    created = post(f"{kapture_sandbox}/__sandbox/tenants", {"seedCustomers": 1})[1]
    scoped = {"X-Sandbox-Tenant": str(created["tenant"])}
    status, answer = post(
        f"{kapture_sandbox}/search-customer-by-customer-id.html",
        {"customer_id": "272930"},
        {"Authorization": "Basic sandbox-key"},
    )
    assert (status, answer["status"], answer["message"][0]["id"]) == (200, "success", 272930)
    # The new tenant's key sees none of tenant 396's customers, and its verify none of its requests.
    status, answer = post(
        f"{kapture_sandbox}/search-customer-by-customer-id.html",
        {"customer_id": "272930"},
        {"Authorization": f"Basic {created['key']}"},
    )
    assert answer["Status"] == "Fail"
    status, verified = post(
        f"{kapture_sandbox}/__sandbox/verify",
        {"operation": "searchCustomer", "error": "CustomerNotFound", "count": 1},
        scoped,
    )
    assert (status, verified["ok"], verified["matched"]) == (200, True, 1)
    status, refused = post(f"{kapture_sandbox}/__sandbox/verify", {"error": "none"}, scoped)
    assert (status, refused["ok"]) == (409, False)


class KaptureSandboxFixture(unittest.TestCase):
    """The pytest test, driven by unittest: the fixture's generator is set up and torn down by hand."""

    def test_search_and_verify(self):
        fixture = run_kapture_sandbox()
        url = next(fixture)
        try:
            test_search_and_verify(url)
        finally:
            fixture.close()


if __name__ == "__main__":
    unittest.main()
