// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/server/discovery_form.h"

#include "protocol/tlog/base64.h"

namespace sotto::component {

std::vector<FormField> discoveryFormFields(const ComponentConfig &c, ByteView currentSpki)
{
    const auto one = [](std::string v) { return std::vector<std::string> { std::move(v) }; };
    return {
        { "FORM_TYPE", "hidden", one(std::string(kServiceFormType)) },
        { "relay-url", "text-multi", c.relayUrls },
        { "gateway-origin", "text-single", one(c.gatewayOrigin) },
        { "keys-url", "text-single", one(c.keysUrl) },
        { "evidence-url", "text-single", one(c.evidenceUrl) },
        { "log-url", "text-single", one(c.logUrl) },
        { "log-key", "text-single", one(c.logKey) },
        { "witness-key", "text-multi", c.witnessKeys },
        { "witness-quorum", "text-single", one(std::to_string(c.witnessQuorum)) },
        { "issuer-name", "text-single", one(c.issuerName) },
        { "token-key", "text-single", one(tlog::base64Encode(currentSpki)) },
        { "tee-platform", "list-multi", c.teePlatforms },
        { "tee-min-tcb", "text-single", one(c.teeMinTcb) },
        { "allow-simulated", "boolean", one(c.allowSimulated ? "true" : "false") },
        { "feature", "list-multi", c.features },
        { "max-request-bytes", "text-single", one(std::to_string(c.maxRequestBytes)) },
        { "quota-per-day", "text-single", one(std::to_string(c.quotaPerDay)) },
    };
}

} // namespace sotto::component
