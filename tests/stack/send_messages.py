#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# send_messages.py STACK.json FROM_USER TO_USER TEXT...: logs in as FROM_USER
# (a local stack test account) with slixmpp, an XMPP client independent of
# ours, and sends each TEXT as a chat message to TO_USER, so that the
# server's archive (XEP-0313) holds a real conversation.
import asyncio
import json
import sys

import slixmpp


def main():
    stack = json.load(open(sys.argv[1]))
    domain = stack["xmpp"]["domain"]
    sender = next(u for u in stack["xmpp"]["users"] if u["jid"] == sys.argv[2] + "@" + domain)
    to = sys.argv[3] + "@" + domain
    texts = sys.argv[4:]

    class Sender(slixmpp.ClientXMPP):
        def __init__(self):
            super().__init__(sender["jid"], sender["password"])
            self["feature_mechanisms"].unencrypted_plain = True  # loopback test server only
            self.sent = False
            self.add_event_handler("session_start", self.start)

        async def start(self, _event):
            for text in texts:
                self.send_message(mto=to, mbody=text, mtype="chat")
            # A ping round trip: the server has handled every message before it answers.
            await self["xep_0199"].ping(jid=domain, timeout=20)
            self.sent = True
            self.disconnect()

    client = Sender()
    client.register_plugin("xep_0199")
    client.connect((stack["xmpp"]["host"], stack["xmpp"]["port"]),
                   force_starttls=False, disable_starttls=True)
    client.process(forever=False)
    sys.exit(0 if client.sent else 1)


main()
