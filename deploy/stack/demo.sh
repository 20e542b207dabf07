#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The run part of `./sotto demo` (which installs and builds first): a real
# summarize and a real rewrite through the whole path of DESIGN.md, each with
# its verification summary, on the local stack.
#
#   demo.sh [--replicas N]
#
# A stack that is already up is used and left running; one the demo starts is
# stopped however the demo ends, even when `up` fails halfway.
# Environment: SOTTO_BUILD (build dir), SOTTO_STACK (state dir).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export SOTTO_BUILD=${SOTTO_BUILD:-$ROOT/build}
export SOTTO_STACK=${SOTTO_STACK:-$SOTTO_BUILD/stack}
sotto="$SOTTO_BUILD/tools/sotto"
stack="$SOTTO_STACK/stack.json"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if "$HERE/stack.sh" status >/dev/null 2>&1; then
    say "using the local stack that is already up ($stack)"
else
    trap '"$HERE/stack.sh" down' EXIT
fi
"$HERE/stack.sh" up "$@" || { echo "sotto demo: the stack did not come up" >&2; exit 1; }

rc=0
say "Summarize a chat (deploy/stack/demo/chat.json) through relay, attested gateway and engine"
"$sotto" summarize --stack "$stack" --chat "$HERE/demo/chat.json" || rc=$?
say "Rewrite a draft (deploy/stack/demo/draft.txt), style formal"
"$sotto" rewrite --stack "$stack" --style formal - <"$HERE/demo/draft.txt" || rc=$?
say "Proofread the same draft"
"$sotto" rewrite --stack "$stack" --style proofread - <"$HERE/demo/draft.txt" || rc=$?
if [ $rc -ne 0 ]; then
    echo "sotto demo: failed (exit $rc); the logs are in $SOTTO_STACK/logs" >&2
    exit 1
fi
say "demo done: each answer above came through the relay from the attested gateway"
