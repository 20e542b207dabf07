// SPDX-License-Identifier: GPL-3.0-or-later
// The canary test of "the gateway keeps nothing": a unique marker travels in
// requests through nginx to the gateway (the canary build of sotto-gateway,
// built-in engines as users get them, dumps allowed); once the answers are
// back, the marker must be in no log, no file the relay or the gateway wrote,
// and nowhere in a core dump (gcore) of the running gateway. Controls prove the search works: the
// same search finds the marker in a planted file and in a gcore of this test
// process, which still holds it.
#include "protocol/crypto/random.h"
#include "tests/gateway/e2e_harness.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

namespace sotto::gatewaytest {
namespace {

// Every regular file under `root` (recursively) that contains `marker`.
std::vector<std::filesystem::path> filesContaining(
    const std::filesystem::path &root, std::string_view marker)
{
    std::vector<std::filesystem::path> hits;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file())
            continue;
        if (readWholeFile(entry.path()).find(marker) != std::string::npos)
            hits.push_back(entry.path());
    }
    return hits;
}

// gcore of `pid` into `dir`; the path of the core file, empty on failure.
std::filesystem::path coreDump(pid_t pid, const std::filesystem::path &dir)
{
    ChildProcess gcore;
    const std::string prefix = (dir / "core").string();
    if (!gcore.start({ "/usr/bin/gcore", "-o", prefix, std::to_string(pid) }, dir / "gcore.log"))
        return {};
    while (gcore.readLine()) { } // drain its stdout until it exits
    const int status = gcore.wait();
    const std::filesystem::path core = prefix + "." + std::to_string(pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !std::filesystem::exists(core))
        return {};
    return core;
}

TEST(GatewayCanary, MarkerLeavesNoTraceInLogsFilesOrGatewayMemory)
{
#ifdef SOTTO_SANITIZED_BUILD
    GTEST_SKIP() << "sanitizer builds replace the wiping allocator";
#endif
    if (!std::filesystem::exists("/usr/bin/gcore"))
        FAIL() << "gcore is missing: install gdb (./sotto installs it); the memory search cannot be skipped";
    TempDir stack;   // everything the gateway and the relay may write
    TempDir control; // the controls' files, kept apart
    const std::string marker = "SOTTOCANARY" + toHex(crypto::randomBytes(16));
    const TestIssuer &issuer = TestIssuer::get("issuer.sotto.test");

    writeWholeFile(stack.path() / "issuer-keys.json", issuer.keysJson(unixNow() + 86400));
    GatewayProcess gateway;
    ASSERT_TRUE(gateway.start(SOTTO_GATEWAY_CANARY_BIN,
        { "--allow-core-dump", "--issuer-keys", (stack.path() / "issuer-keys.json").string(),
            "--origin", std::string(kOrigin), "--engine", "builtin", "--attestation", "simulated",
            "--simulated-dir", (stack.path() / "simulated").string() },
        stack.path() / "gateway.log"));
    RelayProcess relay;
    ASSERT_TRUE(relay.start(stack.path() / "relay", gateway.port));

    auto send = [&](const Bytes &bhttp) -> std::optional<Opened> {
        const HttpResult keys = httpRequest(relay.port, "GET", "/keys");
        Sealed sealed = seal(keys.bytes(), bhttp);
        const HttpResult r
            = httpRequest(relay.port, "POST", "/relay", asString(sealed.body), "message/ohttp-req");
        if (r.status != 200)
            return std::nullopt;
        return open(sealed, r.bytes());
    };
    // The marker in a rewrite, a summary, a failing request and a header.
    auto rewrite = send(innerRequest("/v1/rewrite",
        R"({"text":"please rewrite )" + marker + R"( politely","style":"formal","lang":"en"})",
        issuer.authorization()));
    ASSERT_TRUE(rewrite);
    ASSERT_EQ(rewrite->response.status, 200);
    // The built-in engine (the one users get) kept the marker, a token it does
    // not understand, in its answer: the plaintext was in the gateway.
    ASSERT_NE(rewrite->body().find(marker), std::string::npos);
    auto summary = send(innerRequest("/v1/summarize",
        R"({"messages":[{"from":"a","time":"t","text":")" + marker
            + R"("}],"lang":"en","max_points":1})",
        issuer.authorization()));
    ASSERT_TRUE(summary);
    ASSERT_EQ(summary->response.status, 200);
    auto bad = send(innerRequest("/v1/rewrite", "{\"text\":\"" + marker, issuer.authorization()));
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->response.status, 400);
    auto unauthorized = send(innerRequest("/v1/rewrite", R"({"text":")" + marker + "\"}",
        std::string("PrivateToken token=") + marker));
    ASSERT_TRUE(unauthorized);
    EXPECT_EQ(unauthorized->response.status, 401);
    // Every request is answered and the workers are idle again.
    ASSERT_TRUE(gateway.waitForMetric("sotto_gateway_inner_responses_total{status=\"200\"}", 2));
    // A worker hands its answer to the network thread before it finishes
    // (wiping, stack scrub): wait until none is busy.
    ASSERT_TRUE(gateway.waitForMetric("sotto_gateway_in_flight", 0, true));

    const std::filesystem::path core = coreDump(gateway.process.pid(), stack.path());
    ASSERT_FALSE(core.empty()) << readWholeFile(stack.path() / "gcore.log");
    EXPECT_GT(std::filesystem::file_size(core), 1'000'000u);
    gateway.process.kill(SIGTERM);
    relay.process.kill(SIGTERM);

    // The search itself, on everything the stack wrote: logs, configs,
    // nginx's temp dirs, the core dump.
    EXPECT_TRUE(std::filesystem::exists(stack.path() / "relay" / "error.log"));
    const auto hits = filesContaining(stack.path(), marker);
    for (const auto &hit : hits)
        ADD_FAILURE() << "the marker is in " << hit.filename();
    EXPECT_TRUE(hits.empty());

    // Controls: the same search finds the marker where it is.
    writeWholeFile(control.path() / "planted.txt", "x" + marker + "y");
    const std::filesystem::path selfCore = coreDump(getpid(), control.path());
    ASSERT_FALSE(selfCore.empty()) << readWholeFile(control.path() / "gcore.log");
    const auto found = filesContaining(control.path(), marker);
    EXPECT_EQ(found.size(), 2u); // planted.txt and this process's core
}

} // namespace
} // namespace sotto::gatewaytest
