#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""mkinitrd.py TREE OUT [--mtime SECONDS] [--list]

Writes TREE as a gzip-compressed initramfs (the kernel's "newc" cpio format,
Documentation/driver-api/early-userspace/buffer-format.rst) that depends only
on the tree's contents: entries sorted by path, owner 0:0, modes normalised
(0755 for directories and executables, 0644 otherwise, symlinks kept), one
mtime for all, inode numbers counted from 1, gzip without name or time. Two
builds from the same inputs are bit for bit the same, so anyone can rebuild
the image a release names. --list instead prints the paths inside OUT.
"""
import argparse
import gzip
import os
import stat
import sys

MAGIC = b"070701"


def header(ino, mode, mtime, size, name):
    fields = [ino, mode, 0, 0, 1, mtime, size, 0, 0, 0, 0, len(name) + 1, 0]
    return MAGIC + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return b"\0" * ((4 - n % 4) % 4)


def entries(tree):
    out = []
    for root, dirs, files in os.walk(tree):
        dirs.sort()
        for name in sorted(dirs + files):
            path = os.path.join(root, name)
            out.append(os.path.relpath(path, tree))
    return sorted(out)


def write(tree, out, mtime):
    body = bytearray()
    for ino, rel in enumerate(entries(tree), start=1):
        path = os.path.join(tree, rel)
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            data, mode = os.readlink(path).encode(), stat.S_IFLNK | 0o777
        elif stat.S_ISDIR(st.st_mode):
            data, mode = b"", stat.S_IFDIR | 0o755
        elif stat.S_ISREG(st.st_mode):
            data = open(path, "rb").read()
            mode = stat.S_IFREG | (0o755 if st.st_mode & 0o111 else 0o644)
        else:
            sys.exit("mkinitrd: %s is not a file, directory or symlink" % rel)
        name = rel.encode()
        h = header(ino, mode, mtime, len(data), name) + name + b"\0"
        body += h + pad4(len(h)) + data + pad4(len(data))
    name = b"TRAILER!!!"
    h = header(0, 0, 0, 0, name) + name + b"\0"
    body += h + pad4(len(h))
    with open(out, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as z:
            z.write(bytes(body))


def list_paths(image):
    data = gzip.open(image).read()
    at = 0
    while True:
        if data[at:at + 6] != MAGIC:
            sys.exit("mkinitrd: not a newc archive at offset %d" % at)
        f = [int(data[at + 6 + 8 * i:at + 14 + 8 * i], 16) for i in range(13)]
        size, namesize = f[6], f[11]
        name = data[at + 110:at + 110 + namesize - 1].decode()
        at += 110 + namesize
        at += (4 - at % 4) % 4
        if name == "TRAILER!!!":
            return
        print("%s %o" % (name, f[1]))
        at += size
        at += (4 - at % 4) % 4


def main():
    p = argparse.ArgumentParser()
    p.add_argument("tree")
    p.add_argument("out")
    p.add_argument("--mtime", type=int, default=0)
    p.add_argument("--list", action="store_true")
    a = p.parse_args()
    if a.list:
        list_paths(a.out)
    else:
        write(a.tree, a.out, a.mtime)


main()
