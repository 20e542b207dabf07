// SPDX-License-Identifier: GPL-3.0-or-later
// `sotto release simulated`: the release statement (DESIGN.md "Release
// statement") of a gateway that runs in the simulated TEE, ready for
// `sotto log append`. The measurement and the guest policy are read from a
// report the simulated provider signs for these measured files, so the
// statement says exactly what that gateway's evidence will say.
//
// For a real SEV-SNP release the measurement comes from the image build (the
// launch digest of the CVM image, deploy/cvm/README.md), not from this tool.
#include "protocol/crypto/hash.h"
#include "protocol/crypto/random.h"
#include "protocol/formats/release_statement.h"
#include "protocol/snp/report.h"
#include "tee-backend/attestation/provider.h"
#include "tools/sotto/cli_options.h"
#include "tools/sotto/commands.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <string>

namespace sotto::cli {
namespace {

int usage()
{
    std::fprintf(stderr,
        "usage: sotto release simulated --dir DIR --measure FILE [--measure FILE]...\n"
        "                               --source COMMIT [--version V] [--issued RFC3339]\n"
        "           print the release statement of a gateway in the simulated TEE whose\n"
        "           test chain is kept in DIR and whose measurement covers FILE...\n"
        "           (the image digest is the SHA-256 of the measured files, in order)\n");
    return kExitUsage;
}

int failed(const std::string &detail)
{
    std::fprintf(stderr, "sotto release: %s\n", detail.c_str());
    return kExitFailure;
}

std::string nowRfc3339()
{
    const std::time_t now = std::time(nullptr);
    std::tm utc {};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

int simulated(Args args)
{
    Options opts({ "--dir", "--measure", "--source", "--version", "--issued" }, {}, { "--measure" });
    if (!opts.parse(args) || !opts.positional().empty()) {
        if (!opts.error().empty())
            std::fprintf(stderr, "sotto release: %s\n", opts.error().c_str());
        return usage();
    }
    if (!opts.has("--dir") || !opts.has("--measure") || !opts.has("--source"))
        return usage();

    attestation::ProviderOptions options;
    options.kind = "simulated";
    options.simulatedDir = *opts.value("--dir");
    Bytes measuredBytes;
    for (const std::string &file : opts.values("--measure")) {
        options.measuredFiles.emplace_back(file);
        const auto content = readWholeFile(file);
        if (!content)
            return failed("cannot read " + file);
        measuredBytes.insert(measuredBytes.end(), content->begin(), content->end());
    }
    auto provider = attestation::openProvider(options);
    if (!provider)
        return failed(provider.detail());
    // Any REPORT_DATA will do: only the launch-time fields are read back.
    auto evidence = (*provider)->attest(crypto::randomBytes(64));
    if (!evidence)
        return failed(evidence.detail());
    auto report = snp::AttestationReport::parse(evidence->report);
    if (!report)
        return failed("the simulated provider signed an invalid report: " + report.detail());

    char policy[24];
    std::snprintf(policy, sizeof policy, "0x%llx",
        static_cast<unsigned long long>(report->policy().raw));
    const nlohmann::json statement = {
        { "schema", "sotto-release/0" },
        { "platform", "sev-snp" },
        { "measurement", toHex(report->measurement()) },
        { "policy", policy },
        { "version", opts.value("--version").value_or(SOTTO_VERSION) },
        { "source", *opts.value("--source") },
        { "image", "sha256:" + toHex(crypto::sha256(measuredBytes)) },
        { "issued", opts.value("--issued").value_or(nowRfc3339()) },
    };
    auto canonical = formats::canonicalReleaseStatement(statement.dump());
    if (!canonical)
        return failed(canonical.detail());
    std::printf("%s\n", canonical->c_str());
    return kExitOk;
}

} // namespace

int runRelease(Args args)
{
    if (args.empty())
        return usage();
    if (args[0] == "simulated")
        return simulated(args.subspan(1));
    return usage();
}

} // namespace sotto::cli
