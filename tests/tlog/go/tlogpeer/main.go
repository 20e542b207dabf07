// SPDX-License-Identifier: GPL-3.0-or-later

// tlogpeer is the independent side of Sotto's transparency-log interop
// tests and benchmarks: it uses only Go's golang.org/x/mod/sumdb/note and
// sumdb/tlog (Debian golang-golang-x-mod-dev, built offline in GOPATH mode)
// to check what `sotto log` writes, and signs notes for Sotto to verify.
//
// Go's sumdb tiles predate C2SP tlog-tiles and carry the tile height in
// their paths: tile/8/<L>/<N> and tile/8/data/<N>. C2SP dropped the height
// (tile/<L>/<N>, tile/entries/<N>); readTiles maps one onto the other. The
// entry bundles use C2SP's format (big-endian uint16 length + entry), which
// x/mod has no reader for, so parseBundle is written here.
//
// Commands (exit status 0 = verified, 1 = refused, 2 = usage):
//
//	verify-checkpoint VKEY FILE   open a signed checkpoint with the log key
//	prove DIR|URL VKEY [STRIDE]   check the tiles against the signed root
//	                              (TileHashReader, TreeHash) and the inclusion
//	                              of every STRIDE-th entry and the last one
//	                              (ProveRecord/CheckRecord); STRIDE 1 = all
//	consistency DIR VKEY OLDFILE  prove the log extends an older checkpoint
//	                              (ProveTree/CheckTree)
//	sign NAME TEXTFILE OUTDIR     sign TEXTFILE with OUTDIR/skey, or a new key
//	                              kept there: OUTDIR/skey, OUTDIR/vkey, OUTDIR/note
//	bench-append N                build an N-entry tree with StoredHashes
//	bench-audit DIR VKEY          recompute a whole log from its bundles and
//	                              compare every tile (what `sotto audit` does)
//	bench-proofs DIR VKEY         inclusion and consistency proofs for 1,000
//	                              leaves, proved and checked (see benchProofs)
//
// bench-append and bench-audit print one JSON line: {"impl","op","entries","seconds"};
// bench-proofs one line per hash reader (see benchProofs).
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8 // C2SP tlog-tiles: tiles of 2^8 hashes

type checkpoint struct {
	origin string
	tree   tlog.Tree
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlogpeer: "+format+"\n", args...)
	os.Exit(1)
}

// openCheckpoint verifies the note with the log key (cosignatures by other
// keys are left unverified, as signed-note requires) and parses the C2SP
// checkpoint body: origin, decimal size, base64 root, extension lines.
func openCheckpoint(msg []byte, vkey string) (checkpoint, *note.Note) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		fail("verifier key: %v", err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		fail("note: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[0] == "" {
		fail("checkpoint body has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		fail("checkpoint size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		fail("checkpoint root %q: %v", lines[2], err)
	}
	if lines[0] != v.Name() {
		fail("origin %q, log key %q", lines[0], v.Name())
	}
	return checkpoint{lines[0], tlog.Tree{N: size, Hash: root}}, n
}

func readCheckpoint(path, vkey string) checkpoint {
	cp, _ := readCheckpointNote(path, vkey)
	return cp
}

func readCheckpointNote(path, vkey string) (checkpoint, *note.Note) {
	var msg []byte
	var err error
	if strings.HasPrefix(path, "http://") {
		msg, err = readFile(strings.TrimSuffix(path, "/checkpoint"), "checkpoint")
	} else {
		msg, err = os.ReadFile(path)
	}
	if err != nil {
		fail("%v", err)
	}
	return openCheckpoint(msg, vkey)
}

// c2spPath maps a Go sumdb tile path to the C2SP one.
func c2spPath(t tlog.Tile) string {
	p := t.Path() // tile/8/<L>/<N>[.p/<W>] or tile/8/data/<N>[.p/<W>]
	p = strings.TrimPrefix(p, fmt.Sprintf("tile/%d/", height))
	if strings.HasPrefix(p, "data/") {
		return "tile/entries/" + strings.TrimPrefix(p, "data/")
	}
	return "tile/" + p
}

// readFile reads a path of the log: from a directory, or with HTTP GET when
// the log is given as an http:// URL (the log as nginx serves it).
func readFile(base, path string) ([]byte, error) {
	if !strings.HasPrefix(base, "http://") {
		return os.ReadFile(filepath.Join(base, path))
	}
	resp, err := http.Get(strings.TrimSuffix(base, "/") + "/" + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 1<<24))
}

type dirTiles struct{ dir string }

func (d dirTiles) Height() int { return height }

func (d dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := readFile(d.dir, c2spPath(t))
		if err != nil && t.W < 1<<height {
			// A partial tile the log has since completed: its prefix.
			full := t
			full.W = 1 << height
			data, err = readFile(d.dir, c2spPath(full))
			if err == nil && len(data) >= t.W*tlog.HashSize {
				data = data[:t.W*tlog.HashSize]
			}
		}
		if err != nil {
			return nil, err
		}
		if len(data) != t.W*tlog.HashSize {
			return nil, fmt.Errorf("%s: %d bytes, want %d", c2spPath(t), len(data), t.W*tlog.HashSize)
		}
		out[i] = data
	}
	return out, nil
}

func (d dirTiles) SaveTiles([]tlog.Tile, [][]byte) {}

// parseBundle splits a C2SP entry bundle: each entry is a big-endian uint16
// length and that many bytes; exactly `width` entries, nothing after.
func parseBundle(data []byte, width int) ([][]byte, error) {
	var out [][]byte
	for len(out) < width {
		if len(data) < 2 {
			return nil, errors.New("bundle truncated")
		}
		n := int(data[0])<<8 | int(data[1])
		if len(data)-2 < n {
			return nil, errors.New("entry truncated")
		}
		out = append(out, data[2:2+n])
		data = data[2+n:]
	}
	if len(data) != 0 {
		return nil, errors.New("bytes after the last entry")
	}
	return out, nil
}

func readBundle(dir string, index int64, size int64) [][]byte {
	width := size - index*(1<<height)
	if width > 1<<height {
		width = 1 << height
	}
	t := tlog.Tile{H: height, L: -1, N: index, W: int(width)}
	data, err := readFile(dir, c2spPath(t))
	if err != nil {
		fail("%v", err)
	}
	entries, err := parseBundle(data, int(width))
	if err != nil {
		fail("%s: %v", c2spPath(t), err)
	}
	return entries
}

func prove(dir, vkey string, stride int64) {
	cp := readCheckpoint(strings.TrimSuffix(dir, "/")+"/checkpoint", vkey)
	hr := tlog.TileHashReader(cp.tree, dirTiles{dir})
	th, err := tlog.TreeHash(cp.tree.N, hr)
	if err != nil {
		fail("TreeHash: %v", err)
	}
	if th != cp.tree.Hash {
		fail("TreeHash %v, checkpoint %v", th, cp.tree.Hash)
	}
	for b := int64(0); b*(1<<height) < cp.tree.N; b++ {
		for i, e := range readBundle(dir, b, cp.tree.N) {
			n := b*(1<<height) + int64(i)
			if n%stride != 0 && n != cp.tree.N-1 {
				continue
			}
			proof, err := tlog.ProveRecord(cp.tree.N, n, hr)
			if err != nil {
				fail("ProveRecord(%d): %v", n, err)
			}
			if err := tlog.CheckRecord(proof, cp.tree.N, cp.tree.Hash, n, tlog.RecordHash(e)); err != nil {
				fail("CheckRecord(%d): %v", n, err)
			}
		}
	}
	fmt.Printf("verified %s %d %s\n", cp.origin, cp.tree.N, cp.tree.Hash)
}

func consistency(dir, vkey, oldFile string) {
	cp := readCheckpoint(strings.TrimSuffix(dir, "/")+"/checkpoint", vkey)
	old := readCheckpoint(oldFile, vkey)
	hr := tlog.TileHashReader(cp.tree, dirTiles{dir})
	proof, err := tlog.ProveTree(cp.tree.N, old.tree.N, hr)
	if err != nil {
		fail("ProveTree: %v", err)
	}
	if err := tlog.CheckTree(proof, cp.tree.N, cp.tree.Hash, old.tree.N, old.tree.Hash); err != nil {
		fail("CheckTree: %v", err)
	}
	fmt.Printf("consistent %d -> %d\n", old.tree.N, cp.tree.N)
}

func sign(name, textFile, outDir string) {
	text, err := os.ReadFile(textFile)
	if err != nil {
		fail("%v", err)
	}
	// A key kept in OUTDIR from an earlier call is reused, so one key can
	// sign several notes; otherwise a new one is generated and kept.
	var skey, vkey string
	if old, err := os.ReadFile(filepath.Join(outDir, "skey")); err == nil {
		skey = strings.TrimSpace(string(old))
		pub, err := os.ReadFile(filepath.Join(outDir, "vkey"))
		if err != nil {
			fail("%v", err)
		}
		vkey = strings.TrimSpace(string(pub))
	} else {
		skey, vkey, err = note.GenerateKey(rand.Reader, name)
		if err != nil {
			fail("GenerateKey: %v", err)
		}
		if err := os.WriteFile(filepath.Join(outDir, "skey"), []byte(skey+"\n"), 0o600); err != nil {
			fail("%v", err)
		}
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		fail("NewSigner: %v", err)
	}
	msg, err := note.Sign(&note.Note{Text: string(text)}, signer)
	if err != nil {
		fail("Sign: %v", err)
	}
	if err := os.WriteFile(filepath.Join(outDir, "vkey"), []byte(vkey+"\n"), 0o644); err != nil {
		fail("%v", err)
	}
	if err := os.WriteFile(filepath.Join(outDir, "note"), msg, 0o644); err != nil {
		fail("%v", err)
	}
}

// storeReader reads x/mod's stored hashes from an in-memory store that
// grows as records are appended.
func storeReader(store *[]tlog.Hash) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = (*store)[x]
		}
		return out, nil
	})
}

// benchAppend stores an n-entry tree the way a Go log server does: each
// record's StoredHashes appended to an in-memory hash store.
func benchAppend(n int64) {
	store := make([]tlog.Hash, 0, tlog.StoredHashCount(n))
	reader := storeReader(&store)
	start := time.Now()
	entry := make([]byte, 330)
	for i := int64(0); i < n; i++ {
		copy(entry, strconv.FormatInt(i, 10))
		hashes, err := tlog.StoredHashes(i, entry, reader)
		if err != nil {
			fail("StoredHashes: %v", err)
		}
		store = append(store, hashes...)
	}
	th, err := tlog.TreeHash(n, reader)
	if err != nil {
		fail("TreeHash: %v", err)
	}
	elapsed := time.Since(start)
	fmt.Printf("{\"impl\":\"go-x-mod\",\"op\":\"append\",\"entries\":%d,\"seconds\":%.6f,\"root\":\"%s\"}\n",
		n, elapsed.Seconds(), base64.StdEncoding.EncodeToString(th[:]))
}

// benchAudit is `sotto audit`'s work with x/mod's primitives: every bundle
// hashed, every level-0 tile compared, the rows above recomputed with
// tlog's tile hashing and compared, the root checked with TreeHash.
func benchAudit(dir, vkey string) {
	start := time.Now()
	cp := readCheckpoint(strings.TrimSuffix(dir, "/")+"/checkpoint", vkey)
	tiles := dirTiles{dir}
	var row []tlog.Hash
	for b := int64(0); b*(1<<height) < cp.tree.N; b++ {
		for _, e := range readBundle(dir, b, cp.tree.N) {
			row = append(row, tlog.RecordHash(e))
		}
	}
	for level := 0; ; level++ {
		count := int64(len(row))
		var above []tlog.Hash
		for n := int64(0); n*(1<<height) < count; n++ {
			w := count - n*(1<<height)
			if w > 1<<height {
				w = 1 << height
			}
			t := tlog.Tile{H: height, L: level, N: n, W: int(w)}
			data, err := tiles.ReadTiles([]tlog.Tile{t})
			if err != nil {
				fail("%v", err)
			}
			var want bytes.Buffer
			for _, h := range row[n*(1<<height) : n*(1<<height)+w] {
				want.Write(h[:])
			}
			if !bytes.Equal(data[0], want.Bytes()) {
				fail("%s differs from the recomputed tree", c2spPath(t))
			}
			if w == 1<<height {
				// The full tile's subtree root, with tlog's node hashing.
				sub := append([]tlog.Hash(nil), row[n*(1<<height):(n+1)*(1<<height)]...)
				for len(sub) > 1 {
					for i := 0; i < len(sub)/2; i++ {
						sub[i] = tlog.NodeHash(sub[2*i], sub[2*i+1])
					}
					sub = sub[:len(sub)/2]
				}
				above = append(above, sub[0])
			}
		}
		if int64(len(above)) == 0 {
			break
		}
		row = above
	}
	th, err := tlog.TreeHash(cp.tree.N, tlog.TileHashReader(cp.tree, tiles))
	if err != nil || th != cp.tree.Hash {
		fail("root: %v", err)
	}
	elapsed := time.Since(start)
	fmt.Printf("{\"impl\":\"go-x-mod\",\"op\":\"audit\",\"entries\":%d,\"seconds\":%.6f}\n",
		cp.tree.N, elapsed.Seconds())
}

// memTiles reads each tile of a log directory once and keeps it in memory.
type memTiles struct {
	dirTiles
	cache map[tlog.Tile][]byte
}

func (m memTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		if data, ok := m.cache[t]; ok {
			out[i] = data
			continue
		}
		data, err := m.dirTiles.ReadTiles([]tlog.Tile{t})
		if err != nil {
			return nil, err
		}
		m.cache[t], out[i] = data[0], data[0]
	}
	return out, nil
}

// cpuSeconds is this process's user + system time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		fail("getrusage: %v", err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// benchProofs times x/mod's proofs in the log at DIR for 1,000 pseudo-random
// leaves (and tree sizes leaf+1), the LCG of bench/bench_tlog.cpp's
// proofTree(): ProveRecord + CheckRecord, ProveTree + CheckTree, with two
// hash readers: x/mod's stored hashes in memory (every interior node kept:
// what a Go log server has) and TileHashReader over the log's tiles held in
// memory (what a Go client has; it also checks each tile against the root).
// One JSON line per reader, microseconds per operation, wall and CPU.
func benchProofs(dir, vkey string) {
	cp := readCheckpoint(strings.TrimSuffix(dir, "/")+"/checkpoint", vkey)
	n := cp.tree.N
	var picks []int64
	x := uint64(1)
	for i := 0; i < 1000; i++ {
		x = x*6364136223846793005 + 1442695040888963407
		picks = append(picks, int64((x>>33)%uint64(n)))
	}
	store := make([]tlog.Hash, 0, tlog.StoredHashCount(n))
	stored := storeReader(&store)
	var leaves []tlog.Hash
	for b := int64(0); b*(1<<height) < n; b++ {
		for _, e := range readBundle(dir, b, n) {
			leaves = append(leaves, tlog.RecordHash(e))
			hashes, err := tlog.StoredHashes(int64(len(leaves)-1), e, stored)
			if err != nil {
				fail("StoredHashes: %v", err)
			}
			store = append(store, hashes...)
		}
	}
	tiles := tlog.TileHashReader(cp.tree, memTiles{dirTiles{dir}, map[tlog.Tile][]byte{}})
	for _, r := range []struct {
		name   string
		reader tlog.HashReader
	}{{"stored", stored}, {"tiles", tiles}} {
		oldRoots := make([]tlog.Hash, len(picks))
		for i, p := range picks {
			h, err := tlog.TreeHash(p+1, stored)
			if err != nil {
				fail("TreeHash: %v", err)
			}
			oldRoots[i] = h
		}
		timed := func(f func(i int, p int64)) (float64, float64) {
			w, c := time.Now(), cpuSeconds()
			for i, p := range picks {
				f(i, p)
			}
			k := float64(len(picks))
			return time.Since(w).Seconds() / k * 1e6, (cpuSeconds() - c) / k * 1e6
		}
		records := make([]tlog.RecordProof, len(picks))
		trees := make([]tlog.TreeProof, len(picks))
		pw, pc := timed(func(i int, p int64) {
			var err error
			if records[i], err = tlog.ProveRecord(n, p, r.reader); err != nil {
				fail("ProveRecord: %v", err)
			}
		})
		cw, cc := timed(func(i int, p int64) {
			if err := tlog.CheckRecord(records[i], n, cp.tree.Hash, p, leaves[p]); err != nil {
				fail("CheckRecord: %v", err)
			}
		})
		tw, tc := timed(func(i int, p int64) {
			var err error
			if trees[i], err = tlog.ProveTree(n, p+1, r.reader); err != nil {
				fail("ProveTree: %v", err)
			}
		})
		vw, vc := timed(func(i int, p int64) {
			if err := tlog.CheckTree(trees[i], n, cp.tree.Hash, p+1, oldRoots[i]); err != nil {
				fail("CheckTree: %v", err)
			}
		})
		fmt.Printf("{\"impl\":\"go-x-mod\",\"op\":\"proofs\",\"reader\":\"%s\",\"entries\":%d,"+
			"\"prove_inclusion_us\":[%.3f,%.3f],\"check_inclusion_us\":[%.3f,%.3f],"+
			"\"prove_consistency_us\":[%.3f,%.3f],\"check_consistency_us\":[%.3f,%.3f]}\n",
			r.name, n, pw, pc, cw, cc, tw, tc, vw, vc)
	}
}

func main() {
	a := os.Args[1:]
	switch {
	case len(a) == 3 && a[0] == "verify-checkpoint":
		cp, n := readCheckpointNote(a[2], a[1])
		fmt.Printf("%s %d %s unverified=%d\n", cp.origin, cp.tree.N, cp.tree.Hash, len(n.UnverifiedSigs))
	case (len(a) == 3 || len(a) == 4) && a[0] == "prove":
		stride := int64(1)
		if len(a) == 4 {
			var err error
			if stride, err = strconv.ParseInt(a[3], 10, 64); err != nil || stride < 1 {
				fail("STRIDE must be a positive integer")
			}
		}
		prove(a[1], a[2], stride)
	case len(a) == 4 && a[0] == "consistency":
		consistency(a[1], a[2], a[3])
	case len(a) == 4 && a[0] == "sign":
		sign(a[1], a[2], a[3])
	case len(a) == 2 && a[0] == "bench-append":
		n, err := strconv.ParseInt(a[1], 10, 64)
		if err != nil || n < 1 {
			fail("bench-append N")
		}
		benchAppend(n)
	case len(a) == 3 && a[0] == "bench-audit":
		benchAudit(a[1], a[2])
	case len(a) == 3 && a[0] == "bench-proofs":
		benchProofs(a[1], a[2])
	default:
		fmt.Fprintln(os.Stderr, "usage: tlogpeer verify-checkpoint VKEY FILE | prove DIR VKEY [STRIDE] | "+
			"consistency DIR VKEY OLDFILE | sign NAME TEXTFILE OUTDIR | bench-append N | bench-audit DIR VKEY | "+
			"bench-proofs DIR VKEY")
		os.Exit(2)
	}
}
