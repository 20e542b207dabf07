#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `stack up --replicas 2`: two gateways behind the relay share a real Redis
# for spent tokens; each has its own key, and each one's evidence verifies.
# The stack lives in a private (0700) folder here.
# Usage: check-replicas.sh STACK_SH BUILD_DIR
set -uo pipefail
stack_sh=$1
build=$2
sotto="$build/tools/sotto"
. "$(dirname "$0")/../cli/lib.sh"
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
redis_pid=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["pids"]["redis"])' "$SOTTO_STACK/stack.json")
kill -0 "$redis_pid" 2>/dev/null && echo "ok: redis pid $redis_pid is in stack.json" ||
    { echo "FAIL: no running redis pid in stack.json"; failures=$((failures + 1)); }
expect "stack down" 0 "$stack_sh" down
kill -0 "$redis_pid" 2>/dev/null && { echo "FAIL: redis still runs"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all replica checks passed"
