#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `sotto witness` and `sotto audit` on logs read from disk (a directory and a
# file:// URL, the offline audit), with every fault a researcher must see:
# each one exits 1 and names its own error. Usage errors exit 2.
# Usage: check-witness-audit.sh SOTTO_BINARY
set -uo pipefail
sotto=$1
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

statement() { # statement VERSION
    printf '{"schema":"sotto-release/0","platform":"sev-snp","measurement":"%s","policy":"0x30000",' \
        000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f
    printf '"version":"%s","source":"55126c1c0ffee0000000000000000000000000aa",' "$1"
    printf '"image":"sha256:%s","issued":"2026-11-25T10:00:00Z"}\n' \
        aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
}
fresh() { # fresh: a copy of the good log in $work/bad, its path printed
    rm -rf "$work/bad" && cp -a "$log" "$work/bad" && echo "$work/bad"
}

log=$work/log
statement 1.0.0 >"$work/s.json"
logkey=$("$sotto" log init "$log" --origin log.example/sotto-releases)
for i in 1 2 3; do "$sotto" log append "$log" "$work/s.json" >/dev/null; done
w1=$("$sotto" witness init --state "$work/w1.state" --name witness.example/w1)
w2=$("$sotto" witness init --state "$work/w2.state" --name witness.example/w2)

# Usage errors.
expect "witness without subcommand" 2 "$sotto" witness
expect "witness init without --name" 2 "$sotto" witness init --state "$work/x.state"
expect "witness cosign without --log-key" 2 "$sotto" witness cosign --log "$log" --state "$work/w1.state"
expect "audit without --log" 2 "$sotto" audit --log-key "$logkey"
expect "audit with an unknown option" 2 "$sotto" audit --log "$log" --log-key "$logkey" --frobnicate
expect "audit --quorum above the keys given" 2 "$sotto" audit --log "$log" --log-key "$logkey" \
    --witness-key "$w1" --quorum 2
expect "log cosign without --witness-key" 2 "$sotto" log cosign "$log" "$work/w1.sig"
expect "witness init refuses an existing state" 1 "$sotto" witness init --state "$work/w1.state" \
    --name witness.example/w1
contains "and says why" "$work/err" "already exists"
perm=$(stat -c %a "$work/w1.state")
[ "$perm" = 600 ] && echo "ok: witness state is 0600" || { echo "FAIL: state mode $perm"; failures=$((failures + 1)); }
contains "witness init printed a cosignature/v1 key" <(echo "$w1") "witness.example/w1+"

# The good path, offline: a directory and a file:// URL.
expect "witness 1 cosigns a directory" 0 "$sotto" witness cosign --log "$log" --log-key "$logkey" \
    --state "$work/w1.state" --out "$work/w1.sig"
expect "witness 2 cosigns a file:// URL" 0 "$sotto" witness cosign --log "file://$log" \
    --log-key "$logkey" --state "$work/w2.state" --out "$work/w2.sig"
expect "log cosign refuses a witness it was not given" 1 "$sotto" log cosign "$log" "$work/w2.sig" \
    --witness-key "$w1"
contains "NotWitnessed" "$work/err" "not one of the witness keys given"
expect "log cosign" 0 "$sotto" log cosign "$log" "$work/w1.sig" --witness-key "$w1"
expect "log cosign" 0 "$sotto" log cosign "$log" "$work/w2.sig" --witness-key "$w2"
expect "audit offline" 0 "$sotto" audit --log "$log" --log-key "$logkey" --witness-key "$w1" \
    --witness-key "$w2"
contains "three releases" "$work/out" "2 1.0.0 55126c1c"
if grep -q 'entries' "$work/err"; then echo "FAIL: a progress bar on a non-terminal"; failures=$((failures + 1)); else echo "ok: no progress bar when stderr is not a terminal"; fi
if command -v script >/dev/null 2>&1; then # util-linux: runs the audit on a pseudo-terminal
    script -qec "'$sotto' audit --log '$log' --log-key '$logkey' >/dev/null" /dev/null >"$work/tty" 2>&1
    contains "a progress bar on a terminal" "$work/tty" "100% 3/3 entries"
fi
expect "log checkpoint keeps the cosignatures" 0 "$sotto" log checkpoint "$log"
expect "audit still sees two witnesses" 0 "$sotto" audit --log "file://$log" --log-key "$logkey" \
    --witness-key "$w1" --witness-key "$w2" --quorum 2

# Quorum and witness keys.
w3=$("$sotto" witness init --state "$work/w3.state" --name witness.example/w3)
expect "a witness that never cosigned: quorum not met" 1 "$sotto" audit --log "$log" \
    --log-key "$logkey" --witness-key "$w3"
contains "the cosigners' keys are unknown here, and named" "$work/err" \
    "WitnessUnknown: 0 valid witness cosignatures, 1 required; also signed by keys not among the configured witnesses: witness.example/w1, witness.example/w2"
expect "quorum 2 of w1, w3" 1 "$sotto" audit --log "$log" --log-key "$logkey" --witness-key "$w1" \
    --witness-key "$w3" --quorum 2
contains "counts 1 of 2" "$work/err" "1 valid witness cosignatures, 2 required"
expect "quorum 1 of w1, w3" 0 "$sotto" audit --log "$log" --log-key "$logkey" --witness-key "$w1" \
    --witness-key "$w3" --quorum 1
otherkey=$("$sotto" log init "$work/other" --origin log.example/other)
expect "another log's key: wrong origin or unverified" 1 "$sotto" audit --log "$log" --log-key "$otherkey"
contains "NoteUnverified (no signature by that key)" "$work/err" "NoteUnverified"
expect "a malformed log key" 1 "$sotto" audit --log "$log" --log-key "log.example/sotto-releases+zz"
contains "MalformedKey" "$work/err" "MalformedKey"
expect "a log URL that is no directory" 1 "$sotto" audit --log "$work/nothing" --log-key "$logkey"
contains "BadUrl" "$work/err" "BadUrl"
expect "https is not supported" 1 "$sotto" audit --log "https://log.example/" --log-key "$logkey"
contains "says which are" "$work/err" "only http://, file:// and directories"

# Tampered files, each with its own error.
bad=$(fresh); printf 'X' | dd of="$bad/tile/0/000.p/3" bs=1 seek=5 conv=notrunc 2>/dev/null
expect "modified tile" 1 "$sotto" audit --log "$bad" --log-key "$logkey"
contains "TileMismatch" "$work/err" "TileMismatch: tile/0/000.p/3 hash 0"
bad=$(fresh); truncate -s -1 "$bad/tile/0/000.p/3"
expect "truncated tile" 1 "$sotto" audit --log "$bad" --log-key "$logkey"
contains "MalformedTile" "$work/err" "MalformedTile"
bad=$(fresh); truncate -s -1 "$bad/tile/entries/000.p/3"
expect "truncated entry bundle" 1 "$sotto" audit --log "$bad" --log-key "$logkey"
contains "MalformedEntryBundle" "$work/err" "MalformedEntryBundle"
bad=$(fresh); sed -i 's/"1.0.0"/"1.0.1"/' "$bad/tile/entries/000.p/3"
expect "modified entry" 1 "$sotto" audit --log "$bad" --log-key "$logkey"
contains "TileMismatch for the entry's hash" "$work/err" "TileMismatch"
bad=$(fresh); rm "$bad/tile/entries/000.p/3"
expect "missing bundle" 1 "$sotto" audit --log "$bad" --log-key "$logkey"
contains "FetchFailed NotFound" "$work/err" "FetchFailed: NotFound"
bad=$(fresh); printf '\xff' | dd of="$bad/checkpoint" bs=1 seek=3 conv=notrunc 2>/dev/null
expect "non-UTF-8 checkpoint" 1 "$sotto" audit --log "$bad" --log-key "$logkey"
contains "NoteNotUtf8" "$work/err" "NoteNotUtf8"
bad=$(fresh); truncate -s -1 "$bad/checkpoint"
expect "checkpoint without its final newline" 1 "$sotto" audit --log "$bad" --log-key "$logkey"
contains "NoteMissingNewline" "$work/err" "NoteMissingNewline"
bad=$(fresh); for i in $(seq 101); do sed -n '$p' "$log/checkpoint"; done >>"$bad/checkpoint"
expect "checkpoint with 103 signature lines" 1 "$sotto" audit --log "$bad" --log-key "$logkey"
contains "NoteTooManySignatures" "$work/err" "NoteTooManySignatures"
bad=$(fresh); sed -i '2s/3/4/' "$bad/checkpoint"
expect "checkpoint with a changed size" 1 "$sotto" audit --log "$bad" --log-key "$logkey"
contains "NoteInvalidSignature" "$work/err" "NoteInvalidSignature"
expect "a witness refuses it too" 1 "$sotto" witness cosign --log "$bad" --log-key "$logkey" \
    --state "$work/w3.state"
contains "NoteInvalidSignature" "$work/err" "NoteInvalidSignature"

# An entry that is not a release statement, appended behind `sotto log`'s
# validation: a second log with the same key, written entry by entry.
bad=$(fresh)
statement 1.0.0 | sed 's/,"issued"/, "issued"/' >"$work/spaced.json"
"$sotto" log append "$bad" "$work/spaced.json" >/dev/null # canonicalised on the way in: fine
expect "a canonicalised statement audits" 0 "$sotto" audit --log "$bad" --log-key "$logkey"
python3 - "$bad" <<'PY'
import sys, os
# Rewrite entry 3 of the bundle as non-canonical JSON of the same length
# class, and its level-0 tile accordingly, so only the validator can object.
import hashlib
d = sys.argv[1]
b = open(os.path.join(d, "tile/entries/000.p/4"), "rb").read()
entries, pos = [], 0
while pos < len(b):
    n = b[pos] << 8 | b[pos + 1]; entries.append(b[pos + 2:pos + 2 + n]); pos += 2 + n
entries[3] = entries[3].replace(b',"issued"', b', "issued"')
open(os.path.join(d, "tile/entries/000.p/4"), "wb").write(
    b"".join(len(e).to_bytes(2, "big") + e for e in entries))
open(os.path.join(d, "tile/0/000.p/4"), "wb").write(
    b"".join(hashlib.sha256(b"\x00" + e).digest() for e in entries))
PY
expect "a non-canonical entry (tiles forged to match)" 1 "$sotto" audit --log "$bad" --log-key "$logkey"
contains "InvalidEntry is reported before the root" "$work/err" "InvalidEntry: entry 3 is a release statement but not in canonical form"

# Witness state: rollback and fork offline.
cp -a "$log" "$work/backup"
"$sotto" log append "$log" "$work/s.json" >/dev/null
expect "witness 1 follows the log to 4" 0 "$sotto" witness cosign --log "$log" --log-key "$logkey" \
    --state "$work/w1.state"
expect "rollback to 3" 1 "$sotto" witness cosign --log "$work/backup" --log-key "$logkey" \
    --state "$work/w1.state"
contains "rollback" "$work/err" "refusing a rollback"
rm -f "$work/backup/.lock"
statement 9.9.9 >"$work/evil.json"
"$sotto" log append "$work/backup" "$work/evil.json" >/dev/null
expect "fork at 4" 1 "$sotto" witness cosign --log "$work/backup" --log-key "$logkey" \
    --state "$work/w1.state"
contains "fork" "$work/err" "refusing a fork"
expect "the witness state still holds size 4 of the real log" 0 "$sotto" witness cosign --log "$log" \
    --log-key "$logkey" --state "$work/w1.state"
newkey=$("$sotto" log init "$work/rekeyed" --origin log.example/sotto-releases)
expect "a log key change for the same origin is refused" 1 "$sotto" witness cosign \
    --log "$work/rekeyed" --log-key "$newkey" --state "$work/w1.state"
contains "says so" "$work/err" "refusing a key change"
if command -v flock >/dev/null 2>&1; then # util-linux: holds the witness's lock meanwhile
    expect "one cosign at a time per witness state" 1 flock "$work/w1.state.lock" \
        "$sotto" witness cosign --log "$log" --log-key "$logkey" --state "$work/w1.state"
    contains "says who holds it" "$work/err" "another \`sotto witness cosign\` holds"
fi
printf '{"key": 5}' >"$work/broken.state"
expect "a broken state file" 1 "$sotto" witness cosign --log "$log" --log-key "$logkey" \
    --state "$work/broken.state"
contains "says so" "$work/err" "not a witness state file"

if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all witness and audit CLI checks passed"
