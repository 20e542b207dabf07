// SPDX-License-Identifier: GPL-3.0-or-later
// Keeps the OHTTP fuzz seeds honest: the constants of
// tests/fuzz/fuzz_ohttp_fixture.h are those of RFC 9458 Appendix A, the
// Appendix A seeds are the RFC's bytes, and every file under
// tests/fuzz/corpus/ohttp_*/ is exactly what the fixture builds (and none is
// missing or extra).
#include "tests/fuzz/fuzz_ohttp_fixture.h"
#include "tests/ohttp/ohttp_test_util.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

using namespace sotto;
using namespace sotto::ohttp;
using sotto::ohttp::fixtures::AppendixA;
using sotto::test::hex;

namespace {

const char *const kCorpusDirs[] = { "ohttp_keys", "ohttp_request", "ohttp_response" };

std::string corpusPath(const std::string &relative)
{
    return sotto::test::dataPath("../fuzz/corpus/" + relative);
}

TEST(OhttpFuzzSeedsTest, FixtureConstantsAreAppendixA)
{
    const AppendixA a = AppendixA::load();
    EXPECT_EQ(hex(fuzzfixture::kGatewaySkR), a.gatewaySkR);
    EXPECT_EQ(hex(fuzzfixture::kClientSkE), a.clientSkE);
    EXPECT_EQ(hex(fuzzfixture::kKeyConfig), a.keyConfig);
    EXPECT_EQ(hex(fuzzfixture::kRequestBhttp), a.requestBhttp);
    EXPECT_EQ(hex(fuzzfixture::kResponseBhttp), a.responseBhttp);
    EXPECT_EQ(hex(fuzzfixture::kResponseNonce), a.responseNonce);
}

TEST(OhttpFuzzSeedsTest, AppendixASeedsAreTheRfcBytes)
{
    const AppendixA a = AppendixA::load();
    std::map<std::string, Bytes> seeds;
    for (auto &[name, bytes] : fuzzfixture::seedFiles())
        seeds[name] = bytes;
    EXPECT_EQ(seeds["ohttp_keys/rfc9458_a_key_config"], a.keyConfig);
    EXPECT_EQ(seeds["ohttp_keys/rfc9458_a_ohttp_keys"], a.ohttpKeys);
    EXPECT_EQ(seeds["ohttp_request/rfc9458_a_x25519_aes128gcm"], a.encapsulatedRequest);
    EXPECT_EQ(seeds["ohttp_response/rfc9458_a_x25519_aes128gcm"], a.encapsulatedResponse);
}

TEST(OhttpFuzzSeedsTest, CorpusFilesAreWhatTheFixtureBuilds)
{
    std::set<std::string> expected;
    for (const auto &[name, bytes] : fuzzfixture::seedFiles()) {
        SCOPED_TRACE(name);
        expected.insert(name);
        const std::string file = sotto::test::readFile("../fuzz/corpus/" + name);
        EXPECT_EQ(Bytes(file.begin(), file.end()), bytes);
    }
    std::set<std::string> present;
    for (const char *dir : kCorpusDirs) {
        for (const auto &entry : std::filesystem::directory_iterator(corpusPath(dir)))
            present.insert(std::string(dir) + "/" + entry.path().filename().string());
    }
    EXPECT_EQ(present, expected);
}

TEST(OhttpFuzzSeedsTest, RequestSeedsDecapsulateAndResponseSeedsOpen)
{
    const Gateway gateway = fuzzfixture::makeGateway();
    for (const fuzzfixture::Exchange &e : fuzzfixture::makeExchanges(gateway)) {
        SCOPED_TRACE(e.name);
        const auto atGateway = gateway.decapsulateRequest(e.request.encapsulated);
        ASSERT_OHTTP_OK(atGateway);
        EXPECT_EQ(atGateway->request.reveal(), hex(fuzzfixture::kRequestBhttp));
        const std::string seed
            = sotto::test::readFile(std::string("../fuzz/corpus/ohttp_response/") + e.name);
        const auto opened = e.request.context.decapsulateResponse(asBytes(seed));
        ASSERT_OHTTP_OK(opened);
        EXPECT_EQ(opened->reveal(), hex(fuzzfixture::kResponseBhttp));
    }
}

} // namespace
