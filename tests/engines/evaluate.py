#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Evaluates the built-in engines on the checked-in corpus (tests/data/engines/).

Summaries: every chat of corpus/*.chat is summarized by the built-in engine
(engine_run) and by the npm summarizers (tests/engines/npm/peers.cjs: the
`lexrank` package and both methods of `node-summarizer`), each asked for as
many sentences as the chat has reference key points. Reported per system,
macro-averaged over the chats:
  - ROUGE-1, ROUGE-2 (n-gram overlap) and ROUGE-L (longest common subsequence)
    F1, as defined by Lin, "ROUGE: A Package for Automatic Evaluation of
    Summaries" (2004), on lowercase word tokens, without stemming or stop-word
    removal, the summary and the references each taken as one token sequence;
  - key-point recall: the share of reference key points covered by one
    summary sentence that contains at least half of the key point's words.
For the built-in engine also the recall of reference decisions, open
questions and action items (an action counts when its "what" covers the
reference and "who" names the same person).

Proofreading: proofread/seeded.tsv holds sentences with seeded errors and
their corrections; precision and recall are over word-level edits (difflib
opcodes between the input and the output vs. between the input and the
correction).

Usage: evaluate.py --engine-run PATH [--npm-dir DIR] [--limit N] [--check]
                   [--skip-summaries] [--skip-proofread] [--examples]
--check exits 1 unless the built-in engine beats every npm peer on ROUGE-1,
ROUGE-L and key-point recall and proofreading reaches precision 0.85 and
recall 0.6; exit 77 (skipped) when the npm peers are not installed.
"""
import argparse
import difflib
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "engines")
WORD = re.compile(r"\w+", re.UNICODE)


def tokens(text):
    return [t.lower() for t in WORD.findall(text)]


def parse_chat(path):
    """The corpus format: '# lang: xx | domain: d | title: t', then 'from: text'
    lines, then '> key|decision|question|action: ...' reference lines."""
    chat = {"id": os.path.basename(path)[:-5], "messages": [], "key": [], "decision": [],
            "question": [], "action": []}
    minute = 0
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("# "):
            for part in line[2:].split("|"):
                k, _, v = part.partition(":")
                chat[k.strip()] = v.strip()
        elif line.startswith("> "):
            kind, _, value = line[2:].partition(":")
            value = value.strip()
            if kind == "action":
                who, _, what = value.partition("|")
                chat["action"].append({"who": who.strip(), "what": what.strip()})
            else:
                chat[kind.strip()].append(value)
        else:
            sender, _, text = line.partition(":")
            chat["messages"].append({"from": sender.strip(), "text": text.strip(),
                                     "time": "2026-11-20T09:%02d:00Z" % minute})
            minute += 2
    return chat


def ngrams(toks, n):
    out = {}
    for i in range(len(toks) - n + 1):
        g = tuple(toks[i:i + n])
        out[g] = out.get(g, 0) + 1
    return out


def f1(overlap, cand, ref):
    if cand == 0 or ref == 0 or overlap == 0:
        return 0.0
    p, r = overlap / cand, overlap / ref
    return 2 * p * r / (p + r)


def rouge_n(cand, ref, n):
    c, r = ngrams(cand, n), ngrams(ref, n)
    overlap = sum(min(v, r.get(g, 0)) for g, v in c.items())
    return f1(overlap, sum(c.values()), sum(r.values()))


def lcs(a, b):
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(cand, ref):
    return f1(lcs(cand, ref), len(cand), len(ref))


def covers(sentence, reference, share=0.5):
    ref = tokens(reference)
    if not ref:
        return False
    s = set(tokens(sentence))
    return sum(1 for t in ref if t in s) >= share * len(ref)


def recall(items, references):
    if not references:
        return None
    hit = sum(1 for ref in references if any(covers(i, ref) for i in items))
    return hit / len(references)


def score(sentences, chat):
    cand = tokens(" ".join(sentences))
    ref = tokens(" ".join(chat["key"]))
    return {"r1": rouge_n(cand, ref, 1), "r2": rouge_n(cand, ref, 2), "rl": rouge_l(cand, ref),
            "kp": recall(sentences, chat["key"])}


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else 0.0


def run_builtin(engine_run, chats):
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for chat in chats:
            path = os.path.join(tmp, chat["id"] + ".json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"messages": chat["messages"], "max_points": len(chat["key"])}, f,
                          ensure_ascii=False)
            files.append(path)
        out = subprocess.run([engine_run, "summarize"] + files, capture_output=True, text=True,
                             check=True).stdout.splitlines()
    return {chat["id"]: json.loads(line) for chat, line in zip(chats, out)}


def run_peers(npm_dir, chats):
    lines = []
    for chat in chats:
        text = "\n".join(m["text"] if re.search(r"[.!?…]$", m["text"]) else m["text"] + "."
                         for m in chat["messages"])
        lines.append(json.dumps({"id": chat["id"], "text": text, "k": len(chat["key"])}))
    out = subprocess.run(["node", "peers.cjs"], cwd=npm_dir, input="\n".join(lines) + "\n",
                         capture_output=True, text=True, check=True).stdout.splitlines()
    peers = {}
    for line in out:
        r = json.loads(line)
        peers.setdefault(r["system"], {})[r["id"]] = r["sentences"]
    return peers


def evaluate_summaries(args):
    paths = sorted(glob.glob(os.path.join(DATA, "corpus", "*.chat")))
    chats = [parse_chat(p) for p in paths]
    if args.limit:
        # A spread over the languages: one chat of each in turn.
        by_lang = {}
        for c in chats:
            by_lang.setdefault(c["lang"], []).append(c)
        picked = []
        while len(picked) < min(args.limit, len(chats)):
            for lang in sorted(by_lang):
                if by_lang[lang] and len(picked) < args.limit:
                    picked.append(by_lang[lang].pop(0))
        chats = sorted(picked, key=lambda c: c["id"])
    ours = run_builtin(args.engine_run, chats)
    systems = {"sotto-builtin": {c["id"]: [p["text"] for p in ours[c["id"]]["summary"]]
                                 for c in chats}}
    have_peers = args.npm_dir and os.path.isdir(os.path.join(args.npm_dir, "node_modules"))
    if have_peers:
        systems.update(run_peers(args.npm_dir, chats))
    langs = sorted({c["lang"] for c in chats})
    per = ", ".join("%s: %d" % (l, sum(c["lang"] == l for c in chats)) for l in langs)
    print(f"Corpus: {len(chats)} chats ({per}), "
          f"{sum(len(c['messages']) for c in chats)} messages, {sum(len(c['key']) for c in chats)} reference key points.\n")
    print("| system | ROUGE-1 F1 | ROUGE-2 F1 | ROUGE-L F1 | key-point recall |")
    print("|---|---|---|---|---|")
    table = {}
    for name, summaries in systems.items():
        scores = [score(summaries.get(c["id"], []), c) for c in chats]
        table[name] = {k: mean(s[k] for s in scores) for k in ("r1", "r2", "rl", "kp")}
        t = table[name]
        print(f"| {name} | {t['r1']:.3f} | {t['r2']:.3f} | {t['rl']:.3f} | {t['kp']:.3f} |")
    print("\nPer language, ROUGE-L F1 / key-point recall:\n")
    print("| system | " + " | ".join(langs) + " |")
    print("|---|" + "---|" * len(langs))
    for name, summaries in systems.items():
        cells = []
        for l in langs:
            sub = [c for c in chats if c["lang"] == l]
            sc = [score(summaries.get(c["id"], []), c) for c in sub]
            cells.append(f"{mean(s['rl'] for s in sc):.2f} / {mean(s['kp'] for s in sc):.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |")

    dec = mean(recall([d["text"] for d in ours[c["id"]]["decisions"]], c["decision"]) for c in chats)
    que = mean(recall([q["text"] for q in ours[c["id"]]["questions"]], c["question"]) for c in chats)
    act_scores = []
    for c in chats:
        if not c["action"]:
            continue
        got = ours[c["id"]]["actions"]
        hit = sum(1 for ref in c["action"] if any(
            covers(a["what"] + " " + a["text"], ref["what"]) and a["who"].lower() == ref["who"].lower()
            for a in got))
        act_scores.append(hit / len(c["action"]))
    lang_ok = mean(1.0 if ours[c["id"]]["lang"] == c["lang"] else 0.0 for c in chats)
    print("\nBuilt-in engine only (the npm peers have no such output):\n")
    print("| decisions recall | open questions recall | action items recall (what + who) | language detected |")
    print("|---|---|---|---|")
    print(f"| {dec:.3f} | {que:.3f} | {mean(act_scores):.3f} | {lang_ok:.3f} |")
    if args.examples:
        for c in chats:
            print(f"\n### {c['id']}\n```json\n{json.dumps(ours[c['id']], ensure_ascii=False, indent=1)}\n```")
    return table, have_peers


def edits(a, b):
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return {(i1, i2, tuple(b[j1:j2])) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal"}


def evaluate_proofread(args):
    rows = []
    for line in open(os.path.join(DATA, "proofread", "seeded.tsv"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        lang, wrong, right = line.rstrip("\n").split("\t")
        rows.append((lang, wrong, right))
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, (lang, wrong, _) in enumerate(rows):
            path = os.path.join(tmp, f"{i:03}.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump({"text": wrong, "style": "proofread", "lang": lang}, f, ensure_ascii=False)
            files.append(path)
        out = subprocess.run([args.engine_run, "rewrite"] + files, capture_output=True, text=True,
                             check=True).stdout.splitlines()
    tp = fp = fn = 0
    per_lang = {}
    for (lang, wrong, right), line in zip(rows, out):
        got = json.loads(line)["text"]
        w = wrong.split()
        gold, made = edits(w, right.split()), edits(w, got.split())
        t = len(gold & made)
        tp, fp, fn = tp + t, fp + len(made - gold), fn + len(gold - made)
        pl = per_lang.setdefault(lang, [0, 0, 0])
        pl[0], pl[1], pl[2] = pl[0] + t, pl[1] + len(made - gold), pl[2] + len(gold - made)
    precision = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    print(f"\nProofreading on {len(rows)} sentences with {tp + fn} seeded errors:\n")
    print("| language | precision | recall | edits right / made / seeded |")
    print("|---|---|---|---|")
    for lang, (t, f, n) in sorted(per_lang.items()):
        print(f"| {lang} | {t / (t + f) if t + f else 0:.2f} | {t / (t + n) if t + n else 0:.2f} | {t} / {t + f} / {t + n} |")
    print(f"| all | {precision:.3f} | {rec:.3f} | {tp} / {tp + fp} / {tp + fn} |")
    return precision, rec


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine-run", required=True)
    ap.add_argument("--npm-dir")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--skip-summaries", action="store_true")
    ap.add_argument("--skip-proofread", action="store_true")
    ap.add_argument("--examples", action="store_true")
    args = ap.parse_args()
    failures = []
    if not args.skip_summaries:
        table, have_peers = evaluate_summaries(args)
        if args.check and not have_peers:
            print("SKIP: the npm summarizers are not installed; nothing to compare with")
            return 77
        if args.check:
            ours = table["sotto-builtin"]
            for name, t in table.items():
                for k in ("r1", "rl", "kp"):
                    if name != "sotto-builtin" and t[k] >= ours[k]:
                        failures.append(f"{name} is not behind the built-in engine on {k}")
    if not args.skip_proofread:
        p, r = evaluate_proofread(args)
        if args.check and (p < 0.85 or r < 0.6):
            failures.append(f"proofreading precision {p:.2f} / recall {r:.2f} below 0.85 / 0.6")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
