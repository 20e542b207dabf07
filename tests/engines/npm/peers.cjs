// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the npm summarizers on the evaluation chats. Reads JSON lines
// {"id","text","k"} on standard input (the chat's messages, one per line) and
// prints JSON lines {"id","system","sentences":[...]} for each system:
//   lexrank                 the `lexrank` package (LexRank, Erkan & Radev 2004)
//   node-summarizer-freq    `node-summarizer`'s frequency-based summary
//   node-summarizer-rank    `node-summarizer`'s TextRank summary
"use strict";
const readline = require("readline");
const lexrank = require("lexrank");
const { SummarizerManager } = require("node-summarizer");

function lexrankSummary(text, k) {
    return new Promise((resolve) => {
        try {
            lexrank.summarize(text, k, (err, toplines) => {
                if (err || !Array.isArray(toplines))
                    return resolve([]);
                resolve(toplines.slice().sort((a, b) => a.index - b.index).map((l) => l.text));
            });
        } catch (e) {
            resolve([]);
        }
    });
}

function splitSummary(s) {
    if (typeof s !== "string")
        return [];
    // node-summarizer joins its sentences without a space: split after end
    // punctuation wherever a new sentence starts.
    return s.split(/(?<=[.!?])\s*(?=[\p{Lu}¿¡"«])/u).map((x) => x.trim()).filter((x) => x.length > 0);
}

async function main() {
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) {
        if (!line.trim())
            continue;
        const { id, text, k } = JSON.parse(line);
        const emit = (system, sentences) =>
            process.stdout.write(JSON.stringify({ id, system, sentences }) + "\n");
        emit("lexrank", await lexrankSummary(text, k));
        let freq = [];
        let rank = [];
        try {
            freq = splitSummary(new SummarizerManager(text, k).getSummaryByFrequency().summary);
        } catch (e) {
            freq = [];
        }
        try {
            rank = splitSummary((await new SummarizerManager(text, k).getSummaryByRank()).summary);
        } catch (e) {
            rank = [];
        }
        emit("node-summarizer-freq", freq);
        emit("node-summarizer-rank", rank);
    }
}

main();
