#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the built sotto CLI and checks exit statuses and output.
# Usage: check-cli.sh SOTTO_BINARY RFC9458_APPENDIX_A_JSON
set -uo pipefail
sotto=$1
vectors=$2
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

expect "no arguments is a usage error" 2 "$sotto"
expect "unknown command is a usage error" 2 "$sotto" frobnicate
contains "usage names the commands" "$work/err" "demo"
expect "version" 0 "$sotto" version
contains "version prints a number" "$work/out" "sotto 0."

# RFC 9458 Appendix A key configuration, as an application/ohttp-keys body.
hex=$(sed -n 's/.*"key_config_ohttp_keys_encoding_derived": *"\([0-9a-f]*\)".*/\1/p' "$vectors")
[ -n "$hex" ] || { echo "FAIL: cannot read the key config from $vectors"; exit 1; }
printf '%s' "$hex" | xxd -r -p >"$work/keys.bin" 2>/dev/null ||
    printf '%s' "$hex" | sed 's/../\\x&/g' | xargs -0 printf '%b' >"$work/keys.bin"
expect "decode the RFC 9458 key list" 0 "$sotto" ohttp keys decode "$work/keys.bin"
contains "one config" "$work/out" "1 key configuration(s)"
contains "key id 1, X25519" "$work/out" "key id 1: KEM 0x0020 DHKEM(X25519, HKDF-SHA256)"
contains "both AEADs listed" "$work/out" "AEAD 0x0003 ChaCha20-Poly1305"
expect "decode from standard input" 0 sh -c "\"$sotto\" ohttp keys decode < \"$work/keys.bin\""

head -c 20 "$work/keys.bin" >"$work/truncated.bin"
expect "a truncated key list is refused" 1 "$sotto" ohttp keys decode "$work/truncated.bin"
contains "and the error says why" "$work/err" "not a valid application/ohttp-keys body"
expect "a missing file is an error" 1 "$sotto" ohttp keys decode "$work/does-not-exist"
: >"$work/empty.bin"
expect "an empty key list is refused" 1 "$sotto" ohttp keys decode "$work/empty.bin"

expect "the demo's round trip succeeds" 0 "$sotto" demo
contains "the relay cannot read the chat" "$work/out" "the chat text is not visible"
contains "a tampered answer is refused" "$work/out" "flipped one bit: DecryptionFailed"
expect "demo takes no arguments" 2 "$sotto" demo --bogus

# The client commands (built with Qt): --help is an answer, a wrong option a usage error.
if "$sotto" help 2>&1 | grep -q summarize; then
    for c in summarize rewrite status chat; do
        expect "$c --help prints its usage" 0 "$sotto" "$c" --help
        contains "on standard output" "$work/out" "usage: sotto summarize"
        expect "$c with an unknown option is a usage error" 2 "$sotto" "$c" --bogus
    done
    expect "summarize needs --chat, --with or --room" 2 "$sotto" summarize --stack "$work/none.json"
    expect "summarize takes one of --chat, --with, --room" 2 "$sotto" summarize \
        --stack "$work/none.json" --with bob@example.org --room team@rooms.example.org
    expect "--room needs a value" 2 "$sotto" summarize --stack "$work/none.json" --room
    expect "chat needs off, on or list" 2 "$sotto" chat --profile "$work/p" maybe bob@example.org
    expect "chat off needs a JID" 2 "$sotto" chat --profile "$work/p" off "not a jid"
    expect "chat off writes the profile" 0 "$sotto" chat --profile "$work/p" off bob@example.org
    expect "chat list reads it" 0 "$sotto" chat --profile "$work/p" list
    contains "chat list names the chat" "$work/out" "bob@example.org"
fi

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
