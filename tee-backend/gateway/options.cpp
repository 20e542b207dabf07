// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/gateway/options.h"

#include <boost/program_options.hpp>

#include <charconv>
#include <fstream>
#include <sstream>

namespace sotto::gateway {

namespace po = boost::program_options;

std::string_view errorName(OptionsError e)
{
    switch (e) {
    case OptionsError::BadSyntax:
        return "BadSyntax";
    case OptionsError::BadValue:
        return "BadValue";
    case OptionsError::Missing:
        return "Missing";
    }
    return "Unknown";
}

bool isCanaryBuild()
{
#ifdef SOTTO_GATEWAY_CANARY_BUILD
    return true;
#else
    return false;
#endif
}

std::optional<ListenAddress> parseHostPort(std::string_view text)
{
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return std::nullopt;
    std::string_view host = text.substr(0, colon);
    const std::string_view port = text.substr(colon + 1);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']')
            return std::nullopt;
        host = host.substr(1, host.size() - 2);
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc {} || end != port.data() + port.size() || value > 65535)
        return std::nullopt;
    return ListenAddress { std::string(host), static_cast<uint16_t>(value) };
}

namespace {

po::options_description describe()
{
    po::options_description d("sotto-gateway options");
    // clang-format off
    d.add_options()
        ("help,h", "print this help and exit")
        ("config", po::value<std::string>(),
            "FILE of \"option = value\" lines (the long names below): part of what the TEE "
            "measures, so its settings win over the command line")
        ("listen", po::value<std::string>()->default_value("127.0.0.1:8081"),
            "HOST:PORT of the gateway endpoints (port 0: any free port)")
        ("metrics", po::value<std::string>()->default_value("127.0.0.1:9464"),
            "HOST:PORT of GET /metrics; must be a loopback address (port 0: any)")
        ("attestation", po::value<std::string>()->default_value("auto"),
            "auto | configfs-tsm | sev-guest | simulated")
        ("simulated-dir", po::value<std::string>(),
            "directory of the simulated TEE's test chain (--attestation simulated)")
        ("release", po::value<std::string>(), "the release statement JSON this gateway runs as")
        ("log-index", po::value<uint64_t>()->default_value(0),
            "the release statement's index in the transparency log")
        ("issuer-keys", po::value<std::string>(),
            "the issuer keys JSON published by the component (reloaded on SIGHUP); required")
        ("origin", po::value<std::string>(),
            "the gateway origin of the TokenChallenge (origin_info); required")
        ("redis", po::value<std::string>(),
            "HOST:PORT of the Redis that holds spent tokens (otherwise kept in memory)")
        ("engine", po::value<std::string>()->default_value("builtin"),
            "builtin | llm | echo (echo: tests and benchmarks only)")
        ("llm", po::value<std::string>()->default_value("127.0.0.1:8080"),
            "--engine llm: HOST:PORT of the OpenAI-compatible model server in the VM (loopback)")
        ("llm-model", po::value<std::string>()->default_value("default"),
            "--engine llm: the model name the server knows")
        ("key-rotation", po::value<int64_t>()->default_value(3600),
            "seconds between HPKE key rotations (each key is accepted for two periods)")
        ("max-request-bytes", po::value<size_t>()->default_value(128 * 1024),
            "largest Encapsulated Request accepted")
        ("deadline-ms", po::value<int64_t>()->default_value(10'000),
            "per-request deadline, from request read to answer")
        ("queue", po::value<size_t>()->default_value(256),
            "requests that may wait for a worker; beyond that 503 at once")
        ("workers", po::value<size_t>()->default_value(0),
            "worker threads (0: one per core)");
    // clang-format on
    if (isCanaryBuild()) {
        d.add_options()("allow-core-dump",
            "CANARY TEST BUILD ONLY: keep the process dumpable so a test can gcore it");
    }
    return d;
}

} // namespace

std::string helpText()
{
    std::ostringstream out;
    out << "Usage: sotto-gateway --issuer-keys FILE --origin NAME [options]\n\n"
        << "The Sotto Oblivious HTTP gateway (RFC 9458): POST /gateway, GET /ohttp-keys,\n"
        << "GET /evidence?nonce=<64 hex>, GET /healthz; GET /metrics on the metrics listener.\n"
        << "Prints \"sotto-gateway listening on http://HOST:PORT\" when ready.\n\n"
        << describe();
    if (isCanaryBuild())
        out << "\nTHIS IS THE CANARY TEST BUILD. Never deploy it.\n";
    return out.str();
}

Result<GatewayOptions, OptionsError> parseOptions(int argc, const char *const *argv)
{
    po::variables_map vm;
    std::string configFile;
    try {
        const auto desc = describe();
        const auto commandLine = po::command_line_parser(argc, argv).options(desc).run();
        // The configuration file is stored first: boost keeps the first value
        // stored for an option, so what the measurement covers is what runs.
        for (const auto &opt : commandLine.options)
            if (opt.string_key == "config" && !opt.value.empty())
                configFile = opt.value.back();
        if (!configFile.empty()) {
            std::ifstream in(configFile);
            if (!in)
                return fail(OptionsError::BadValue, "--config: cannot read " + configFile);
            const auto parsed = po::parse_config_file(in, desc);
            for (const auto &opt : parsed.options)
                if (opt.string_key == "config" || opt.string_key == "help"
                    || opt.string_key == "allow-core-dump")
                    return fail(OptionsError::BadValue,
                        "--config: " + opt.string_key + " belongs on the command line");
            po::store(parsed, vm);
        }
        po::store(commandLine, vm);
        po::notify(vm);
    } catch (const std::exception &e) {
        return fail(OptionsError::BadSyntax, e.what());
    }
    GatewayOptions o;
    o.configFile = configFile;
    if (vm.count("help")) {
        o.help = true;
        return o;
    }
    const auto listen = parseHostPort(vm["listen"].as<std::string>());
    if (!listen)
        return fail(OptionsError::BadValue, "--listen wants HOST:PORT");
    o.listen = *listen;
    const auto metrics = parseHostPort(vm["metrics"].as<std::string>());
    if (!metrics)
        return fail(OptionsError::BadValue, "--metrics wants HOST:PORT");
    if (metrics->host != "127.0.0.1" && metrics->host != "::1" && metrics->host != "localhost")
        return fail(OptionsError::BadValue, "--metrics must be a loopback address");
    o.metrics = *metrics;
    if (o.metrics.host == "localhost")
        o.metrics.host = "127.0.0.1";

    o.attestation = vm["attestation"].as<std::string>();
    if (o.attestation != "auto" && o.attestation != "configfs-tsm" && o.attestation != "sev-guest"
        && o.attestation != "simulated")
        return fail(
            OptionsError::BadValue, "--attestation: auto, configfs-tsm, sev-guest or simulated");
    if (vm.count("simulated-dir"))
        o.simulatedDir = vm["simulated-dir"].as<std::string>();
    if (o.attestation == "simulated" && o.simulatedDir.empty())
        return fail(OptionsError::Missing, "--attestation simulated needs --simulated-dir");
    if (vm.count("release"))
        o.releaseFile = vm["release"].as<std::string>();
    o.logIndex = vm["log-index"].as<uint64_t>();
    if (!vm.count("issuer-keys"))
        return fail(OptionsError::Missing, "--issuer-keys is required");
    o.issuerKeysFile = vm["issuer-keys"].as<std::string>();
    if (!vm.count("origin") || vm["origin"].as<std::string>().empty())
        return fail(OptionsError::Missing, "--origin is required");
    o.origin = vm["origin"].as<std::string>();
    if (vm.count("redis")) {
        const auto redis = parseHostPort(vm["redis"].as<std::string>());
        if (!redis)
            return fail(OptionsError::BadValue, "--redis wants HOST:PORT");
        o.redis = *redis;
    }
    o.engine = vm["engine"].as<std::string>();
    if (o.engine != "builtin" && o.engine != "llm" && o.engine != "echo")
        return fail(OptionsError::BadValue, "--engine: builtin, llm or echo");
    const auto llm = parseHostPort(vm["llm"].as<std::string>());
    if (!llm || (llm->host != "127.0.0.1" && llm->host != "::1"))
        return fail(OptionsError::BadValue,
            "--llm wants a loopback HOST:PORT (the plaintext must not leave the VM)");
    o.llm = *llm;
    o.llmModel = vm["llm-model"].as<std::string>();
    o.keyRotationSeconds = vm["key-rotation"].as<int64_t>();
    if (o.keyRotationSeconds < 1 || o.keyRotationSeconds > 7 * 24 * 3600)
        return fail(OptionsError::BadValue, "--key-rotation: 1 second to 7 days");
    o.maxRequestBytes = vm["max-request-bytes"].as<size_t>();
    if (o.maxRequestBytes < 64 || o.maxRequestBytes > 16 * 1024 * 1024)
        return fail(OptionsError::BadValue, "--max-request-bytes: 64 bytes to 16 MiB");
    o.deadlineMs = vm["deadline-ms"].as<int64_t>();
    if (o.deadlineMs < 1 || o.deadlineMs > 600'000)
        return fail(OptionsError::BadValue, "--deadline-ms: 1 to 600000");
    o.queue = vm["queue"].as<size_t>();
    if (o.queue < 1 || o.queue > 1'000'000)
        return fail(OptionsError::BadValue, "--queue: 1 to 1000000");
    o.workers = vm["workers"].as<size_t>();
    if (o.workers > 1024)
        return fail(OptionsError::BadValue, "--workers: at most 1024");
    o.allowCoreDump = vm.count("allow-core-dump") != 0;
    return o;
}

} // namespace sotto::gateway
