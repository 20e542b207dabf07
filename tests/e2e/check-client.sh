#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The client end to end (issue 9) on the local stack with every real part:
# `sotto summarize|rewrite|status --stack` through Prosody + sotto-component
# (discovery, tokens), nginx (relay, log), sotto-gateway (simulated SEV-SNP)
# and the witnesses. The full flow succeeds; then failures the client can be
# made to see on a real stack are injected (its policy refuses the simulated
# TEE, a relay not allowed, more witnesses than cosigned, a forged trusted
# checkpoint: fork and rollback, a chat that asked for no processing), and
# each must stop the request before anything reaches the gateway: the
# gateway's own request counter (/metrics) proves it.
# Usage: check-client.sh STACK_SH BUILD_DIR
set -uo pipefail
stack_sh=$1
build=$2
sotto="$build/tools/sotto"
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/lib.sh"
chmod 711 "$work"
export SOTTO_BUILD="$build" SOTTO_STACK="$work/stack"
trap '"$stack_sh" down >/dev/null 2>&1; rm -rf "$work"' EXIT
py=/usr/bin/python3
stack="$SOTTO_STACK/stack.json"

if ! "$stack_sh" up >"$work/up.log" 2>&1; then
    echo "FAIL: stack up"; cat "$work/up.log"; exit 1
fi

# POSTs the gateway answered, from its metrics port (on its command line).
gateway_posts() {
    $py - "$stack" <<'PY'
import json, re, sys, urllib.request
pid = json.load(open(sys.argv[1]))["pids"]["gateway0"]
args = open("/proc/%d/cmdline" % pid, "rb").read().split(b"\0")
port = args[args.index(b"--metrics") + 1].decode()
text = urllib.request.urlopen("http://%s/metrics" % port, timeout=10).read().decode()
print(sum(int(float(m.group(1))) for m in
          re.finditer(r'^sotto_gateway_requests_total\{endpoint="gateway",[^}]*\} (\S+)$', text, re.M)))
PY
}

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

[ $failures -eq 0 ] || { echo "$failures failure(s); stack logs:"; tail -n 20 "$SOTTO_STACK"/logs/*.log; exit 1; }
echo "all client end-to-end checks passed"
