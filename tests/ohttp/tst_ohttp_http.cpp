// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP facts of RFC 9458: media types (Section 9), the plain answers a
// gateway gives when decapsulation fails (Sections 5.2, 5.3, 6.4, 9.5), and
// error names.
#include "protocol/ohttp/http.h"
#include "tests/ohttp/ohttp_test_util.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace sotto;
using namespace sotto::ohttp;

namespace {

const OhttpError kAllErrors[] = { OhttpError::Truncated, OhttpError::UnknownKeyId,
    OhttpError::UnsupportedKem, OhttpError::UnsupportedKdf, OhttpError::UnsupportedAead,
    OhttpError::InvalidEncapsulatedKey, OhttpError::DecryptionFailed, OhttpError::InvalidKeyConfig,
    OhttpError::InvalidKeyList, OhttpError::NoSupportedKeyConfig, OhttpError::DuplicateKeyId,
    OhttpError::ResponseTooShort, OhttpError::InvalidArgument, OhttpError::Internal };

TEST(OhttpHttpTest, MediaTypes)
{
    EXPECT_EQ(kMediaTypeKeys, "application/ohttp-keys");
    EXPECT_EQ(kMediaTypeRequest, "message/ohttp-req");
    EXPECT_EQ(kMediaTypeResponse, "message/ohttp-res");
    EXPECT_EQ(kMediaTypeBhttp, "message/bhttp");
    EXPECT_EQ(kMediaTypeProblemJson, "application/problem+json");
}

TEST(OhttpHttpTest, KeyProblemsAre400WithTheOhttpKeyProblemType)
{
    // Section 9.5: type ohttp-key, recommended status 400.
    for (OhttpError e :
        { OhttpError::UnknownKeyId, OhttpError::UnsupportedKem, OhttpError::UnsupportedKdf,
            OhttpError::UnsupportedAead, OhttpError::DecryptionFailed }) {
        SCOPED_TRACE(std::string(errorName(e)));
        const GatewayErrorResponse r = gatewayErrorResponse(e);
        EXPECT_EQ(r.status, 400);
        EXPECT_EQ(r.problemType, "https://iana.org/assignments/http-problem-types#ohttp-key");
        EXPECT_EQ(r.title, "Oblivious HTTP key configuration not acceptable");
        EXPECT_EQ(r.problemJson(),
            "{\"type\":\"https://iana.org/assignments/http-problem-types#ohttp-key\","
            "\"title\":\"Oblivious HTTP key configuration not acceptable\"}");
    }
}

TEST(OhttpHttpTest, MalformedRequestsArePlain400)
{
    // Section 5.2: an invalid message gets a 4xx, sent without protection.
    for (OhttpError e : { OhttpError::Truncated, OhttpError::InvalidEncapsulatedKey }) {
        SCOPED_TRACE(std::string(errorName(e)));
        const GatewayErrorResponse r = gatewayErrorResponse(e);
        EXPECT_EQ(r.status, 400);
        EXPECT_TRUE(r.problemType.empty());
        EXPECT_EQ(r.problemJson(), "");
    }
}

TEST(OhttpHttpTest, EveryCodeMapsToA4xxExceptInternal)
{
    for (OhttpError e : kAllErrors) {
        SCOPED_TRACE(std::string(errorName(e)));
        const int status = gatewayErrorResponse(e).status;
        if (e == OhttpError::Internal)
            EXPECT_EQ(status, 500);
        else
            EXPECT_EQ(status, 400);
    }
}

TEST(OhttpHttpTest, DateProblemType)
{
    EXPECT_EQ(kProblemTypeDate, "https://iana.org/assignments/http-problem-types#date");
    EXPECT_EQ(kProblemTitleDate, "Date Not Acceptable");
}

TEST(OhttpErrorTest, NamesAreDistinct)
{
    std::set<std::string> names;
    for (OhttpError e : kAllErrors) {
        const std::string name(errorName(e));
        EXPECT_NE(name, "UnknownOhttpError");
        EXPECT_TRUE(names.insert(name).second) << name;
    }
    EXPECT_EQ(errorName(OhttpError::UnknownKeyId), "UnknownKeyId");
    EXPECT_EQ(errorName(static_cast<OhttpError>(999)), "UnknownOhttpError");
}

} // namespace
