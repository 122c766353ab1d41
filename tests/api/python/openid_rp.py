"""An OpenID 2.0 relying party on loopback, built on python3-openid and python3-openid-teams.

Usage: openid_rp.py OP_URL
Prints "PORT <n>" once listening on 127.0.0.1. Pages:
  /start?mode=assoc|stateless[&immediate=1][&teams=a,b][&max_auth_age=N]
      begins a sign-in at OP_URL (discovered with Yadis) and redirects the browser there;
  /finish
      completes it (association mode checks the signature itself; stateless mode asks the
      provider with check_authentication) and shows the outcome as JSON inside <pre id="outcome">.
"""

import html
import json
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from openid.consumer import consumer
from openid.extensions import ax, pape, sreg
from openid.store.memstore import MemoryStore
from openid_teams import teams

OP_URL = sys.argv[1]
STORE = MemoryStore()
SESSION = {}
STATE = {"mode": "assoc"}

AX_EMAIL = "http://axschema.org/contact/email"
AX_NAME = "http://axschema.org/namePerson"
AX_NICK = "http://axschema.org/namePerson/friendly"


def make_consumer():
    store = STORE if STATE["mode"] == "assoc" else None
    return consumer.Consumer(SESSION, store)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def base(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def page(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        try:
            if url.path == "/start":
                self.start(query)
            elif url.path == "/finish":
                self.finish(query)
            elif url.path == "/favicon.ico":
                self.send_response(204)
                self.end_headers()
            else:
                self.page(404, "not found")
        except Exception as error:  # shown to the test instead of a dropped connection
            self.page(500, "<pre id='outcome'>%s</pre>" % html.escape(
                json.dumps({"status": "exception", "message": repr(error)})))

    def start(self, query):
        STATE["mode"] = query.get("mode", "assoc")
        try:
            request = make_consumer().begin(OP_URL)
        except consumer.DiscoveryFailure as failure:
            self.page(500, "<pre id='outcome'>%s</pre>" % html.escape(
                json.dumps({"status": "discovery failure", "message": str(failure)})))
            return
        request.addExtension(sreg.SRegRequest(required=["email"],
                                              optional=["fullname", "nickname"]))
        fetch = ax.FetchRequest()
        fetch.add(ax.AttrInfo(AX_EMAIL, alias="mail", required=True))
        fetch.add(ax.AttrInfo(AX_NAME, alias="name", required=False))
        fetch.add(ax.AttrInfo(AX_NICK, alias="nick", required=False))
        request.addExtension(fetch)
        wanted = [t for t in query.get("teams", "").split(",") if t]
        if wanted:
            request.addExtension(teams.TeamsRequest(wanted))
        max_age = query.get("max_auth_age")
        request.addExtension(pape.Request(
            preferred_auth_policies=[pape.AUTH_MULTI_FACTOR],
            max_auth_age=int(max_age) if max_age else None))
        realm = self.base() + "/"
        target = request.redirectURL(realm, self.base() + "/finish",
                                     immediate=query.get("immediate") == "1")
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def finish(self, query):
        response = make_consumer().complete(query, self.base() + self.path)
        outcome = {"status": response.status, "mode": STATE["mode"]}
        if response.status == consumer.SUCCESS:
            outcome["identity"] = response.identity_url
            outcome["signed_fields"] = sorted(response.signed_fields)
            outcome["sreg"] = dict(sreg.SRegResponse.fromSuccessResponse(response) or {})
            fetched = ax.FetchResponse.fromSuccessResponse(response)
            outcome["ax"] = {} if fetched is None else {
                uri: fetched.get(uri) for uri in (AX_EMAIL, AX_NAME, AX_NICK)
                if uri in fetched.data}
            member = teams.TeamsResponse.fromSuccessResponse(response)
            outcome["teams"] = [] if member is None else list(member.teams)
            policies = pape.Response.fromSuccessResponse(response)
            outcome["pape"] = None if policies is None else {
                "auth_policies": policies.auth_policies,
                "auth_time": policies.auth_time}
        elif response.status == consumer.FAILURE:
            outcome["message"] = response.message
        self.page(200, "<title>Relying party</title><pre id='outcome'>%s</pre>"
                  % html.escape(json.dumps(outcome)))


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
