#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The local stack as a user and an outside checker use it (DESIGN.md "Local
# stack"): `stack up` starts every part on 127.0.0.1 and writes stack.json;
# through the relay the keys and evidence verify; through nginx the log is
# cosigned by both witnesses and audits clean; a second `up` changes nothing;
# `down` stops every pid. Usage: check-stack.sh STACK_SH BUILD_DIR
set -uo pipefail
stack_sh=$1
build=$2
sotto="$build/tools/sotto"
. "$(dirname "$0")/../cli/lib.sh"
# The prosody user must be able to reach the stack's folder.
chmod 711 "$work"
export SOTTO_BUILD="$build" SOTTO_STACK="$work/stack"
trap '"$stack_sh" down >/dev/null 2>&1; rm -rf "$work"' EXIT
py=/usr/bin/python3
field() { $py -c 'import json,sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$SOTTO_STACK/stack.json" "$@"; }

expect "stack up" 0 "$stack_sh" up
[ -f "$SOTTO_STACK/stack.json" ] || { echo "FAIL: no stack.json"; cat "$work/err"; exit 1; }
expect "stack.json has the DESIGN.md shape" 0 $py - "$SOTTO_STACK/stack.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for k in ("xmpp", "component", "relays", "keys_url", "evidence_url", "gateway_origin",
          "gateway_url", "log", "witnesses", "issuer", "pids"):
    assert k in s, k
assert {"host", "port", "domain", "users"} <= s["xmpp"].keys()
assert all({"jid", "password"} <= u.keys() for u in s["xmpp"]["users"])
assert {"url", "origin", "key"} <= s["log"].keys()
assert len(s["witnesses"]) == 2 and all({"name", "key"} <= w.keys() for w in s["witnesses"])
assert {"name", "token_key"} <= s["issuer"].keys()
for url in s["relays"] + [s["keys_url"], s["evidence_url"], s["gateway_url"], s["log"]["url"]]:
    assert url.startswith("http://127.0.0.1:"), url
PY
expect "stack status: everything runs" 0 "$stack_sh" status

# Through the relay: the key configs, then evidence for a fresh nonce that
# binds them, verified as a client would (simulated TEE allowed explicitly).
keys_url=$(field keys_url)
evidence_url=$(field evidence_url)
expect "GET /keys through the relay" 0 curl -sf -o "$work/keys.bin" "$keys_url"
nonce=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
expect "GET /evidence through the relay" 0 curl -sf -o "$work/bundle.json" "$evidence_url?nonce=$nonce"
echo '{"allow_simulated": true}' >"$work/policy.json"
expect "the evidence verifies and binds the nonce" 0 \
    "$sotto" attest verify --bundle "$work/bundle.json" --nonce "$nonce" --policy "$work/policy.json" --json
contains "simulated, and said so" "$work/out" '"simulated":true'
other=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
expect "another nonce does not verify" 1 \
    "$sotto" attest verify --bundle "$work/bundle.json" --nonce "$other" --policy "$work/policy.json"
expect "without allow_simulated it is refused" 1 \
    "$sotto" attest verify --bundle "$work/bundle.json" --nonce "$nonce"
expect "the bundle carries exactly the served key configs" 0 $py - "$work/bundle.json" "$work/keys.bin" <<'PY'
import base64, json, sys
b = json.load(open(sys.argv[1]))
assert base64.b64decode(b["key_configs"]) == open(sys.argv[2], "rb").read()
PY

# The relay forwards no client header: a cookie or forwarded address sent by
# the client must not change anything, and other paths are refused.
expect "other relay paths are 404" 0 sh -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' $(field relays 0 | sed 's|/relay$|/metrics|'))\" = 404 ]"

# Errors the relay sees (a body over its limit, a path it does not serve)
# leave no client address in its error log.
relay=$(field relays 0)
expect "a body over the relay's limit is refused" 0 sh -c \
    "[ \"\$(head -c 200000 /dev/zero | curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: message/ohttp-req' --data-binary @- $relay)\" = 413 ]"
runtime=$(cat "$SOTTO_STACK/runtime.path" 2>/dev/null || echo "$SOTTO_STACK")
if grep -rqsE "client: |127\.0\.0\.1" "$runtime/nginx/error.log" "$SOTTO_STACK/logs/nginx.log"; then
    echo "FAIL: the relay logged a client address"; grep -rsE "client: |127\.0\.0\.1" "$runtime/nginx/error.log" "$SOTTO_STACK/logs/nginx.log"
    failures=$((failures + 1))
else
    echo "ok: no client address in the relay's logs"
fi

# The log through nginx: cosigned by both witnesses, audited end to end, and
# the gateway's release statement is the entry the bundle names.
log_url=$(field log url)
audit=("$sotto" audit --log "$log_url" --log-key "$(field log key)"
    --witness-key "$(field witnesses 0 key)" --witness-key "$(field witnesses 1 key)" --quorum 2 --json)
expect "sotto audit of the served log (quorum 2)" 0 "${audit[@]}"
cp "$work/out" "$work/audit.json"
expect "the audit lists the bundle's release at its index" 0 $py - "$work/audit.json" "$work/bundle.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
assert a["verified"] is True
rel = [r for r in a["releases"] if r["index"] == b["log_index"]]
assert rel, (a["releases"], b["log_index"])
r = rel[0]
stmt = r.get("statement", r)
assert stmt["measurement"] == b["release"]["measurement"], (stmt, b["release"])
PY

# A conversation in the server's archive (sent by slixmpp, an independent
# client), summarized by `sotto summarize --with` through the whole path.
expect "bob writes to alice (slixmpp)" 0 /usr/bin/python3 "$(dirname "$0")/send_messages.py" \
    "$SOTTO_STACK/stack.json" bob alice "Can you review the budget draft before Friday?" \
    "We decided to postpone the launch to March." "I will send the final numbers tomorrow morning."
expect "alice summarizes her chat with bob from the archive" 0 "$sotto" summarize \
    --stack "$SOTTO_STACK/stack.json" --with "bob@$(field xmpp domain)" --profile "$work/profile" --json
cp "$work/out" "$work/summary.json"
expect "the summary has the decision and the action, and says development" 0 $py - "$work/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
r = s["result"]
assert any("postpone the launch" in d["text"] for d in r["decisions"]), r
assert any("final numbers" in a["text"] for a in r["actions"]), r
assert s["verification"]["status"] == "development", s["verification"]
PY
expect "stack.json names the issuer key the component issues with" 0 $py - \
    "$SOTTO_STACK/stack.json" "$work/profile/tokens.json" <<'PY'
import base64, hashlib, json, sys
s = json.load(open(sys.argv[1])); wallet = json.load(open(sys.argv[2]))
# RFC 9578: token_key_id = SHA-256 of the key's SPKI.
key_id = hashlib.sha256(base64.b64decode(s["issuer"]["token_key"])).hexdigest()
assert [k["token_key_id"] for k in wallet["keys"]] == [key_id], (wallet["keys"], key_id)
PY

# Idempotent: a second up keeps the same processes.
pids_before=$(field pids)
expect "a second stack up" 0 "$stack_sh" up
contains "it says the stack is already up" "$work/err" "already up"
[ "$(field pids)" = "$pids_before" ] && echo "ok: same pids" ||
    { echo "FAIL: pids changed: $pids_before -> $(field pids)"; failures=$((failures + 1)); }

# Down: every process is gone.
pids=$($py -c 'import json,sys; print(" ".join(str(p) for p in json.load(open(sys.argv[1]))["pids"].values()))' "$SOTTO_STACK/stack.json")
expect "stack down" 0 "$stack_sh" down
for p in $pids; do
    if kill -0 "$p" 2>/dev/null; then
        echo "FAIL: pid $p still runs after down"; failures=$((failures + 1))
    fi
done
expect "status after down says down" 1 "$stack_sh" status
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all stack checks passed"
