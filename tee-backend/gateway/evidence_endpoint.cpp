// SPDX-License-Identifier: GPL-3.0-or-later
// GET /evidence?nonce=<64 hex> (DESIGN.md "Evidence bundle"): a fresh report
// whose REPORT_DATA binds the key configs /ohttp-keys serves right now, the
// client's nonce and the time until which those keys are kept
// (protocol/snp/binding.h), with the release statement this gateway runs as.
#include "tee-backend/gateway/gateway_core.h"

#include "protocol/snp/binding.h"

#ifdef SOTTO_GATEWAY_HAVE_ATTESTATION
#include "protocol/formats/evidence.h"
#include "tee-backend/attestation/provider.h"
#endif

namespace sotto::gateway {

namespace {

// The query must be exactly "nonce=" followed by 64 hex digits: nothing else
// is defined, and a strict parser leaves no room for identifying extras.
std::optional<Bytes> nonceFromQuery(std::string_view query)
{
    constexpr std::string_view kPrefix = "nonce=";
    if (query.substr(0, kPrefix.size()) != kPrefix)
        return std::nullopt;
    const std::string_view hex = query.substr(kPrefix.size());
    if (hex.size() != 2 * snp::kEvidenceNonceLength)
        return std::nullopt;
    return fromHex(hex);
}

} // namespace

HttpAnswer GatewayCore::evidence(std::string_view query) const
{
    const auto nonce = nonceFromQuery(query);
    if (!nonce)
        return plainProblem(400, "Bad Request");
#ifdef SOTTO_GATEWAY_HAVE_ATTESTATION
    if (m_evidence.provider == nullptr || m_evidence.releaseStatement.empty())
        return plainProblem(503, "Service Unavailable");
    const auto snapshot = m_keys.current();
    const auto notAfter = static_cast<uint64_t>(snapshot->notAfter);
    auto reportData = snp::evidenceReportData(snapshot->encodedConfigs, *nonce, notAfter);
    if (!reportData.ok())
        return plainProblem(500, "Internal Server Error");
    auto evidence = m_evidence.provider->attest(reportData.value());
    if (!evidence.ok())
        return plainProblem(503, "Service Unavailable");
    formats::EvidenceBundle bundle;
    bundle.provider = evidence->provider;
    bundle.report = std::move(evidence->report);
    bundle.vcek = std::move(evidence->vcek);
    bundle.ask = std::move(evidence->ask);
    bundle.ark = std::move(evidence->ark);
    bundle.keyConfigs = snapshot->encodedConfigs;
    bundle.notAfter = notAfter;
    bundle.release = m_evidence.releaseStatement;
    bundle.logIndex = m_evidence.logIndex;
    HttpAnswer a;
    a.contentType = "application/json";
    a.headers.emplace_back("Cache-Control", "no-store");
    a.body = toBytes(formats::encodeEvidenceBundle(bundle));
    return a;
#else
    // This build has no attestation provider linked (tee-backend/attestation
    // was not built): there is no evidence to give.
    return plainProblem(503, "Service Unavailable");
#endif
}

} // namespace sotto::gateway
