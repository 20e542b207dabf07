-- SPDX-License-Identifier: GPL-3.0-or-later
-- Prosody 0.12 snippet for Sotto (docs/ADMIN.md). Copy to /etc/prosody/conf.d/sotto.cfg.lua:
-- Debian's prosody.cfg.lua includes conf.d/*.cfg.lua at its end, where a Component line
-- starts its own section.
--
-- Prosody listens for external components on 127.0.0.1:5347 by default (mod_component's
-- "private" port). To change it, set these in the GLOBAL section at the top of
-- prosody.cfg.lua (not here: at the end of the file they would belong to a host):
--   component_ports = { 5347 }
--   component_interfaces = { "127.0.0.1" }

-- The service's address. A subdomain of a VirtualHost ("pp." + your domain) is listed in that
-- host's disco#items by mod_disco on its own, which is how clients find it.
Component "pp.example.org"
    -- The same value as "secret" in /etc/sotto/component.conf (openssl rand -hex 24).
    component_secret = "change-me-to-a-long-random-string"

-- Only when the component's address is NOT a subdomain of the users' domain: list it in the
-- users' host by hand, in the VirtualHost section of prosody.cfg.lua:
--   VirtualHost "example.org"
--       disco_items = { { "sotto.example.net", "Sotto private processing" } }

-- Optional (docs/ADMIN.md "Optional: chat rooms"): the room option "no private processing",
-- with deploy/prosody/modules/mod_muc_sotto_acp.lua installed in a folder named by plugin_paths
-- (in the GLOBAL section), on your existing MUC component:
--   Component "rooms.example.org" "muc"
--       modules_enabled = { "muc_mam"; "muc_sotto_acp" }
