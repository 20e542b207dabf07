// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for OHTTP key configurations (RFC 9458 Section 3): the
// input is parsed both as one Key Config (Section 3.1) and as an
// application/ohttp-keys list (Section 3.2), the bytes a client fetches from
// the network. Besides "no crash, no leak", it checks:
//   - a Key Config that parses is canonical: serialize(parse(x)) == x, and
//     parse(serialize(parse(x))) == parse(x);
//   - a failure is one of the documented codes (InvalidKeyConfig or
//     UnsupportedKem for one config, InvalidKeyList for a list);
//   - a list that parses re-encodes to the same bytes and parses to the same
//     entries; each entry with a config has encoding == config.serialize();
//   - the supported selection is a sub-list whose own encoding parses back to
//     it, and parseSupportedKeyConfigs agrees with it.
//
// Seeds (corpus/ohttp_keys/): rfc9458_a_key_config is the Appendix A key
// config; rfc9458_a_ohttp_keys is it as a one-entry list; and
// rfc9458_a_plus_p256_ohttp_keys adds the P-256 key of fuzz_ohttp_fixture.h.
// tests/ohttp/tst_ohttp_fuzz_seeds.cpp rebuilds them and compares.
#include "protocol/ohttp/key_config.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace sotto;
using namespace sotto::ohttp;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ByteView in(data, size);

    const auto config = KeyConfig::parse(in);
    if (config.ok()) {
        const Bytes wire = config->serialize();
        check(wire == Bytes(in.begin(), in.end()));
        const auto again = KeyConfig::parse(wire);
        check(again.ok() && *again == *config);
        for (const SymmetricSuite &suite : config->supportedSuites())
            check(config->offers(suite));
    } else {
        check(config.error() == OhttpError::InvalidKeyConfig
            || config.error() == OhttpError::UnsupportedKem);
    }

    const auto list = parseKeyConfigList(in);
    if (!list.ok()) {
        check(list.error() == OhttpError::InvalidKeyList);
        check(parseSupportedKeyConfigs(in).error() == OhttpError::InvalidKeyList);
        return 0;
    }
    check(!list->empty());
    const auto reencoded = serializeKeyConfigList(std::span<const KeyConfigListEntry>(*list));
    check(reencoded.ok() && *reencoded == Bytes(in.begin(), in.end()));
    const auto reparsed = parseKeyConfigList(*reencoded);
    check(reparsed.ok() && *reparsed == *list);
    for (const KeyConfigListEntry &entry : *list) {
        if (entry.config) {
            check(entry.config->serialize() == entry.encoding);
            check(entry.config->keyId() == entry.keyId);
            check(static_cast<uint16_t>(entry.config->kem()) == entry.kemId);
        }
    }

    const std::vector<KeyConfig> supported = supportedKeyConfigs(*list);
    const auto selected = parseSupportedKeyConfigs(in);
    if (supported.empty()) {
        check(!selected.ok() && selected.error() == OhttpError::NoSupportedKeyConfig);
        return 0;
    }
    check(selected.ok() && *selected == supported);
    const auto supportedList = serializeKeyConfigList(supported);
    check(supportedList.ok());
    const auto supportedAgain = parseSupportedKeyConfigs(*supportedList);
    check(supportedAgain.ok() && *supportedAgain == supported);
    return 0;
}
