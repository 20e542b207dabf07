// SPDX-License-Identifier: GPL-3.0-or-later
// The process side of Sotto's npm interop peers: one JSON request per line on
// stdin ({"op": NAME, ...}), handled by ops[NAME], one JSON answer per line on
// stdout; a failure answers {"error": "..."} and the peer keeps serving.
import { createInterface } from "node:readline";

export async function serveJsonLines(ops) {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
        if (!line.trim()) continue;
        let answer;
        try {
            const msg = JSON.parse(line);
            const op = ops[msg.op];
            if (!op) throw new Error(`unknown op ${msg.op}`);
            answer = await op(msg);
        } catch (e) {
            answer = { error: String(e && e.message ? e.message : e) };
        }
        process.stdout.write(JSON.stringify(answer) + "\n");
    }
}
