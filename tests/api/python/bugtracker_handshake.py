"""The seed's bug-tracker doctest, replayed over HTTP against a running Latchkey.

Usage: bugtracker_handshake.py PRIVATE_URL PUBLIC_URL
Only Python's standard library: xmlrpc.client for the private listener, urllib for the
handshake. Exits non-zero, saying why, on the first surprise.
"""
import sys
import urllib.error
import urllib.request
import xmlrpc.client

private_url, public_url = sys.argv[1], sys.argv[2]
bugtracker_api = xmlrpc.client.ServerProxy(private_url + "/bugs")


def request(method, url):
    req = urllib.request.Request(url, data=b"" if method == "POST" else None, method=method)
    try:
        with urllib.request.urlopen(req) as res:
            return res.status, res.headers, res.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode()


def expect(actual, wanted, what):
    if actual != wanted:
        sys.exit(f"{what}: expected {wanted!r}, got {actual!r}")


def handshake_url(token):
    return f"{public_url}/token/{token}/+bugtracker-handshake"


def token_state(token):
    status, _, body = request("GET", f"{public_url}/token/{token}")
    expect(status, 200, "token page")
    return "already been used" in body


token_string = bugtracker_api.newBugTrackerToken()
expect(token_string.startswith("lk_bug_"), True, "token prefix")
status, _, body = request("POST", handshake_url(token_string))
expect((status, body), (200, "Handshake token validated."), "first POST")
expect(token_state(token_string), True, "consumed after the POST")
status, _, body = request("POST", handshake_url(token_string))
expect((status, body), (410, "Token has already been used or is invalid."), "second POST")

token_string = bugtracker_api.newBugTrackerToken()
status, headers, body = request("GET", handshake_url(token_string))
expect((status, body), (405, "Only POST requests are accepted for bugtracker handshakes."), "GET")
expect(headers.get("Allow"), "POST", "Allow header")
expect(token_state(token_string), False, "still unconsumed after the GET")
status, _, body = request("POST", handshake_url(token_string))
expect((status, body), (200, "Handshake token validated."), "POST after GET")

try:
    bugtracker_api.newBugTrackerToken("extra")
    sys.exit("an extra argument was accepted")
except xmlrpc.client.Fault as fault:
    expect("no arguments" in fault.faultString, True, "fault for an extra argument")
try:
    bugtracker_api.noSuchMethod()
    sys.exit("an unknown method was accepted")
except xmlrpc.client.Fault as fault:
    expect(fault.faultString, "Unknown method.", "fault for an unknown method")
print("seed sequence passed")
