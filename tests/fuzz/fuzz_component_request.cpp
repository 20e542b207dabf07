// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for sotto-component's Qt-free input handling. The first byte picks:
//   0: the configuration parser (the rest is the text of component.conf);
//   1: the issuance request check: the rest is lines, the first the token-key-id attribute,
//      each further one the text of a <token-request/> (what the XML layer extracts).
// Besides "no crash, no leak" it checks that an accepted configuration has what the
// component relies on, and that every accepted TokenRequest re-encodes to its input.
//
// The issuer key is RFC 9578's test vector key (pkS of tests/data/privacypass/
// rfc9578-type2-vectors.json). Seeds (corpus/component_request/): the shipped example
// configuration (deploy/prosody/component.conf.example) and that vector's token_request
// with the key id SHA-256(pkS), alone and twice.
#include "plugin/server/component_config.h"
#include "plugin/server/token_issuance.h"

#include "protocol/tlog/base64.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace sotto;
using namespace sotto::component;

namespace {

const char kPkSHex[]
    = "30820152303d06092a864886f70d01010a3030a00d300b0609608648016503040202a11a301806092a864886"
      "f70d010108300b0609608648016503040202a2030201300382010f003082010a0282010100cb1aed6b6a95f5"
      "b1ce013a4cfcab25b94b2e64a23034e4250a7eab43c0df3a8c12993af12b111908d4b471bec31d4b6c9ad9cd"
      "da90612a2ee903523e6de5a224d6b02f09e5c374d0cfe01d8f529c500a78a2f67908fa682b5a2b430c81eaf1"
      "af72d7b5e794fc98a3139276879757ce453b526ef9bf6ceb99979b8423b90f4461a22af37aab0cf5733f7597"
      "abe44d31c732db68a181c6cbbe607d8c0e52e0655fd9996dc584eca0be87afbcd78a337d17b1dba9e828bbd8"
      "1e291317144e7ff89f55619709b096cbb9ea474cead264c2073fe49740c01f00e109106066983d21e5f83f08"
      "6e2e823c879cd43cef700d2a352a9babd612d03cad02db134b7e225a5f0203010001";

const IssuerKey &vectorKey()
{
    static const IssuerKey key = [] {
        IssuerKey k;
        k.spki = *fromHex(kPkSHex);
        auto pk = privacypass::IssuerPublicKey::fromSpkiDer(k.spki);
        if (!pk.ok())
            std::abort();
        k.publicKey = *pk;
        return k;
    }();
    return key;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const std::string_view in(reinterpret_cast<const char *>(data) + 1, size - 1);
    if (data[0] % 2 == 0) {
        auto config = parseComponentConfig(in);
        if (config.ok()
            && (config->jid.empty() || config->secret.size() < 16 || config->domains.empty()
                || config->relayUrls.empty() || config->features.empty()
                || config->issuerName.empty()))
            std::abort();
        return 0;
    }
    IssuanceRequestPayload payload;
    size_t start = 0;
    bool first = true;
    while (start <= in.size()) {
        const size_t nl = in.find('\n', start);
        const std::string_view line
            = in.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        if (first)
            payload.tokenKeyId = std::string(line);
        else if (!line.empty())
            payload.tokenRequests.emplace_back(line);
        first = false;
        if (nl == std::string_view::npos)
            break;
        start = nl + 1;
    }
    auto requests = validateIssuanceRequest(payload, vectorKey(), 20);
    if (requests.ok()) {
        if (requests->size() != payload.tokenRequests.size())
            std::abort();
        for (size_t i = 0; i < requests->size(); ++i) {
            if (tlog::base64Encode((*requests)[i].encode()) != payload.tokenRequests[i])
                std::abort();
        }
    }
    return 0;
}
