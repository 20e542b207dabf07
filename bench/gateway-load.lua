-- SPDX-License-Identifier: GPL-3.0-or-later
-- wrk script for bench/gateway-load: replays pre-built Encapsulated Requests
-- (requests.bin: (u32 big-endian length, bytes)*, from
-- sotto_bench_gateway_prepare) as POST /relay, message/ohttp-req.
--   wrk ... -s gateway-load.lua URL -- FILE THREADS once|loop
-- once: each thread sends each of its requests once, then stops (every
--       token is fresh: the gateway answers 200 inside the encapsulation);
-- loop: requests are sent again and again (a replayed token: the gateway does
--       the same decryption and token verification and answers 401 inside).
-- Prints "RESULT key=value ..." for the script to collect.

local threads = {}
local counter = 0

function setup(thread)
    thread:set("id", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

function init(args)
    local path, nthreads = args[1], tonumber(args[2])
    once = args[3] == "once"
    local f = assert(io.open(path, "rb"))
    local data = f:read("*a")
    f:close()
    requests = {}
    local pos, i = 1, 0
    while pos + 3 <= #data do
        local a, b, c, d = data:byte(pos, pos + 3)
        local len = ((a * 256 + b) * 256 + c) * 256 + d
        if i % nthreads == id then
            table.insert(requests, wrk.format("POST", "/relay",
                { ["Content-Type"] = "message/ohttp-req" }, data:sub(pos + 4, pos + 3 + len)))
        end
        pos = pos + 4 + len
        i = i + 1
    end
    index = 0
    answered = 0
    non200 = 0
end

function request()
    index = index + 1
    if index > #requests then
        index = 1
    end
    return requests[index]
end

function response(status, headers, body)
    answered = answered + 1
    if status ~= 200 then
        non200 = non200 + 1
    end
    if once and answered >= #requests then
        wrk.thread:stop()
    end
end

function done(summary, latency, requests)
    local bad = 0
    for _, t in ipairs(threads) do
        bad = bad + (t:get("non200") or 0)
    end
    local seconds = summary.duration / 1e6
    io.write(string.format(
        "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f non200=%d errors=%d\n",
        summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
        latency:percentile(99) / 1000, bad,
        summary.errors.connect + summary.errors.read + summary.errors.write
            + summary.errors.status + summary.errors.timeout))
end
