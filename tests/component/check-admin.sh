#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# docs/ADMIN.md as an administrator follows it, on a private loopback Prosody
# instead of the system one (no systemd or sudo here; paths under a scratch
# folder): step 2's Component with a secret from `openssl rand -hex 24`;
# step 3's component.conf.example with the keys of the table set, then
# --check-config; step 4's --print-issuer-keys; step 5 the component connects
# ("connected as", Prosody: "successfully authenticated"), and a user's client
# finds the service in the server's discovery and reads its form.
# Usage: check-admin.sh SOURCE_DIR COMPONENT SOTTO
set -uo pipefail
src=$1
component=$2
sotto=$3
. "$src/tests/cli/lib.sh"
chmod 711 "$work" # Prosody runs as the prosody user
pdir="$work/prosody"
trap '"$src/deploy/stack/prosody-down.sh" "$pdir" >/dev/null 2>&1; [ -n "${cpid:-}" ] && kill "$cpid" 2>/dev/null; rm -rf "$work"' EXIT

# Step 2: the Component and its secret (prosody-up.sh writes the same
# Component line as deploy/prosody/sotto.cfg.lua).
secret=$(openssl rand -hex 24)
expect "Prosody with Component pp.example.org" 0 "$src/deploy/stack/prosody-up.sh" "$pdir" \
    --domain example.org --component pp.example.org --secret "$secret" --user alice:alice-password
cport=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["component_port"])' "$pdir/prosody.json")
c2s=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["c2s_port"])' "$pdir/prosody.json")
grep -q '^Component "pp.example.org"' "$src/deploy/prosody/sotto.cfg.lua" &&
    echo "ok: the snippet names the same Component" || { echo "FAIL: sotto.cfg.lua"; failures=$((failures + 1)); }

# Step 3: the example file with the table's keys set (here also the port
# Prosody chose and a scratch state-dir: ADMIN.md's are the defaults).
conf="$work/component.conf"
sed -e "s|^secret = .*|secret = $secret|" -e "s|^server-port = .*|server-port = $cport|" \
    -e "s|^state-dir = .*|state-dir = $work/state|" "$src/deploy/prosody/component.conf.example" >"$conf"
mkdir -m 700 "$work/state"
expect "step 3: --check-config" 0 "$component" --config "$conf" --check-config
contains "it says valid, and where it connects" "$work/out" \
    "$conf is valid: component pp.example.org, connecting to 127.0.0.1:$cport"

# Step 4: the issuer keys for the gateway; the private halves 0600.
expect "step 4: --print-issuer-keys" 0 "$component" --config "$conf" --print-issuer-keys
cp "$work/out" "$work/issuer-keys.json"
expect "the file lists the current and the next key" 0 python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["issuer_name"] == "pp.example.org" and len(d["keys"]) == 2, d' "$work/issuer-keys.json"
bad=$(find "$work/state" -name '*.pem' ! -perm 600 | wc -l)
[ "$bad" = 0 ] && [ -n "$(find "$work/state" -name '*.pem')" ] && echo "ok: private keys are 0600" ||
    { echo "FAIL: key files"; ls -lR "$work/state"; failures=$((failures + 1)); }

# Step 5: it connects, and says what ADMIN.md says it says.
"$component" --config "$conf" >"$work/component.log" 2>&1 &
cpid=$!
for _ in $(seq 1 200); do grep -q 'connected as "pp.example.org"' "$work/component.log" && break; sleep 0.05; done
contains "the log says connected" "$work/component.log" 'connected as "pp.example.org"'
contains "Prosody says authenticated" "$pdir/prosody.log" "External component successfully authenticated"

# A user's client finds the service and reads the form (the relays of the
# example file do not exist, so verification stops there, and says so).
echo alice-password >"$work/password"
expect "alice's client" 1 timeout 60 "$sotto" status --account alice@example.org \
    --password-file "$work/password" --host 127.0.0.1 --port "$c2s" --profile "$work/profile" --json
contains "it found pp.example.org" "$work/out" '"service":"pp.example.org"'
contains "and read the relay from its form" "$work/out" "relay.example.net"

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; tail -n 20 "$work/component.log"; exit 1; }
echo "ADMIN.md's steps work"
