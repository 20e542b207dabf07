#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Checkpoints `sotto log` would never write, signed by a key the auditor
# trusts: Go's x/mod note signer (tests/tlog/go/tlogpeer sign) signs any body
# we craft, and `sotto audit` / `sotto witness cosign` must refuse each with
# its own error: another origin than the key's, a huge tree size, a size
# beyond 64 bits, a malformed root. Exit 77 (skipped) without the Go peer.
# Usage: check-crafted-checkpoints.sh SOTTO_BINARY GO_PEER
set -uo pipefail
sotto=$1
peer=$2
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
[ -x "$peer" ] || { echo "Go peer not built (no go toolchain): skipped"; exit 77; }

# A real log to borrow tiles from: 3 entries.
statement='{"image":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","issued":"2026-11-25T10:00:00Z","measurement":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f","platform":"sev-snp","policy":"0x30000","schema":"sotto-release/0","source":"55126c1c0ffee0000000000000000000000000aa","version":"1.0.0"}'
echo "$statement" >"$work/s.json"
"$sotto" log init "$work/real" --origin log.example/a >/dev/null
for i in 1 2 3; do "$sotto" log append "$work/real" "$work/s.json" >/dev/null; done
root=$(sed -n 3p "$work/real/checkpoint")

crafted() { # crafted NAME BODY: a log dir $work/NAME whose checkpoint is BODY signed by Go as log.example/a
    local dir=$work/$1
    rm -rf "$dir" && cp -a "$work/real" "$dir" && rm -f "$dir/signer.key"
    printf '%b' "$2" >"$work/body"
    "$peer" sign log.example/a "$work/body" "$work" >/dev/null || { echo "FAIL: Go could not sign"; exit 1; }
    cp "$work/note" "$dir/checkpoint"
    key=$(cat "$work/vkey")
}

crafted good "log.example/a\n3\n$root\n"
expect "the Go-signed copy of the real checkpoint audits" 0 "$sotto" audit --log "$work/good" --log-key "$key"
w=$("$sotto" witness init --state "$work/w.state" --name witness.example/w)
expect "a witness cosigns it" 0 "$sotto" witness cosign --log "$work/good" --log-key "$key" --state "$work/w.state"

crafted origin "log.example/b\n3\n$root\n"
expect "another origin than the key's" 1 "$sotto" audit --log "$work/origin" --log-key "$key"
contains "WrongOrigin" "$work/err" 'WrongOrigin: checkpoint origin "log.example/b", expected "log.example/a"'
expect "the witness refuses it too" 1 "$sotto" witness cosign --log "$work/origin" --log-key "$key" \
    --state "$work/w.state"
contains "WrongOrigin" "$work/err" "WrongOrigin"

crafted huge "log.example/a\n18446744073709551615\n$root\n"
expect "a tree of 2^64-1 entries: the audit stops at the first missing bundle" 1 "$sotto" audit \
    --log "$work/huge" --log-key "$key"
contains "FetchFailed NotFound" "$work/err" "FetchFailed: NotFound"
expect "the witness cannot prove it extends size 3" 1 "$sotto" witness cosign --log "$work/huge" \
    --log-key "$key" --state "$work/w.state"
contains "FetchFailed" "$work/err" "FetchFailed"

crafted overflow "log.example/a\n18446744073709551616\n$root\n"
expect "a size beyond 64 bits" 1 "$sotto" audit --log "$work/overflow" --log-key "$key"
contains "MalformedCheckpoint" "$work/err" "MalformedCheckpoint"
crafted zeros "log.example/a\n03\n$root\n"
expect "a size with a leading zero" 1 "$sotto" audit --log "$work/zeros" --log-key "$key"
contains "MalformedCheckpoint" "$work/err" "MalformedCheckpoint"
crafted shortroot "log.example/a\n3\nAAAA\n"
expect "a 3-byte root" 1 "$sotto" audit --log "$work/shortroot" --log-key "$key"
contains "MalformedCheckpoint" "$work/err" "MalformedCheckpoint"
crafted smaller "log.example/a\n2\n$root\n"
expect "size 2 with the root of size 3: the tree does not hash to it" 1 "$sotto" audit \
    --log "$work/smaller" --log-key "$key"
contains "RootMismatch" "$work/err" "RootMismatch"
expect "the witness that saw 3 calls it a rollback" 1 "$sotto" witness cosign --log "$work/smaller" \
    --log-key "$key" --state "$work/w.state"
contains "rollback" "$work/err" "refusing a rollback"

if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all crafted checkpoint checks passed"
