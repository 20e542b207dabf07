#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Makes a chat room on a real Prosody for the tests, with Debian's python3-slixmpp.

Logs in (plain auth on loopback, PROSODY-NOTES; a local stack's account with
--stack and --user), joins ROOM as NICK (Prosody
creates it, locked), submits the owner's configuration form (XEP-0045 10.1.3):
persistent, and the option urn:sotto:acp:0#no-private-processing on or off
(deploy/prosody/modules/mod_muc_sotto_acp.lua) and, with --resubmit-option,
submits it again with a raw value of the option (a bad one must change
nothing), posts each --message as a
groupchat message (the ones whose index is given with --marker carry
<no-private-processing xmlns='urn:sotto:acp:0'/>), waits for each echo (so
the room's archive has it), and leaves. Prints the room's disco#info form as
JSON: {"var": ["value", ...]}. Exits non-zero, saying why, on any failure.
"""

import argparse
import asyncio
import json
import logging
import sys
import xml.etree.ElementTree as ET

import slixmpp
from slixmpp.exceptions import IqError, IqTimeout

MUC_OWNER = "http://jabber.org/protocol/muc#owner"
DATA_FORMS = "jabber:x:data"
DISCO_INFO = "http://jabber.org/protocol/disco#info"
ACP_NS = "urn:sotto:acp:0"
NO_PROCESSING_FIELD = ACP_NS + "#no-private-processing"


class RoomMaker(slixmpp.ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid, args.password)
        self.args = args
        self.failure = None
        self.form = None
        self.register_plugin("xep_0045")
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("failed_auth", lambda _: self.fail("authentication failed"))

    def fail(self, why):
        self.failure = why
        self.disconnect()

    async def iq(self, kind, payload, to):
        iq = self.make_iq_set(ito=to) if kind == "set" else self.make_iq_get(ito=to)
        iq.append(payload)
        return (await iq.send(timeout=60)).xml

    async def configure(self, room, option):
        # The room's own form, with only the fields we decide changed.
        reply = await self.iq("get", ET.Element("{%s}query" % MUC_OWNER), room)
        form = reply.find("{%s}query/{%s}x" % (MUC_OWNER, DATA_FORMS))
        if form is None:
            raise RuntimeError("the room sent no configuration form")
        wanted = {
            "muc#roomconfig_persistentroom": "1",
            NO_PROCESSING_FIELD: option,
        }
        present = {f.get("var") for f in form.findall("{%s}field" % DATA_FORMS)}
        if NO_PROCESSING_FIELD not in present:
            raise RuntimeError("the room's form has no %s field: is mod_muc_sotto_acp loaded?"
                               % NO_PROCESSING_FIELD)
        query = ET.Element("{%s}query" % MUC_OWNER)
        submit = ET.SubElement(query, "{%s}x" % DATA_FORMS, {"type": "submit"})
        for field in form.findall("{%s}field" % DATA_FORMS):
            var = field.get("var")
            if not var or field.get("type") == "fixed":
                continue
            out = ET.SubElement(submit, "{%s}field" % DATA_FORMS, {"var": var})
            values = [wanted[var]] if var in wanted else [
                v.text or "" for v in field.findall("{%s}value" % DATA_FORMS)]
            for v in values:
                ET.SubElement(out, "{%s}value" % DATA_FORMS).text = v
        await self.iq("set", query, room)

    async def post(self, room, index, text):
        echoed = self.loop.create_future()

        def on_message(msg):
            if msg["id"] == ident and not echoed.done():
                echoed.set_result(True)
        ident = "m%d-%s" % (index, self.new_id())
        msg = self.make_message(mto=room, mbody=text, mtype="groupchat")
        msg["id"] = ident
        if index in self.args.marker:
            msg.append(ET.Element("{%s}no-private-processing" % ACP_NS))
        self.add_event_handler("groupchat_message", on_message)
        msg.send()
        try:
            await asyncio.wait_for(echoed, 60)
        finally:
            self.del_event_handler("groupchat_message", on_message)

    async def start(self, _event):
        room = self.args.room
        try:
            self.send_presence()
            await self.plugin["xep_0045"].join_muc_wait(room, self.args.nick, maxstanzas=0,
                                                       timeout=60)
            await self.configure(room, "1" if self.args.no_private_processing else "0")
            if self.args.resubmit_option is not None:
                # A second submission with a raw value: the room may refuse it.
                try:
                    await self.configure(room, self.args.resubmit_option)
                except IqError:
                    pass
            for i, text in enumerate(self.args.message):
                await self.post(room, i, text)
            reply = await self.iq("get", ET.Element("{%s}query" % DISCO_INFO), room)
            self.form = {}
            for x in reply.find("{%s}query" % DISCO_INFO).findall("{%s}x" % DATA_FORMS):
                for field in x.findall("{%s}field" % DATA_FORMS):
                    self.form[field.get("var")] = [
                        v.text or "" for v in field.findall("{%s}value" % DATA_FORMS)]
            self.plugin["xep_0045"].leave_muc(room, self.args.nick)
        except IqError as e:
            return self.fail("the room answered an error: %s" % ET.tostring(e.iq.xml, "unicode"))
        except (IqTimeout, asyncio.TimeoutError):
            return self.fail("the room did not answer in time")
        except RuntimeError as e:
            return self.fail(str(e))
        self.disconnect()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--stack", help="a local stack's stack.json: its server and --user")
    p.add_argument("--user", help="with --stack: the test account's name (alice, bob)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int)
    p.add_argument("--jid")
    p.add_argument("--password-file")
    p.add_argument("--room", required=True)
    p.add_argument("--nick", required=True)
    p.add_argument("--no-private-processing", action="store_true")
    p.add_argument("--resubmit-option", metavar="RAW",
                   help="then submit the form again with this raw value of the option")
    p.add_argument("--message", action="append", default=[])
    p.add_argument("--marker", type=int, action="append", default=[],
                   help="index of a --message that carries the per-message marker")
    args = p.parse_args()
    if args.stack:
        with open(args.stack) as f:
            xmpp = json.load(f)["xmpp"]
        account = next(u for u in xmpp["users"] if u["jid"] == "%s@%s" % (args.user, xmpp["domain"]))
        args.host, args.port = xmpp["host"], xmpp["port"]
        args.jid, args.password = account["jid"], account["password"]
    elif args.port and args.jid and args.password_file:
        with open(args.password_file) as f:
            args.password = f.read().strip()
    else:
        p.error("give --stack and --user, or --port, --jid and --password-file")
    logging.basicConfig(level=logging.ERROR)

    client = RoomMaker(args)
    client["feature_mechanisms"].unencrypted_plain = True
    client.connect(address=(args.host, args.port), force_starttls=False, disable_starttls=True)
    client.add_event_handler("disconnected", lambda _: client.loop.stop())
    client.add_event_handler("connection_failed",
                             lambda e: client.fail("connection failed: %s" % e))
    client.loop.run_forever()
    if client.failure or client.form is None:
        print("xmpp_room.py: %s" % (client.failure or "incomplete"), file=sys.stderr)
        return 1
    print(json.dumps(client.form))
    return 0


if __name__ == "__main__":
    sys.exit(main())
