#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The client end to end (issue 9) on the local stack with every real part:
# `sotto summarize|rewrite|status --stack` through Prosody + sotto-component
# (discovery, tokens), nginx (relay, log), sotto-gateway (simulated SEV-SNP)
# and the witnesses. The full flow succeeds; then failures the client can be
# made to see on a real stack are injected (its policy refuses the simulated
# TEE, a relay not allowed, more witnesses than cosigned, a forged trusted
# checkpoint: fork and rollback, a chat that asked for no processing, chat
# rooms that ask for none by their configuration or by a message), a
# hostile relay (nginx reconfigured to serve other keys, evidence made for
# another nonce, stale evidence), a gateway that runs other code than its
# release statement or code that is not in the log, the relay down, and the token issuer gone
# with an empty wallet; each must stop the request before anything reaches
# the gateway: the gateway's own request counter (/metrics) proves it. Last,
# 20 requests in parallel from one long-running session (CLIENT_TEST).
# Usage: check-client.sh STACK_SH BUILD_DIR CLIENT_TEST
set -uo pipefail
stack_sh=$1
build=$2
client_test=$3
sotto="$build/tools/sotto"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/lib.sh"
. "$here/../../deploy/stack/lib.sh"
chmod 711 "$work"
export SOTTO_BUILD="$build" SOTTO_STACK="$work/stack"
trap '"$stack_sh" down >/dev/null 2>&1; rm -rf "$work"' EXIT
py=/usr/bin/python3
stack="$SOTTO_STACK/stack.json"

if ! "$stack_sh" up >"$work/up.log" 2>&1; then
    echo "FAIL: stack up"; cat "$work/up.log"; exit 1
fi

# Requests the gateway answered at an endpoint (default: the POSTs to
# /gateway), from its /metrics (deploy/stack/lib.sh).
gateway_posts() { gateway_requests "$SOTTO_STACK/pids/gateway0" "$@"; }

chat="$work/chat.json"
cat >"$chat" <<'JSON'
{"messages":[
 {"from":"bob@sotto.test","time":"2026-11-25T10:00:00Z","text":"Can we ship the release on Friday?"},
 {"from":"alice@sotto.test","time":"2026-11-25T10:01:00Z","text":"Yes, if the review is done by Thursday."},
 {"from":"bob@sotto.test","time":"2026-11-25T10:02:00Z","text":"Decided: ship Friday. Alice will do the review."}]}
JSON
profile="$work/profile"
common=(--stack "$stack" --profile "$profile" --policy "$work/none.conf")

# 1. The full flow.
before=$(gateway_posts)
expect "summarize through the stack" 0 "$sotto" summarize "${common[@]}" --chat "$chat" --json
cp "$work/out" "$work/summary.json"
expect "the answer and the report have the contract's shape" 0 $py - "$work/summary.json" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
assert set(o) == {"result", "verification"}, o.keys()
r, v = o["result"], o["verification"]
assert isinstance(r["summary"], list) and r["summary"], r
assert v["simulated"] is True and v["status"] == "development", v
assert v["provider"] == "simulated" and v["platform"] == "sev-snp", v
assert len(v["measurement"]) == 96, v
assert v["log"]["origin"] == "log.sotto.test/release", v
assert len(v["log"]["witnesses"]) == 2 and v["log"]["witness_quorum"] == 2, v
assert v["log"]["index"] < v["log"]["checkpoint_size"], v
assert v["relay"].endswith("/relay"), v
PY
after=$(gateway_posts)
[ "$after" -eq $((before + 1)) ] && echo "ok: one request reached the gateway" ||
    { echo "FAIL: gateway requests $before -> $after, wanted one more"; failures=$((failures + 1)); }

expect "rewrite through the stack" 0 sh -c "echo 'pls send me the report asap' | \"$sotto\" rewrite --stack \"$stack\" --profile \"$profile\" --policy \"$work/none.conf\" --style formal --json -"
cp "$work/out" "$work/rewrite.json"
expect "rewrite answered text" 0 $py -c 'import json,sys; o=json.load(open(sys.argv[1])); assert o["result"]["text"], o' "$work/rewrite.json"
expect "status verifies and counts tokens" 0 "$sotto" status "${common[@]}" --json
cp "$work/out" "$work/status.json"
expect "status JSON" 0 $py -c 'import json,sys; o=json.load(open(sys.argv[1])); assert o["service"]=="pp.sotto.test" and o["tokens"]>0 and "error" not in o, o' "$work/status.json"
# The wallet and the trusted checkpoint are the user's alone.
expect "wallet is 0600" 0 test "$(stat -c %a "$profile/tokens.json")" = 600

# An account given directly (--account, --password-file), as on a real
# server: the development stack's allowance is gone, so the simulated TEE is
# refused unless the admin's policy file allows it; a wrong password is a
# clear error.
$py - "$stack" "$work/password" "$work/xmpp" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
open(sys.argv[2], "w").write(s["xmpp"]["users"][0]["password"] + "\n")
open(sys.argv[3], "w").write("%s %s %s" % (s["xmpp"]["users"][0]["jid"], s["xmpp"]["host"], s["xmpp"]["port"]))
PY
chmod 600 "$work/password"
read -r jid xmpp_host xmpp_port <"$work/xmpp"
account=(--account "$jid" --password-file "$work/password" --host "$xmpp_host" --port "$xmpp_port"
    --profile "$work/account-profile")
printf '[policy]\nallow-simulated = true\n' >"$work/sim.conf"
expect "--account: summarize with an admin file that allows the simulated TEE" 0 \
    "$sotto" summarize "${account[@]}" --policy "$work/sim.conf" --chat "$chat" --json
contains "--account: the answer came back" "$work/out" '"summary":['
expect "--account: without that file the simulated TEE is refused" 1 \
    "$sotto" summarize "${account[@]}" --policy "$work/none.conf" --chat "$chat" --json
contains "--account: simulated-refused" "$work/out" '"code":"simulated-refused"'
echo wrong >"$work/wrong-password"
expect "--account: a wrong password is refused" 1 timeout 60 "$sotto" status --account "$jid" \
    --password-file "$work/wrong-password" --host "$xmpp_host" --port "$xmpp_port" \
    --profile "$work/account-profile" --policy "$work/sim.conf"
contains "--account: the user is told it could not log in" "$work/err" "cannot connect $jid"

# 2. Failures: each must leave the gateway's counter unchanged.
refused() { # refused <description> <error code> <command...>
    local what=$1 code=$2
    shift 2
    local n0 n1
    n0=$(gateway_posts)
    expect "$what: refused" 1 "$@"
    contains "$what: $code" "$work/out" "\"code\":\"$code\""
    n1=$(gateway_posts)
    [ "$n0" -eq "$n1" ] && echo "ok: $what: nothing reached the gateway" ||
        { echo "FAIL: $what: the gateway answered $((n1 - n0)) request(s)"; failures=$((failures + 1)); }
}
printf '[policy]\nallow-simulated = false\n' >"$work/nosim.conf"
refused "simulated TEE refused by policy" simulated-refused \
    "$sotto" summarize --stack "$stack" --profile "$profile" --policy "$work/nosim.conf" --chat "$chat" --json
printf '[policy]\nallowed-relays = https://relay.elsewhere.example/relay\n' >"$work/relay.conf"
refused "relay not allowed" relay-not-allowed \
    "$sotto" summarize --stack "$stack" --profile "$profile" --policy "$work/relay.conf" --chat "$chat" --json
printf '[policy]\nminimum-witnesses = 3\n' >"$work/witnesses.conf"
refused "too few witnesses" witness-quorum-not-met \
    "$sotto" summarize --stack "$stack" --profile "$profile" --policy "$work/witnesses.conf" --chat "$chat" --json
$py - "$chat" "$work/marked.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["messages"][0]["no_private_processing"] = True
json.dump(c, open(sys.argv[2], "w"))
PY
refused "a participant asked for no processing" chat-opted-out \
    "$sotto" summarize "${common[@]}" --chat "$work/marked.json" --json

# Chat rooms (XEP-0045) on the stack's MUC service, made by slixmpp (an
# independent client): the room's owner sets the "no private processing"
# option (mod_muc_sotto_acp) or not; a participant marks one message.
rooms=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["xmpp"]["muc"])' "$stack")
make_room() { # make_room <room> <xmpp_room.py options...>
    local room=$1
    shift
    expect "bob makes the room $room (slixmpp)" 0 $py "$here/../support/xmpp_room.py" \
        --stack "$stack" --user bob --room "$room@$rooms" --nick bob "$@"
}
make_room quiet --no-private-processing --message "The audit findings are confidential."
contains "the room's disco#info shows the option set" "$work/out" \
    '"urn:sotto:acp:0#no-private-processing": ["1"]'
refused "a room that asks for no processing" chat-opted-out \
    "$sotto" summarize "${common[@]}" --room "quiet@$rooms" --json
contains "the user is told it is the room's configuration" "$work/out" "the room's configuration"
make_room planning --message "Can we ship the release on Friday?" \
    --message "Decided: ship Friday. Alice will do the review."
expect "a room without the option is summarized from its archive" 0 \
    "$sotto" summarize "${common[@]}" --room "planning@$rooms" --json
cp "$work/out" "$work/room.json"
expect "the room's summary has its decision" 0 $py - "$work/room.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["result"]
assert any("ship Friday" in d["text"] for d in r["decisions"]), r
PY
# The user's own per-chat switch (the profile's chats.json), for a room and a contact.
expect "the user turns private processing off for the room" 0 \
    "$sotto" chat off "planning@$rooms" --stack "$stack" --profile "$profile"
refused "a room the user turned off" chat-turned-off \
    "$sotto" summarize "${common[@]}" --room "planning@$rooms" --json
expect "chat list shows it" 0 "$sotto" chat list --stack "$stack" --profile "$profile" --json
contains "chat list names the room" "$work/out" "\"planning@$rooms\""
expect "and back on" 0 "$sotto" chat on "planning@$rooms" --stack "$stack" --profile "$profile"
expect "the room is summarized again" 0 \
    "$sotto" summarize "${common[@]}" --room "planning@$rooms" --json
make_room standup --message "I am off sick today." --message "Noted, feel better." --marker 0
refused "a room where one participant marked a message" chat-opted-out \
    "$sotto" summarize "${common[@]}" --room "standup@$rooms" --json
contains "the user is told who asked" "$work/out" "asked by bob"
refused "a room that does not exist" xmpp-error \
    "$sotto" summarize "${common[@]}" --room "nowhere@$rooms" --json
refused "a contact is not a room" xmpp-error \
    "$sotto" summarize "${common[@]}" --room "bob@sotto.test" --json

# A trusted checkpoint this profile "saw" before, of the same size with
# another root (a fork), then of a larger size (a rollback).
forge() { # forge <profile> <size delta>
    $py - "$stack" "$1" "$2" <<'PY'
import base64, hashlib, json, os, sys, urllib.request
stack, profile, delta = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
origin = stack["log"]["origin"]
served = urllib.request.urlopen(stack["log"]["url"] + "checkpoint", timeout=10).read().decode()
size = int(served.split("\n")[1]) + delta
root = base64.b64encode(hashlib.sha256(b"another history").digest()).decode()
d = os.path.join(profile, "trust")
os.makedirs(d, exist_ok=True)
path = os.path.join(d, "checkpoint-" + hashlib.sha256(origin.encode()).hexdigest()[:32])
open(path, "w").write("%s\n%d\n%s\n" % (origin, size, root))
PY
}
cp -r "$profile" "$work/forked"
forge "$work/forked" 0
refused "log fork against the trusted checkpoint" log-fork \
    "$sotto" summarize --stack "$stack" --profile "$work/forked" --policy "$work/none.conf" --chat "$chat" --json
contains "the fork is reported as an attack" "$work/err" "ATTACK WARNING"
cp -r "$profile" "$work/rolled"
forge "$work/rolled" 5
refused "log rollback against the trusted checkpoint" log-rollback \
    "$sotto" summarize --stack "$stack" --profile "$work/rolled" --policy "$work/none.conf" --chat "$chat" --json

# 3. A hostile relay. The relay is not trusted (DESIGN.md): nginx, the real
#    one, is reconfigured and reloaded to serve what such a relay could.
nginx_pid=$(cat "$SOTTO_STACK/pids/nginx")
# The stack's runtime folder (deploy/stack/stack.sh: runtime.path, when not the state folder).
nginx_dir=$(cat "$SOTTO_STACK/runtime.path" 2>/dev/null || echo "$SOTTO_STACK")/nginx
nginx_conf=$nginx_dir/nginx.conf
cp "$nginx_conf" "$work/nginx.conf.orig"
keys_url=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["keys_url"])' "$stack")
evidence_url=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["evidence_url"])' "$stack")
random_nonce() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# nginx_reload: SIGHUP, then wait until every worker of the old configuration
# has exited. Until then an old worker may still accept a new connection, and
# a check against one new worker proves nothing about the next request.
nginx_reload() {
    local old
    old=$(pgrep -P "$nginx_pid" | tr '\n' ' ')
    kill -HUP "$nginx_pid"
    for _ in $(seq 1 400); do
        local alive=0 w
        for w in $old; do kill -0 "$w" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && [ -n "$(pgrep -P "$nginx_pid")" ] && return 0
        sleep 0.05
    done
    echo "FAIL: nginx's old workers did not exit after the reload"; failures=$((failures + 1))
}
# relay_serves <keys file|-> <evidence file|->: /keys and/or /evidence come
# from files instead of the gateway; waits until nginx's new workers serve them.
relay_serves() {
    $py - "$work/nginx.conf.orig" "$nginx_conf" "$1" "$2" <<'PY'
import sys
conf = open(sys.argv[1]).read()
for path, upstream, kind in ((sys.argv[3], "proxy_pass http://sotto_gateway/ohttp-keys;", "application/ohttp-keys"),
                             (sys.argv[4], "proxy_pass http://sotto_gateway/evidence$is_args$args;", "application/json")):
    if path != "-":
        assert upstream in conf, upstream
        conf = conf.replace(upstream, "alias %s; default_type %s;" % (path, kind))
open(sys.argv[2], "w").write(conf)
PY
    nginx_reload
    local f=$1 url=$keys_url
    [ "$f" = - ] && { f=$2; url=$evidence_url?nonce=$(random_nonce); }
    for _ in $(seq 1 200); do
        curl -sf "$url" 2>/dev/null | cmp -s - "$f" && return 0
        sleep 0.05
    done
    echo "FAIL: nginx did not take the hostile configuration"; failures=$((failures + 1))
}
relay_honest() {
    cp "$work/nginx.conf.orig" "$nginx_conf"
    nginx_reload
    for _ in $(seq 1 200); do
        curl -sf "$keys_url" | cmp -s - "$work/gateway.keys" && return 0
        sleep 0.05
    done
    echo "FAIL: nginx did not go back to the gateway"; failures=$((failures + 1))
}
gateway_url=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["gateway_url"])' "$stack")
curl -sf -o "$work/gateway.keys" "$gateway_url/ohttp-keys"
summarize_fresh() { # a profile with tokens, but no key verified in this process
    "$sotto" summarize "${common[@]}" --chat "$chat" --json
}

# Other keys than the attested ones (the relay's own, to read the requests).
$py - "$work/gateway.keys" "$nginx_dir/hostile.keys" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
# RFC 9458 3.2: u16 length, key_id, kem_id (2), then the X25519 public key.
b[2 + 1 + 2 + 10] ^= 0x55
open(sys.argv[2], "wb").write(b)
PY
chmod 644 "$nginx_dir/hostile.keys"
relay_serves "$nginx_dir/hostile.keys" -
refused "the relay serves keys the evidence does not attest" key-config-mismatch summarize_fresh
# Evidence the gateway made for another nonce: a replay.
curl -sf -o "$nginx_dir/replayed.json" "$evidence_url?nonce=$(random_nonce)"
chmod 644 "$nginx_dir/replayed.json"
relay_serves - "$nginx_dir/replayed.json"
refused "evidence made for another request's nonce" binding-mismatch summarize_fresh
# Stale evidence: a gateway whose keys live two seconds (key-rotation 1),
# its keys and evidence recorded, replayed once they expired.
gw_pid=$(cat "$SOTTO_STACK/pids/gateway0")
mapfile -d '' gw_args <"/proc/$gw_pid/cmdline"
# with_args <option> <value>...: gw_args with those options' values replaced.
with_args() {
    local -A repl=()
    while [ $# -gt 0 ]; do repl[$1]=$2; shift 2; done
    out=()
    local i
    for ((i = 0; i < ${#gw_args[@]}; i++)); do
        out+=("${gw_args[i]}")
        if [ -n "${repl[${gw_args[i]}]+x}" ]; then
            out+=("${repl[${gw_args[i]}]}"); i=$((i + 1))
        fi
    done
}
gw_conf=
for ((i = 0; i < ${#gw_args[@]}; i++)); do
    [ "${gw_args[i]}" = --config ] && gw_conf=${gw_args[i + 1]}
done
conf_of() { sed "s/^$1 = .*/$1 = $2/" "$gw_conf"; } # the measured config, one value changed
conf_of key-rotation 1 >"$work/short.conf"
short_port=$(free_port)
with_args --listen "127.0.0.1:$short_port" --metrics "127.0.0.1:$(free_port)" --config "$work/short.conf"
setsid "${out[@]}" >"$work/short.log" 2>&1 </dev/null &
short_pid=$!
if wait_for_line "$work/short.log" '^sotto-gateway listening on' "$short_pid" 60 >/dev/null; then
    curl -sf -o "$nginx_dir/stale.keys" "http://127.0.0.1:$short_port/ohttp-keys"
    curl -sf -o "$nginx_dir/stale.json" "http://127.0.0.1:$short_port/evidence?nonce=$(random_nonce)"
    stop_pid "$short_pid" sotto-gateway
    chmod 644 "$nginx_dir/stale.keys" "$nginx_dir/stale.json"
    sleep 3 # its not_after (the newest key's creation + 2 s) has passed
    relay_serves "$nginx_dir/stale.keys" "$nginx_dir/stale.json"
    refused "stale evidence replayed by the relay" evidence-expired summarize_fresh
else
    echo "FAIL: the short-lived gateway did not start"; cat "$work/short.log"; failures=$((failures + 1))
fi
relay_honest

# 4. The gateway runs code that is not what its release statement says, or
#    that is not in the log: it is restarted with another measured setting.
restart_gateway() { # restart_gateway <args...>
    local lines
    stop_pid "$(cat "$SOTTO_STACK/pids/gateway0")" sotto-gateway
    lines=$(grep -c '^sotto-gateway listening on' "$SOTTO_STACK/logs/gateway0.log")
    setsid "$@" >>"$SOTTO_STACK/logs/gateway0.log" 2>&1 </dev/null &
    echo $! >"$SOTTO_STACK/pids/gateway0"
    for _ in $(seq 1 600); do
        [ "$(grep -c '^sotto-gateway listening on' "$SOTTO_STACK/logs/gateway0.log")" -gt "$lines" ] && return 0
        kill -0 "$(cat "$SOTTO_STACK/pids/gateway0")" 2>/dev/null || break
        sleep 0.05
    done
    echo "FAIL: the gateway did not restart"; tail -n 5 "$SOTTO_STACK/logs/gateway0.log"; failures=$((failures + 1))
}
conf_of queue 255 >"$work/other.conf"
with_args --config "$work/other.conf"
restart_gateway "${out[@]}"
refused "the gateway runs other code than its logged release" measurement-mismatch summarize_fresh
# Its own, correct, statement, but one that was never appended to the log.
gateway_bin=${gw_args[0]}
"$sotto" release simulated --dir "$SOTTO_STACK/simulated" --measure "$gateway_bin" \
    --measure "$work/other.conf" --source "$(printf '1%.0s' {1..40})" >"$work/unlogged.json"
with_args --config "$work/other.conf" --release "$work/unlogged.json"
restart_gateway "${out[@]}"
refused "the gateway's release is not in the log" not-in-log summarize_fresh
restart_gateway "${gw_args[@]}"
expect "control: the restored stack answers again" 0 summarize_fresh

# The relay down: the client says so at once and nothing hangs; the stack's
# nginx is then started again as stack.sh starts it.
stop_pid "$nginx_pid" nginx
n0=$(gateway_posts)
expect "relay down: refused, within a minute" 1 timeout 60 "$sotto" summarize "${common[@]}" --chat "$chat" --json
contains "relay down: the user is told the relay could not be reached" "$work/out" '"code":"fetch-failed","detail":"'"$keys_url"': Connection refused","message":"The relay could not be reached"'
[ "$(gateway_posts)" -eq "$n0" ] && echo "ok: relay down: nothing reached the gateway" ||
    { echo "FAIL: relay down: the gateway answered"; failures=$((failures + 1)); }
setsid nginx -p "$nginx_dir" -c "$nginx_conf" -e "$nginx_dir/error.log" -g 'daemon off;' \
    >>"$SOTTO_STACK/logs/nginx.log" 2>&1 </dev/null &
echo $! >"$SOTTO_STACK/pids/nginx"
wait_for_http "$keys_url" 30 && echo "ok: the relay is back" ||
    { echo "FAIL: nginx did not start again"; failures=$((failures + 1)); }

# 5. One long-running session: 20 requests in parallel; then, with the
#    service verified and the wallet empty, the token issuer goes away.
n0=$(gateway_posts)
e0=$(gateway_posts evidence)
SOTTO_STACK_JSON="$stack" SOTTO_COMPONENT_PID=$(cat "$SOTTO_STACK/pids/component") \
    "$client_test" >"$work/client_test.log" 2>&1 &&
    echo "ok: 20 parallel requests, then no tokens with the issuer gone" ||
    { echo "FAIL: $client_test"; cat "$work/client_test.log"; failures=$((failures + 1)); }
n1=$(gateway_posts)
[ "$n1" -eq $((n0 + 20)) ] && echo "ok: exactly the 20 answered requests reached the gateway" ||
    { echo "FAIL: gateway requests $n0 -> $n1, wanted 20 more"; failures=$((failures + 1)); }
# One evidence fetch for the twenty (they share the verification), one for the last test.
e1=$(gateway_posts evidence)
[ "$e1" -eq $((e0 + 2)) ] && echo "ok: the parallel requests shared one verification" ||
    { echo "FAIL: evidence fetched $((e1 - e0)) times, wanted 2"; failures=$((failures + 1)); }

[ $failures -eq 0 ] || { echo "$failures failure(s); stack logs:"; tail -n 20 "$SOTTO_STACK"/logs/*.log; exit 1; }
echo "all client end-to-end checks passed"
