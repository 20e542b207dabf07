#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs `sotto log init|append|checkpoint` as a release manager would and
# checks exit statuses (0 ok, 1 failure, 2 usage) and what they print.
# Usage: check-log.sh SOTTO_BINARY
set -uo pipefail
sotto=$1
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

log=$work/log
measurement=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f
image=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
statement() { # statement <extra json members, with leading comma or empty> [field=override]
    printf '{ "schema": "sotto-release/0", "platform": "sev-snp", "measurement": "%s",\n' "$measurement"
    printf '  "policy": "0x30000", "version": "0.3.1",\n'
    printf '  "source": "55126c1c0ffee0000000000000000000000000aa", "image": "%s",\n' "$image"
    printf '  "issued": "2026-11-25T10:00:00Z"%s }\n' "$1"
}

expect "log without a subcommand is a usage error" 2 "$sotto" log
expect "init without --origin is a usage error" 2 "$sotto" log init "$log"
expect "init a log" 0 "$sotto" log init "$log" --origin log.example/sotto-releases
contains "init prints the verifier key" "$work/out" "log.example/sotto-releases+"
perm=$(stat -c %a "$log/signer.key" 2>/dev/null || stat -f %Lp "$log/signer.key")
if [ "$perm" = 600 ]; then echo "ok: signer key is 0600"; else echo "FAIL: signer key mode $perm"; failures=$((failures + 1)); fi
expect "init refuses an existing log" 1 "$sotto" log init "$log" --origin log.example/other
contains "and says why" "$work/err" "already exists"

statement "" >"$work/good.json"
expect "append a valid statement" 0 "$sotto" log append "$log" "$work/good.json"
contains "first index" "$work/out" "index 0"
contains "tree size 1" "$work/out" "tree size 1"
expect "append a second one" 0 "$sotto" log append "$log" "$work/good.json"
contains "tree size 2" "$work/out" "tree size 2"
contains "the entry is canonical JSON" "$log/tile/entries/000.p/2" '{"image":"sha256:'

statement ', "extra": "x"' >"$work/unknown.json"
expect "unknown field refused" 1 "$sotto" log append "$log" "$work/unknown.json"
contains "names the field" "$work/err" "unknown field 'extra'"
statement "" | sed 's/"0x30000"/196608/' >"$work/type.json"
expect "wrong type refused" 1 "$sotto" log append "$log" "$work/type.json"
contains "says the type" "$work/err" "'policy' must be a string"
statement "" | sed 's/"measurement": "00/"measurement": "/' >"$work/short.json"
expect "short measurement refused" 1 "$sotto" log append "$log" "$work/short.json"
contains "says the length" "$work/err" "96 lower-case hex"
statement "" | sed 's/sotto-release\/0/sotto-release\/9/' >"$work/schema.json"
expect "wrong schema refused" 1 "$sotto" log append "$log" "$work/schema.json"
statement "" | sed 's/2026-11-25T10:00:00Z/yesterday/' >"$work/date.json"
expect "bad date refused" 1 "$sotto" log append "$log" "$work/date.json"
contains "says RFC 3339" "$work/err" "RFC 3339"
statement ', "version": "0.3.2"' >"$work/dup.json"
expect "duplicate key refused" 1 "$sotto" log append "$log" "$work/dup.json"
printf '{"schema": ' >"$work/broken.json"
expect "broken JSON refused" 1 "$sotto" log append "$log" "$work/broken.json"
contains "says JSON" "$work/err" "not valid JSON"
expect "missing file" 1 "$sotto" log append "$log" "$work/nonexistent.json"
expect "append to a missing log" 1 "$sotto" log append "$work/nolog" "$work/good.json"

expect "checkpoint" 0 "$sotto" log checkpoint "$log"
contains "origin line" "$work/out" "log.example/sotto-releases"
if sed -n 2p "$work/out" | grep -qx 2; then echo "ok: size 2 after the refused appends"; else echo "FAIL: checkpoint size"; cat "$work/out"; failures=$((failures + 1)); fi
contains "signature line" "$work/out" "— log.example/sotto-releases "
cmp -s "$work/out" "$log/checkpoint" && echo "ok: printed checkpoint is the served one" ||
    { echo "FAIL: printed checkpoint differs from the file"; failures=$((failures + 1)); }

if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all log CLI checks passed"
