#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `stack up --replicas 2`: two gateways behind the relay share a real Redis
# for spent tokens; each has its own key, and each one's evidence verifies;
# requests with real tokens through the relay are spent in that Redis.
# The stack lives in a private (0700) folder here.
# Usage: check-replicas.sh STACK_SH BUILD_DIR
set -uo pipefail
stack_sh=$1
build=$2
sotto="$build/tools/sotto"
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/../../deploy/stack/lib.sh"
# A private folder, like a clone under /root: Prosody and nginx's workers
# cannot reach it, so the stack must put what they read somewhere they can.
chmod 700 "$work"
export SOTTO_BUILD="$build" SOTTO_STACK="$work/stack"
cleanup() {
    "$stack_sh" down >/dev/null 2>&1
    [ -f "$SOTTO_STACK/runtime.path" ] && rm -rf "$(cat "$SOTTO_STACK/runtime.path")"
    rm -rf "$work"
}
trap cleanup EXIT
py=/usr/bin/python3

expect "stack up --replicas 2" 0 "$stack_sh" up --replicas 2
[ -f "$SOTTO_STACK/runtime.path" ] && echo "ok: Prosody, log and nginx live in $(cat "$SOTTO_STACK/runtime.path")" ||
    { echo "FAIL: no runtime folder outside the private stack folder"; failures=$((failures + 1)); }
expect "status lists redis and two gateways" 0 "$stack_sh" status
contains "redis runs" "$work/out" "redis"
contains "gateway 1 runs" "$work/out" "gateway1"
echo '{"allow_simulated": true}' >"$work/policy.json"
keys=()
for url in $($py -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["gateway_urls"]))' "$SOTTO_STACK/stack.json"); do
    nonce=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
    expect "evidence of $url" 0 curl -sf -o "$work/b.json" "$url/evidence?nonce=$nonce"
    expect "it verifies and binds the nonce" 0 \
        "$sotto" attest verify --bundle "$work/b.json" --nonce "$nonce" --policy "$work/policy.json"
    keys+=("$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["key_configs"])' "$work/b.json")")
done
[ "${#keys[@]}" -eq 2 ] && [ "${keys[0]}" != "${keys[1]}" ] && echo "ok: each replica has its own key" ||
    { echo "FAIL: replicas share a key or are missing"; failures=$((failures + 1)); }
# Requests through the relay with tokens the real component issued over
# Prosody: each token is spent in the shared Redis (one key per token). The
# relay keeps a client on the replica whose keys it verified (hash of its
# address): from this one address all six reach the same replica. That a
# token spent at one replica is refused at the other is proven with the two
# gateways alone (gateway_e2e.GatewayReplicas.SpentTokensAreSharedThroughRedis).
chat="$work/chat.json"
echo '{"messages":[{"from":"bob@sotto.test","time":"2026-11-25T10:00:00Z","text":"Decided: ship on Friday."}]}' >"$chat"
gateway_posts() { gateway_requests "$SOTTO_STACK/pids/gateway$1"; } # <replica index>
redis_port=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$SOTTO_STACK/redis.json")
spent_before=$(redis-cli -h 127.0.0.1 -p "$redis_port" DBSIZE)
for i in 1 2 3 4 5 6; do
    expect "summarize $i through the relay" 0 "$sotto" summarize --stack "$SOTTO_STACK/stack.json" \
        --profile "$work/profile" --chat "$chat" --json
done
spent_after=$(redis-cli -h 127.0.0.1 -p "$redis_port" DBSIZE)
[ "$((spent_after - spent_before))" -eq 6 ] && echo "ok: six tokens spent in the shared Redis" ||
    { echo "FAIL: Redis keys $spent_before -> $spent_after, wanted six more"; failures=$((failures + 1)); }
p0=$(gateway_posts 0) p1=$(gateway_posts 1)
[ "$((p0 + p1))" -eq 6 ] && { [ "$p0" -eq 0 ] || [ "$p1" -eq 0 ]; } &&
    echo "ok: one client, one replica ($p0 + $p1)" ||
    { echo "FAIL: replicas answered $p0 + $p1 of 6 requests from one client"; failures=$((failures + 1)); }
redis_pid=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["pids"]["redis"])' "$SOTTO_STACK/stack.json")
kill -0 "$redis_pid" 2>/dev/null && echo "ok: redis pid $redis_pid is in stack.json" ||
    { echo "FAIL: no running redis pid in stack.json"; failures=$((failures + 1)); }
expect "stack down" 0 "$stack_sh" down
kill -0 "$redis_pid" 2>/dev/null && { echo "FAIL: redis still runs"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all replica checks passed"
