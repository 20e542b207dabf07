#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A second, independent XMPP client for sotto-component: Debian's python3-slixmpp.

Logs in (plain auth on loopback, as PROSODY-NOTES describes), finds the component in the
server's disco#items, reads the urn:sotto:pp:0 form from its disco#info, sends the token
requests it is given (one base64 TokenRequest per line of --requests) in one
urn:sotto:pp:tokens:0 IQ, then sends the first request again alone. Prints one JSON object:
  {"items": [...], "form": {var: [values]}, "first": {...}, "second": {...}}
where each answer is {"responses": [base64...], "remaining": "N"} or
{"condition": "...", "text": "..."}. slixmpp's Error stanza does not know RFC 6120's
policy-violation, so errors are read from the XML by hand.
"""

import argparse
import asyncio
import json
import logging
import sys
import xml.etree.ElementTree as ET

import slixmpp
from slixmpp.exceptions import IqError, IqTimeout

TOKENS_NS = "urn:sotto:pp:tokens:0"
STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas"
DISCO_INFO = "http://jabber.org/protocol/disco#info"
DISCO_ITEMS = "http://jabber.org/protocol/disco#items"
DATA_FORMS = "jabber:x:data"


def read_error(iq_xml):
    for child in iq_xml:
        if child.tag.endswith("}error"):
            condition, text = "", ""
            for c in child:
                if c.tag == "{%s}text" % STANZAS_NS:
                    text = c.text or ""
                elif c.tag.startswith("{%s}" % STANZAS_NS):
                    condition = c.tag.split("}", 1)[1]
            return {"condition": condition, "text": text}
    return {"condition": "", "text": "no <error/> in the error IQ"}


class IssuanceClient(slixmpp.ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid, args.password)
        self.args = args
        self.result = {}
        self.failure = None
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("failed_auth", lambda _: self.fail("authentication failed"))

    def fail(self, why):
        self.failure = why
        self.disconnect()

    async def ask(self, to, payload, kind="get"):
        iq = self.make_iq_set(ito=to) if kind == "set" else self.make_iq_get(ito=to)
        iq.append(payload)
        try:
            reply = await iq.send(timeout=300)
            return reply.xml, None
        except IqError as e:
            return None, read_error(e.iq.xml)

    async def request(self, lines):
        payload = ET.Element("{%s}request" % TOKENS_NS, {"token-key-id": self.args.key_id})
        for line in lines:
            ET.SubElement(payload, "{%s}token-request" % TOKENS_NS).text = line
        reply, error = await self.ask(self.args.component, payload, "set")
        if error:
            return error
        response = reply.find("{%s}response" % TOKENS_NS)
        return {
            "responses": [r.text for r in response.findall("{%s}token-response" % TOKENS_NS)],
            "remaining": response.get("remaining"),
        }

    async def start(self, _event):
        try:
            domain = self.boundjid.domain
            reply, error = await self.ask(domain, ET.Element("{%s}query" % DISCO_ITEMS))
            if error:
                return self.fail("disco#items: %s" % error)
            self.result["items"] = [
                i.get("jid") for i in reply.find("{%s}query" % DISCO_ITEMS)]
            reply, error = await self.ask(self.args.component,
                                          ET.Element("{%s}query" % DISCO_INFO))
            if error:
                return self.fail("disco#info: %s" % error)
            form = {}
            for x in reply.find("{%s}query" % DISCO_INFO).findall("{%s}x" % DATA_FORMS):
                for field in x.findall("{%s}field" % DATA_FORMS):
                    form[field.get("var")] = [
                        v.text or "" for v in field.findall("{%s}value" % DATA_FORMS)]
            self.result["form"] = form
            with open(self.args.requests) as f:
                lines = [l.strip() for l in f if l.strip()]
            self.result["first"] = await self.request(lines)
            self.result["second"] = await self.request(lines[:1])
        except IqTimeout:
            self.failure = "an IQ timed out"
        self.disconnect()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--jid", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--component", required=True)
    p.add_argument("--key-id", required=True)
    p.add_argument("--requests", required=True)
    args = p.parse_args()
    logging.basicConfig(level=logging.ERROR)

    client = IssuanceClient(args)
    client["feature_mechanisms"].unencrypted_plain = True
    client.connect(address=(args.host, args.port), force_starttls=False, disable_starttls=True)
    client.add_event_handler("disconnected", lambda _: client.loop.stop())
    client.add_event_handler("connection_failed", lambda e: client.fail("connection failed: %s" % e))
    client.loop.run_forever()
    if client.failure or "second" not in client.result:
        print("slixmpp client: %s" % (client.failure or "incomplete"), file=sys.stderr)
        return 1
    print(json.dumps(client.result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
