// SPDX-License-Identifier: GPL-3.0-or-later
// Times the npm summarizers on the benchmark chats (bench/run-engines). Usage:
//   node peers-bench.cjs CHAT.json...   (each a /v1/summarize body, smallest first)
// Prints JSON lines {"system","messages","ms"}; a system that took longer than
// 20 s on one chat is not run on the larger ones ("ms": null).
"use strict";
const fs = require("fs");
const lexrank = require("lexrank");
const { SummarizerManager } = require("node-summarizer");

const LIMIT_MS = 20000;
const systems = {
    "lexrank": (text, k) => new Promise((resolve) => lexrank.summarize(text, k, () => resolve())),
    "node-summarizer-freq": async (text, k) => new SummarizerManager(text, k).getSummaryByFrequency(),
    "node-summarizer-rank": async (text, k) => new SummarizerManager(text, k).getSummaryByRank(),
};

async function main() {
    const slow = new Set();
    for (const file of process.argv.slice(2)) {
        const chat = JSON.parse(fs.readFileSync(file, "utf8"));
        const text = chat.messages.map((m) => (/[.!?]$/.test(m.text) ? m.text : m.text + ".")).join("\n");
        for (const [name, run] of Object.entries(systems)) {
            let ms = null;
            if (!slow.has(name)) {
                const t0 = process.hrtime.bigint();
                try {
                    await run(text, chat.max_points || 10);
                    ms = Number(process.hrtime.bigint() - t0) / 1e6;
                } catch (e) {
                    ms = null;
                }
                if (ms === null || ms > LIMIT_MS)
                    slow.add(name);
            }
            process.stdout.write(JSON.stringify({ system: name, messages: chat.messages.length, ms }) + "\n");
        }
    }
}

main();
