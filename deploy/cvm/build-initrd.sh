#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The gateway's confidential VM initramfs (deploy/cvm/README.md), reproducibly:
#
#   build-initrd.sh --gateway BIN --init BIN --out DIR [--config FILE]
#
# DIR/tree is the tree (for inspection), DIR/initrd.img the image, and the
# last line printed is `image sha256:<hex>`, the release statement's `image`.
# In it: /init (sotto-init), /usr/bin/sotto-gateway (stripped) and exactly the
# shared libraries it loads, the engines' hunspell dictionaries, and
# /etc/sotto/gateway.conf (default: deploy/cvm/gateway.conf). Nothing else: no
# shell, no tools. SOURCE_DATE_EPOCH (default 0) is every entry's mtime.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
gateway= init= out= config=$HERE/gateway.conf
while [ $# -gt 0 ]; do
    case "$1" in
    --gateway) gateway=$2; shift 2 ;;
    --init) init=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    *) echo "build-initrd: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -n "$gateway" ] && [ -n "$init" ] && [ -n "$out" ] ||
    { echo "usage: build-initrd.sh --gateway BIN --init BIN --out DIR [--config FILE]" >&2; exit 2; }
for f in "$gateway" "$init" "$config"; do
    [ -f "$f" ] || { echo "build-initrd: $f is missing" >&2; exit 1; }
done
if ldd "$init" >/dev/null 2>&1; then
    echo "build-initrd: $init is not static (pid 1 must not need a loader)" >&2; exit 1
fi

root=$out/tree
rm -rf "$root"
mkdir -p "$root"/{proc,sys,dev,run,etc/sotto,usr/bin,usr/share/hunspell}
install -m 0755 "$init" "$root/init"
strip --strip-all -o "$root/usr/bin/sotto-gateway" "$gateway"
install -m 0644 "$config" "$root/etc/sotto/gateway.conf"

# The loader and every library, at the paths the loader looks them up by.
ldd "$gateway" | awk '/=> \// { print $3 } /^\t\/[^ ]*ld-linux/ { print $1 }' | sort -u |
    while read -r lib; do
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
[ -n "$(ls "$root"/lib64/ld-linux-* 2>/dev/null)" ] || { echo "build-initrd: no loader found" >&2; exit 1; }

# The proofreading dictionaries of the engines' languages (tee-backend/engines/lang.cpp).
for d in en_US de_DE fr_FR es_ES ru_RU pt_PT; do
    for ext in aff dic; do
        if [ -f "/usr/share/hunspell/$d.$ext" ]; then
            cp -L "/usr/share/hunspell/$d.$ext" "$root/usr/share/hunspell/$d.$ext"
        else
            echo "build-initrd: warning: /usr/share/hunspell/$d.$ext is missing" >&2
        fi
    done
done

/usr/bin/python3 "$HERE/mkinitrd.py" "$root" "$out/initrd.img" --mtime "${SOURCE_DATE_EPOCH:-0}"
echo "image sha256:$(sha256sum "$out/initrd.img" | cut -d' ' -f1)"
