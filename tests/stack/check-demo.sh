#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The run part of `./sotto demo` (deploy/stack/demo.sh) as a user sees it:
# it brings the stack up, prints a real summary, a formal rewrite and a
# proofread draft, each with its verification summary, and stops everything it
# started. A stack that was already up is used and left running.
# Usage: check-demo.sh DEMO_SH STACK_SH BUILD_DIR
set -uo pipefail
demo_sh=$1
stack_sh=$2
build=$3
. "$(dirname "$0")/../cli/lib.sh"
chmod 711 "$work" # the prosody user must reach the stack's folder
export SOTTO_BUILD="$build" SOTTO_STACK="$work/stack"
trap '"$stack_sh" down >/dev/null 2>&1; rm -rf "$work"' EXIT
py=/usr/bin/python3
pids() { $py -c 'import json,sys; print(" ".join(str(p) for p in json.load(open(sys.argv[1]))["pids"].values()))' \
    "$SOTTO_STACK/stack.json"; }

expect "the demo runs from a stopped stack" 0 "$demo_sh"
cp "$work/out" "$work/demo.out"
cp "$work/err" "$work/demo.err"
# The engine's findings from deploy/stack/demo/chat.json.
contains "the summary has the chat's decision" "$work/demo.out" "signed confirmations from both banks"
contains "the summary has an action item" "$work/demo.out" "binder"
# deploy/stack/demo/draft.txt: the formal tone, and proofreading (also part of it).
contains "the formal rewrite" "$work/demo.out" "Hello team, I think we should maybe move the review to Thursday"
contains "the formal rewrite's tone" "$work/demo.out" "as soon as possible"
contains "the proofread draft" "$work/demo.out" "Hi team, I think we should maybe move the review to Thursday"
contains "a verification summary is printed" "$work/demo.out" "simulated"
started=$(pids)
for p in $started; do
    if kill -0 "$p" 2>/dev/null; then echo "FAIL: pid $p still runs after the demo"; failures=$((failures + 1)); fi
done
expect "the demo stopped the stack it started" 1 "$stack_sh" status

expect "stack up by the user" 0 "$stack_sh" up
before=$(pids)
expect "the demo on a running stack" 0 "$demo_sh"
contains "it says it uses the running stack" "$work/err" "already up"
expect "the user's stack still runs after the demo" 0 "$stack_sh" status
[ "$(pids)" = "$before" ] && echo "ok: same processes" ||
    { echo "FAIL: pids changed: $before -> $(pids)"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; sed -n 1,400p "$work/demo.out" "$work/demo.err"; exit 1; }
echo "all demo checks passed"
