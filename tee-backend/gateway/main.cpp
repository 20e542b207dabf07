// SPDX-License-Identifier: GPL-3.0-or-later
// sotto-gateway: the Oblivious HTTP gateway of the confidential VM.
#include "protocol/formats/release_statement.h"
#include "protocol/privacypass/spent_set.h"
#include "tee-backend/gateway/echo_engine.h"
#include "tee-backend/gateway/gateway_core.h"
#include "tee-backend/gateway/hardening.h"
#include "tee-backend/gateway/issuer_keys.h"
#include "tee-backend/gateway/key_ring.h"
#include "tee-backend/gateway/log.h"
#include "tee-backend/gateway/metrics.h"
#include "tee-backend/gateway/options.h"
#include "tee-backend/gateway/server.h"
#include "tee-backend/gateway/worker_pool.h"

#ifdef SOTTO_GATEWAY_HAVE_ATTESTATION
#include "tee-backend/attestation/provider.h"
#endif
#ifdef SOTTO_GATEWAY_HAVE_BUILTIN_ENGINE
#include "tee-backend/engines/builtin.h"
#include "tee-backend/engines/llm.h"
#endif
#ifdef SOTTO_GATEWAY_HAVE_REDIS
#include "tee-backend/spent/redis_spent_set.h"
#endif

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

using namespace sotto;
using namespace sotto::gateway;

namespace {

int64_t unixNow()
{
    return static_cast<int64_t>(std::time(nullptr));
}

// Errors at startup go to stderr with their detail: they describe the
// configuration, never a request.
int startupError(std::string_view what, std::string_view detail)
{
    std::cerr << "sotto-gateway: " << what << ": " << detail << '\n';
    return 1;
}

std::optional<std::string> readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string printable(const ListenAddress &a, uint16_t port)
{
    const bool v6 = a.host.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + a.host + "]" : a.host) + ":" + std::to_string(port);
}

} // namespace

int main(int argc, char **argv)
{
    auto parsed = parseOptions(argc, argv);
    if (!parsed.ok()) {
        std::cerr << "sotto-gateway: " << parsed.detail() << "\n(see --help)\n";
        return 2;
    }
    const GatewayOptions options = std::move(parsed).value();
    if (options.help) {
        std::cout << helpText();
        return 0;
    }

    // Before anything uses OpenSSL (the allocator can only be set first).
    const HardeningReport hardening = hardenProcess(options.allowCoreDump);
    if (options.allowCoreDump) {
        std::cerr << "sotto-gateway: WARNING: CANARY TEST BUILD: --allow-core-dump keeps this "
                     "process dumpable. Never run this build with real users.\n";
    }
    logEvent("memory hardening",
        { { "openssl_zeroing_allocator", hardening.zeroingAllocator ? 1 : 0 },
            { "secure_heap_locked",
                hardening.secureHeap == crypto::SecureHeapState::Locked ? 1 : 0 },
            { "core_dumps_off", hardening.coreDumpsOff ? 1 : 0 } });

    auto issuers = loadIssuerKeys(options.issuerKeysFile, options.origin);
    if (!issuers.ok())
        return startupError("--issuer-keys", issuers.detail());
    IssuerKeyStore issuerStore(std::move(issuers).value());

    std::unique_ptr<privacypass::SpentTokenSet> spent;
    if (options.redis) {
#ifdef SOTTO_GATEWAY_HAVE_REDIS
        spent::RedisOptions redisOptions;
        redisOptions.host = options.redis->host;
        redisOptions.port = options.redis->port;
        auto redis = spent::makeRedisSpentTokenSet(redisOptions);
        if (!redis.ok())
            return startupError("--redis", redis.detail());
        logEvent("spent tokens: Redis");
        spent = std::move(redis).value();
#else
        return startupError("--redis", "this build has no Redis spent-token set");
#endif
    } else {
        spent = privacypass::makeMemorySpentTokenSet();
    }

    std::unique_ptr<engines::Engine> engine;
    if (options.engine == "echo") {
        engine = std::make_unique<EchoEngine>();
        logEvent("engine echo: TEST AND BENCHMARK ENGINE, it answers with the request's text");
    } else {
#ifdef SOTTO_GATEWAY_HAVE_BUILTIN_ENGINE
        engine = engines::makeBuiltinEngine();
        if (options.engine == "llm") {
            // The model answers; the built-in engine when it cannot.
            engines::LlmConfig llm;
            llm.host = options.llm.host;
            llm.port = options.llm.port;
            llm.model = options.llmModel;
            auto made = engines::makeLlmEngine(std::move(llm), std::move(engine));
            if (!made.ok())
                return startupError("--engine llm", made.detail());
            engine = std::move(made).value();
        }
#else
        return startupError("--engine", "this build has no built-in engine");
#endif
    }

    EvidenceSource evidence;
#ifdef SOTTO_GATEWAY_HAVE_ATTESTATION
    std::unique_ptr<attestation::Provider> provider;
    {
        attestation::ProviderOptions po;
        po.kind = options.attestation;
        po.simulatedDir = options.simulatedDir;
        std::error_code ec;
        const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
        if (!ec)
            po.measuredFiles.push_back(self);
        // The configuration is measured with the binary (a real CVM measures
        // the image that holds both).
        if (!options.configFile.empty())
            po.measuredFiles.push_back(options.configFile);
        auto opened = attestation::openProvider(po);
        if (opened.ok()) {
            provider = std::move(opened).value();
            evidence.provider = provider.get();
        } else if (options.attestation != "auto") {
            return startupError("--attestation", opened.detail());
        } else {
            logEvent("attestation unavailable: GET /evidence answers 503");
        }
    }
#else
    logEvent("built without attestation providers: GET /evidence answers 503");
#endif
    if (!options.releaseFile.empty()) {
        const auto text = readFile(options.releaseFile);
        if (!text)
            return startupError("--release", "cannot read the file");
        auto canonical = formats::canonicalReleaseStatement(*text);
        if (!canonical.ok())
            return startupError("--release", canonical.detail());
        evidence.releaseStatement = std::move(canonical).value();
        evidence.logIndex = options.logIndex;
    }

    auto ring = KeyRing::create(options.keyRotationSeconds, unixNow());
    if (!ring.ok())
        return startupError("keys", ring.detail());
    std::unique_ptr<KeyRing> keys = std::move(ring).value();

    Metrics metrics;
    const size_t workers = options.workers != 0
        ? options.workers
        : std::max<size_t>(1, std::thread::hardware_concurrency());
    WorkerPool pool(workers, options.queue);
    GatewayCore core({ options.origin, options.maxRequestBytes }, *keys, issuerStore, *spent,
        *engine, metrics, evidence);

    ServerConfig serverConfig;
    serverConfig.listen = options.listen;
    serverConfig.metrics = options.metrics;
    serverConfig.maxRequestBytes = options.maxRequestBytes;
    serverConfig.deadline = std::chrono::milliseconds(options.deadlineMs);
    ServerHooks hooks;
    hooks.everySecond = [&] {
        if (keys->rotateIfDue(unixNow())) {
            metrics.recordKeyRotation();
            logEvent("keys rotated",
                { { "held", static_cast<int64_t>(keys->current()->gateway.keyCount()) } });
        }
    };
    hooks.onHangup = [&] {
        auto reloaded = loadIssuerKeys(options.issuerKeysFile, options.origin);
        metrics.recordIssuerReload(reloaded.ok());
        if (!reloaded.ok()) {
            logEvent("issuer keys reload failed, keeping the previous keys");
            return;
        }
        const auto count = static_cast<int64_t>(reloaded->keys.size());
        issuerStore.replace(std::move(reloaded).value());
        logEvent("issuer keys reloaded", { { "keys", count } });
    };
    auto server = Server::create(serverConfig, core, metrics, pool, std::move(hooks));
    if (!server.ok())
        return startupError("listen", server.detail());

    logEvent("started",
        { { "workers", static_cast<int64_t>(workers) },
            { "queue", static_cast<int64_t>(options.queue) } });
    std::cout << "sotto-gateway listening on " << printable(options.listen, (*server)->port())
              << '\n'
              << "sotto-gateway metrics listening on "
              << printable(options.metrics, (*server)->metricsPort()) << std::endl;
    (*server)->run();
    pool.stop();
    logEvent("stopped");
    return 0;
}
