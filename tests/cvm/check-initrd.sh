#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# deploy/cvm/build-initrd.sh: two builds give the same bytes (and another
# mtime gives other bytes, so the comparison can fail); the image holds
# exactly the init, the gateway, its libraries, the dictionaries and the
# measured configuration, and no shell; the gateway runs from the tree with
# only the tree's libraries; sotto-init, as pid 1 in a new mount and pid
# namespace, mounts what it needs and refuses clearly without the host's share.
# Usage: check-initrd.sh DEPLOY_CVM_DIR GATEWAY INIT
set -uo pipefail
cvm=$1
gateway=$2
init=$3
. "$(dirname "$0")/../cli/lib.sh"
[ "$(id -u)" = 0 ] || { echo "skipped: chroot and namespaces need root"; exit 77; }
build() { "$cvm/build-initrd.sh" --gateway "$gateway" --init "$init" --out "$1"; }

expect "first build" 0 build "$work/a"
sum_a=$(tail -n1 "$work/out")
expect "second build" 0 build "$work/b"
sum_b=$(tail -n1 "$work/out")
[ "$sum_a" = "$sum_b" ] && echo "ok: reproducible ($sum_a)" ||
    { echo "FAIL: $sum_a != $sum_b"; failures=$((failures + 1)); }
[ "$sum_a" = "image sha256:$(sha256sum "$work/a/initrd.img" | cut -d' ' -f1)" ] &&
    echo "ok: the printed digest is the image's" || { echo "FAIL: digest"; failures=$((failures + 1)); }
expect "a build at another time" 0 env SOURCE_DATE_EPOCH=1700000000 "$cvm/build-initrd.sh" \
    --gateway "$gateway" --init "$init" --out "$work/c"
[ "$(tail -n1 "$work/out")" != "$sum_a" ] && echo "ok: the mtime is in the bytes" ||
    { echo "FAIL: SOURCE_DATE_EPOCH changed nothing"; failures=$((failures + 1)); }

expect "list the image" 0 /usr/bin/python3 "$cvm/mkinitrd.py" - "$work/a/initrd.img" --list
cp "$work/out" "$work/list"
(cd "$work/a/tree" && find . -mindepth 1 | sed 's|^\./||' | sort) >"$work/tree.list"
cut -d' ' -f1 "$work/list" | sort >"$work/listed"
cmp -s "$work/tree.list" "$work/listed" && echo "ok: the image is exactly the tree" ||
    { echo "FAIL: image and tree differ"; diff "$work/tree.list" "$work/listed"; failures=$((failures + 1)); }
for want in "init 100755" "usr/bin/sotto-gateway 100755" "etc/sotto/gateway.conf 100644" \
    "usr/share/hunspell/en_US.dic 100644" "lib64/ld-linux-x86-64.so.2 100755"; do
    contains "the image has $want" "$work/list" "$want"
done
if grep -qE '(^| )(bin/sh|bin/bash|usr/bin/sh|bin/busybox)( |$)' "$work/list"; then
    echo "FAIL: a shell is in the image"; failures=$((failures + 1))
else
    echo "ok: no shell in the image"
fi
grep -E '^(release|log-index|simulated-dir) *=' "$work/a/tree/etc/sotto/gateway.conf" &&
    { echo "FAIL: the measured config names what depends on the measurement"; failures=$((failures + 1)); }
contains "the measured config uses the hardware, never simulated" "$work/a/tree/etc/sotto/gateway.conf" "attestation = auto"

# The gateway with only the image's loader and libraries.
expect "the gateway runs from the tree" 0 chroot "$work/a/tree" /usr/bin/sotto-gateway --help
contains "and answers as the gateway" "$work/out" "Usage: sotto-gateway"
# The measured configuration is one the gateway accepts: started as sotto-init
# starts it, it gets past every option and stops only at the share's files.
expect "the gateway with the image's configuration" 1 chroot "$work/a/tree" /usr/bin/sotto-gateway \
    --config /etc/sotto/gateway.conf --release /run/sotto-public/release.json --log-index 0
contains "it stops at the missing share's issuer keys" "$work/err" "--issuer-keys: cannot open the issuer keys file"

# sotto-init as pid 1: without the sotto-public share it says so and exits.
# (A container that forbids new mount and pid namespaces cannot run this.)
if unshare --mount --pid --fork true 2>/dev/null; then
    expect "sotto-init without the share refuses" 1 timeout 60 unshare --mount --pid --fork \
        chroot "$work/a/tree" /init
    contains "sotto-init names the missing share" "$work/err" \
        "/run/sotto-public/log-index: No such file or directory (is the sotto-public share attached?)"
else
    echo "not run: sotto-init as pid 1 (this machine allows no new mount/pid namespace)"
fi

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all CVM image checks passed"
