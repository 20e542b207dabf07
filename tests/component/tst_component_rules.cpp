// SPDX-License-Identifier: GPL-3.0-or-later
// The Qt-free rules of sotto-component: the configuration parser (the shipped example and
// every kind of mistake, with line numbers), who may ask, what a well-formed issuance request
// is, the quota arithmetic, the epoch keys on disk, and the discovery form's fields.
#include "plugin/server/component_config.h"
#include "plugin/server/discovery_form.h"
#include "plugin/server/issuer_keys.h"
#include "plugin/server/token_issuance.h"

#include "protocol/tlog/base64.h"

#include "tests/support/result_assert.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/stat.h>

namespace sotto::component {
namespace {

namespace fs = std::filesystem;

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::string &exampleConfig()
{
    static const std::string text
        = readFile(SOTTO_TEST_DATA_DIR "/../../deploy/prosody/component.conf.example");
    return text;
}

// A private temporary folder, removed at the end of the test.
struct TempDir {
    TempDir()
    {
        std::string t = (fs::temp_directory_path() / "sotto-component-XXXXXX").string();
        path = ::mkdtemp(t.data());
    }
    ~TempDir() { fs::remove_all(path); }
    std::string path;
};

// One key for the whole suite: RSA-2048 generation is slow on a loaded machine.
const IssuerKey &suiteKey()
{
    static TempDir dir;
    static std::shared_ptr<IssuerKey> key = [] {
        auto k = loadOrCreateEpochKey(dir.path, 1000, 86400, true);
        EXPECT_RESULT_OK(k);
        return k.ok() ? *k : nullptr;
    }();
    return *key;
}

std::string replaceLine(std::string text, const std::string &from, const std::string &to)
{
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos)
        text.replace(at, from.size(), to);
    return text;
}

// ---- configuration -------------------------------------------------------------------

TEST(ComponentConfig, ShippedExampleIsValid)
{
    ASSERT_FALSE(exampleConfig().empty());
    auto c = parseComponentConfig(exampleConfig());
    ASSERT_RESULT_OK(c);
    EXPECT_EQ(c->jid, "pp.example.org");
    EXPECT_EQ(c->serverPort, 5347);
    EXPECT_EQ(c->domains, std::vector<std::string> { "example.org" });
    EXPECT_TRUE(c->allow.empty());
    EXPECT_EQ(c->quotaPerDay, 50u);
    EXPECT_EQ(c->batchLimit, 20u);
    EXPECT_EQ(c->issuerName, "pp.example.org");
    EXPECT_EQ(c->relayUrls.size(), 1u);
    EXPECT_EQ(c->teePlatforms, (std::vector<std::string> { "milan", "genoa", "turin" }));
    EXPECT_EQ(c->features.size(), 5u);
    EXPECT_FALSE(c->allowSimulated);
    EXPECT_EQ(c->maxRequestBytes, 65536u);
}

TEST(ComponentConfig, EveryMistakeIsReportedWithItsLine)
{
    struct Case {
        std::string from, to, expected;
    };
    const std::vector<Case> cases {
        { "quota-per-day = 50", "quota-per-day = 0",
            "quota-per-day: expected a whole number from 1" },
        { "quota-per-day = 50", "quota-per-day = many", "got \"many\"" },
        { "batch-limit = 20", "batch-limit = 1001", "batch-limit: expected a whole number" },
        { "server-port = 5347", "server-port = 70000", "server-port: expected a whole number" },
        { "server-port = 5347", "server-port = 5347\nserver-port = 5348", "is set twice" },
        { "jid = pp.example.org", "jid = PP.Example.org", "not a lower-case domain name" },
        { "secret = change-me-to-a-long-random-string", "secret = short",
            "shorter than 16 characters" },
        { "state-dir = /var/lib/sotto-component", "state-dir = relative/path",
            "not an absolute path" },
        { "relay-url = https://relay.example.net/relay", "relay-url = ftp://relay.example.net/",
            "not an absolute http(s) URL" },
        { "relay-url = https://relay.example.net/relay",
            "relay-url = https://relay.example.net/relay\nrelay-url = "
            "https://relay.example.net/relay",
            "is listed twice" },
        { "gateway-origin = gateway.example.com", "gateway-origin = gateway.example.com/path",
            "not a host[:port]" },
        { "log-key = log.example.com+e6aa887b+", "log-key = log.example.com+e6aa887c+",
            "is not a signed-note verifier key" },
        { "tee-platform = turin", "tee-platform = sapphire-rapids",
            "is not milan, genoa or turin" },
        { "tee-min-tcb = bootloader=3,tee=0,snp=8,microcode=115", "tee-min-tcb = snp=256",
            "with N from 0 to 255" },
        { "tee-min-tcb = bootloader=3,tee=0,snp=8,microcode=115", "tee-min-tcb = sev=1",
            "is not bootloader=N" },
        { "allow-simulated = false", "allow-simulated = maybe", "expected true or false" },
        { "feature = summarize", "feature = translate", "is not one of summarize" },
        { "max-request-bytes = 65536", "max-request-bytes = 10", "max-request-bytes" },
        { "witness-quorum = 0", "witness-quorum = 1", "larger than the 0 witness-key" },
        { "# allow = alice@example.org", "allow = alice@example.net",
            "alice@example.net is not in any configured domain" },
        { "# allow = alice@example.org", "allow = Alice", "is not a bare JID" },
        { "[service]", "[services]", "unknown section [services]" },
        { "quota-per-day = 50", "quota-per-dya = 50", "unknown key 'quota-per-dya' in [issuance]" },
        { "quota-per-day = 50", "quota-per-day 50", "expected 'key = value'" },
        { "quota-per-day = 50", "quota-per-day =", "has an empty value" },
        { "[issuance]", "[issuance", "must end with ']'" },
        { "domain = example.org", "domain = pp.example.org", "also listed as a user domain" },
        { "relay-url = https://relay.example.net/relay", "",
            "missing key: 'relay-url' in [service]" },
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(c.to);
        auto r = parseComponentConfig(replaceLine(exampleConfig(), c.from, c.to));
        ASSERT_TRUE(test::failsWith(r, ConfigError::Invalid));
        EXPECT_NE(r.detail().find(c.expected), std::string::npos) << r.detail();
        if (c.expected.find("missing") == std::string::npos
            && c.expected.find("larger than") == std::string::npos
            && c.expected.find("configured domain") == std::string::npos
            && c.expected.find("also listed") == std::string::npos) {
            EXPECT_EQ(r.detail().rfind("line ", 0), 0u) << r.detail();
        }
    }
}

TEST(ComponentConfig, ReportsAllProblemsAtOnceAndKeysBeforeSections)
{
    auto r = parseComponentConfig("stray = 1\n[component]\njid = a..b\nfoo = bar\n");
    ASSERT_TRUE(test::failsWith(r, ConfigError::Invalid));
    EXPECT_NE(r.detail().find("line 1: key 'stray' before the first [section]"), std::string::npos);
    EXPECT_NE(r.detail().find("line 4: unknown key 'foo'"), std::string::npos);
    EXPECT_NE(r.detail().find("missing key: 'secret' in [component]"), std::string::npos);
    EXPECT_NE(r.detail().find("missing key: 'domain' in [issuance]"), std::string::npos);
}

TEST(ComponentConfig, EveryPrefixOfTheExampleParsesOrFailsCleanly)
{
    const std::string &full = exampleConfig();
    for (size_t n = 0; n < full.size(); ++n) {
        auto r = parseComponentConfig(std::string_view(full).substr(0, n));
        if (!r.ok()) {
            EXPECT_EQ(r.error(), ConfigError::Invalid);
        }
    }
}

TEST(ComponentConfig, AllowGroupsFromProsodysGroupsFile)
{
    const std::string groups = "lonely@example.org\n"
                               "[Staff]\n"
                               "alice@example.org=Alice A.\n"
                               "  Bob@Example.org \n"
                               "not a jid\n"
                               "[+Friends]\n"
                               "carol@example.org\n"
                               "[Empty]\n";
    auto staff = readGroupMembers(groups, { "Staff", "Friends" });
    ASSERT_RESULT_OK(staff);
    EXPECT_EQ(*staff,
        (std::vector<std::string> { "alice@example.org", "bob@example.org", "carol@example.org" }));
    auto empty = readGroupMembers(groups, { "Empty" });
    ASSERT_RESULT_OK(empty);
    EXPECT_TRUE(empty->empty());
    auto unknown = readGroupMembers(groups, { "Admins" });
    ASSERT_TRUE(test::failsWith(unknown, ConfigError::Invalid));
    EXPECT_NE(unknown.detail().find("no group [Admins]"), std::string::npos);

    TempDir dir;
    const std::string groupsPath = dir.path + "/sharedgroups.txt";
    std::ofstream(groupsPath) << groups;
    const auto write = [&](const std::string &extra) {
        const std::string path = dir.path + "/component.conf";
        std::ofstream(path, std::ios::trunc)
            << replaceLine(exampleConfig(), "# allow = alice@example.org", extra);
        return loadComponentConfig(path);
    };
    auto loaded = write("groups-file = " + groupsPath + "\nallow-group = Staff");
    ASSERT_RESULT_OK(loaded);
    EXPECT_EQ(loaded->allow, (std::vector<std::string> { "alice@example.org", "bob@example.org" }));
    EXPECT_TRUE(restrictedToAllowList(*loaded));
    // An empty group restricts to nobody, it does not open the service to everyone.
    auto nobody = write("groups-file = " + groupsPath + "\nallow-group = Empty");
    ASSERT_RESULT_OK(nobody);
    EXPECT_TRUE(nobody->allow.empty());
    const AccessPolicy policy(nobody->domains, nobody->allow, restrictedToAllowList(*nobody));
    EXPECT_TRUE(test::failsWith(policy.check("alice@example.org/r"), IssuanceError::NotAuthorized));

    auto noFile = write("allow-group = Staff");
    ASSERT_TRUE(test::failsWith(noFile, ConfigError::Invalid));
    EXPECT_NE(noFile.detail().find("allow-group needs groups-file"), std::string::npos);
    auto missing = write("groups-file = " + dir.path + "/none.txt\nallow-group = Staff");
    ASSERT_TRUE(test::failsWith(missing, ConfigError::Unreadable));
    EXPECT_NE(missing.detail().find("groups-file: cannot open"), std::string::npos);
    auto wrongGroup = write("groups-file = " + groupsPath + "\nallow-group = Admins");
    ASSERT_TRUE(test::failsWith(wrongGroup, ConfigError::Invalid));
    EXPECT_NE(wrongGroup.detail().find("no group [Admins]"), std::string::npos);
}

TEST(ComponentConfig, UnreadableFile)
{
    auto r = loadComponentConfig("/nonexistent/sotto/component.conf");
    ASSERT_TRUE(test::failsWith(r, ConfigError::Unreadable));
    EXPECT_NE(r.detail().find("cannot open /nonexistent/sotto/component.conf"), std::string::npos);
}

// ---- who may ask ---------------------------------------------------------------------

TEST(ComponentAccess, BareJids)
{
    EXPECT_EQ(bareJidOf("alice@sotto.test/phone"), "alice@sotto.test");
    EXPECT_EQ(bareJidOf("Alice@Sotto.Test"), "alice@sotto.test");
    EXPECT_EQ(bareJidOf("sotto.test"), "");
    EXPECT_EQ(bareJidOf("@sotto.test"), "");
    EXPECT_EQ(bareJidOf("alice@"), "");
    EXPECT_EQ(bareJidOf("alice@sotto.test/"), "");
    EXPECT_EQ(bareJidOf("a@b@sotto.test"), "");
    EXPECT_EQ(bareJidOf("al ice@sotto.test"), "");
    EXPECT_EQ(bareJidOf(""), "");
}

TEST(ComponentAccess, DomainsAndAllowList)
{
    const AccessPolicy open({ "sotto.test" }, {});
    auto ok = open.check("alice@sotto.test/res");
    ASSERT_RESULT_OK(ok);
    EXPECT_EQ(*ok, "alice@sotto.test");
    auto other = open.check("eve@other.test/res");
    ASSERT_TRUE(test::failsWith(other, IssuanceError::NotAuthorized));
    EXPECT_NE(other.detail().find("other.test is not one of"), std::string::npos);
    // The server itself, another component, a subdomain: not user accounts of the domain.
    EXPECT_TRUE(test::failsWith(open.check("sotto.test"), IssuanceError::NotAuthorized));
    EXPECT_TRUE(test::failsWith(open.check("pp.sotto.test"), IssuanceError::NotAuthorized));
    EXPECT_TRUE(
        test::failsWith(open.check("mallory@evil.sotto.test"), IssuanceError::NotAuthorized));
    EXPECT_TRUE(test::failsWith(open.check(""), IssuanceError::NotAuthorized));

    const AccessPolicy listed({ "sotto.test" }, { "bob@sotto.test" });
    EXPECT_RESULT_OK(listed.check("Bob@sotto.test/x"));
    auto alice = listed.check("alice@sotto.test/x");
    ASSERT_TRUE(test::failsWith(alice, IssuanceError::NotAuthorized));
    EXPECT_NE(alice.detail().find("not on it"), std::string::npos);
}

// ---- issuance requests ---------------------------------------------------------------

Bytes challenge()
{
    privacypass::TokenChallenge c;
    c.issuerName = toBytes("pp.sotto.test");
    c.originInfo = toBytes("gateway.sotto.test");
    auto e = c.encode();
    EXPECT_RESULT_OK(e);
    return e.ok() ? *e : Bytes {};
}

privacypass::ClientRequest clientRequest()
{
    auto r = privacypass::createTokenRequest(challenge(), suiteKey().publicKey);
    EXPECT_RESULT_OK(r);
    return std::move(r).value();
}

IssuanceRequestPayload payloadOf(std::vector<std::string> texts)
{
    return { suiteKey().tokenKeyIdHex(), std::move(texts), false };
}

TEST(ComponentIssuance, ValidBatchSignsAndFinalizes)
{
    auto a = clientRequest();
    auto b = clientRequest();
    auto requests = validateIssuanceRequest(payloadOf({ tlog::base64Encode(a.request.encode()),
                                                tlog::base64Encode(b.request.encode()) }),
        suiteKey(), 20);
    ASSERT_RESULT_OK(requests);
    ASSERT_EQ(requests->size(), 2u);
    auto signatures = signTokenRequests(suiteKey(), *requests);
    ASSERT_RESULT_OK(signatures);
    for (size_t i = 0; i < 2; ++i) {
        auto response = privacypass::TokenResponse::decode((*signatures)[i]);
        ASSERT_RESULT_OK(response);
        auto token
            = privacypass::finalizeToken((i == 0 ? a : b).state, suiteKey().publicKey, *response);
        ASSERT_RESULT_OK(token);
        EXPECT_RESULT_OK(privacypass::verifyToken(*token, suiteKey().publicKey, challenge()));
    }
}

TEST(ComponentIssuance, KeyIdIsCaseInsensitiveHex)
{
    auto a = clientRequest();
    IssuanceRequestPayload p = payloadOf({ tlog::base64Encode(a.request.encode()) });
    for (auto &c : p.tokenKeyId)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_RESULT_OK(validateIssuanceRequest(p, suiteKey(), 20));
}

TEST(ComponentIssuance, RefusalsSayWhy)
{
    const std::string good = tlog::base64Encode(clientRequest().request.encode());
    ASSERT_EQ(good.size(), kTokenRequestBase64Length);
    struct Case {
        IssuanceRequestPayload payload;
        std::string expected;
    };
    Bytes wrongType = clientRequest().request.encode();
    wrongType[1] = 0x01;
    Bytes wrongTruncated = clientRequest().request.encode();
    wrongTruncated[2] ^= 0x01;
    std::string badPadding = good;
    badPadding.back() = 'A'; // 259 bytes need one '=' of padding
    const std::vector<Case> cases {
        { payloadOf({}), "holds no <token-request/>" },
        { payloadOf(std::vector<std::string>(21, good)),
            "21 token requests in one request, at most 20" },
        // 10,000 full-size requests: refused by count, nothing decoded.
        { payloadOf(std::vector<std::string>(10'000, good)), "10000 token requests" },
        { { std::string(64, '0'), { good }, false }, "is not the current issuer key" },
        { { "zz", { good }, false }, "is not the current issuer key" },
        { { "", { good }, false }, "token-key-id attribute is missing" },
        { { suiteKey().tokenKeyIdHex(), { good }, true }, "other than <token-request/>" },
        { payloadOf({ std::string(kTokenRequestBase64Length, '!') }), "not standard base64" },
        { payloadOf({ badPadding }), "not standard base64" },
        { payloadOf({ good.substr(0, 344) }), "expected 348 base64 characters, got 344" },
        { payloadOf({ good + "AAAA" }), "got 352" },
        { payloadOf({ "" }), "got 0" },
        { payloadOf({ tlog::base64Encode(wrongType) }), "token type is not 0x0002" },
        { payloadOf({ tlog::base64Encode(wrongTruncated) }), "truncated_token_key_id" },
        { payloadOf({ good, "x" }), "token-request 1:" },
    };
    for (const auto &c : cases) {
        SCOPED_TRACE(c.expected);
        auto r = validateIssuanceRequest(c.payload, suiteKey(), 20);
        ASSERT_TRUE(test::failsWith(r, IssuanceError::BadRequest));
        EXPECT_NE(r.detail().find(c.expected), std::string::npos) << r.detail();
    }
}

TEST(ComponentIssuance, EveryTruncationAndBitFlipIsRefusedOrSigned)
{
    const Bytes raw = clientRequest().request.encode();
    for (size_t n = 0; n < raw.size(); ++n) {
        auto r = validateIssuanceRequest(
            payloadOf({ tlog::base64Encode(ByteView(raw).first(n)) }), suiteKey(), 20);
        EXPECT_TRUE(test::failsWith(r, IssuanceError::BadRequest)) << n;
    }
    // A flipped bit in the header is refused; one in the blinded message still signs (the
    // issuer cannot tell a blinded message from noise, RFC 9474 Section 7.3) or is out of range.
    for (size_t bit = 0; bit < 8 * 24; ++bit) {
        Bytes flipped = raw;
        flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        auto r
            = validateIssuanceRequest(payloadOf({ tlog::base64Encode(flipped) }), suiteKey(), 20);
        if (bit < 24) {
            EXPECT_TRUE(test::failsWith(r, IssuanceError::BadRequest)) << bit;
        } else if (r.ok()) {
            auto s = signTokenRequests(suiteKey(), *r);
            EXPECT_TRUE(s.ok() || s.error() == IssuanceError::BadRequest);
        }
    }
}

// ---- quota ---------------------------------------------------------------------------

TEST(ComponentQuota, GrantsWhatIsLeft)
{
    auto g = decideQuota(0, 10, 50);
    ASSERT_RESULT_OK(g);
    EXPECT_EQ(g->granted, 10u);
    EXPECT_EQ(g->remainingAfter, 40u);
    g = decideQuota(47, 10, 50);
    ASSERT_RESULT_OK(g);
    EXPECT_EQ(g->granted, 3u);
    EXPECT_EQ(g->remainingAfter, 0u);
    auto none = decideQuota(50, 1, 50);
    ASSERT_TRUE(test::failsWith(none, IssuanceError::PolicyViolation));
    EXPECT_NE(none.detail().find("quota of 50 tokens is used up"), std::string::npos);
    // A lowered quota with more already used than the new limit.
    EXPECT_TRUE(test::failsWith(decideQuota(80, 1, 50), IssuanceError::PolicyViolation));
}

TEST(ComponentQuota, UtcDays)
{
    EXPECT_EQ(utcDay(0), 0);
    EXPECT_EQ(utcDay(86399), 0);
    EXPECT_EQ(utcDay(86400), 1);
    EXPECT_EQ(utcDay(-1), -1);
    EXPECT_EQ(utcDay(-86400), -1);
    EXPECT_EQ(utcDay(-86401), -2);
}

// ---- keys ----------------------------------------------------------------------------

TEST(ComponentKeys, CreatedPrivateReloadedAndRotated)
{
    TempDir dir;
    const std::string keys = dir.path + "/keys";
    const int64_t period = 86400;
    const int64_t t0 = 500 * period + 10;
    auto ring = IssuerKeyRing::open(keys, 1, t0);
    ASSERT_RESULT_OK(ring);
    for (int64_t e : { 500, 501 }) {
        struct stat st { };
        ASSERT_EQ(::stat((keys + "/issuer-key-" + std::to_string(e) + ".pem").c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u);
    }
    struct stat dst { };
    ASSERT_EQ(::stat(keys.c_str(), &dst), 0);
    EXPECT_EQ(dst.st_mode & 0777, 0700u);
    EXPECT_FALSE(fs::exists(keys + "/issuer-key-499.pem"));
    const std::string current = ring->current().tokenKeyIdHex();
    ASSERT_EQ(ring->published(t0).size(), 2u);
    const std::string next = ring->published(t0)[1]->tokenKeyIdHex();
    EXPECT_EQ(ring->current().notAfter, 502 * period);

    // A restart loads the same keys.
    auto again = IssuerKeyRing::open(keys, 1, t0 + 5);
    ASSERT_RESULT_OK(again);
    EXPECT_EQ(again->current().tokenKeyIdHex(), current);

    // The next epoch: the pre-published key signs, the old one is still listed.
    ASSERT_RESULT_OK(ring->advance(t0 + period));
    EXPECT_EQ(ring->current().tokenKeyIdHex(), next);
    const auto published = ring->published(t0 + period);
    ASSERT_EQ(published.size(), 3u);
    EXPECT_EQ(published[0]->tokenKeyIdHex(), current);
    EXPECT_TRUE(fs::exists(keys + "/issuer-key-502.pem"));
    // Two epochs on, the first key's tokens have expired and it is no longer published.
    ASSERT_RESULT_OK(ring->advance(t0 + 2 * period));
    for (const IssuerKey *k : ring->published(t0 + 2 * period))
        EXPECT_NE(k->tokenKeyIdHex(), current);

    // The gateway's file: issuer name, each key's SPKI, id and not_after.
    const auto doc = nlohmann::json::parse(again->issuerKeysJson("pp.sotto.test", t0 + 5));
    EXPECT_EQ(doc["issuer_name"], "pp.sotto.test");
    ASSERT_EQ(doc["keys"].size(), 2u);
    EXPECT_EQ(doc["keys"][0]["token_key_id"], current);
    EXPECT_EQ(doc["keys"][0]["not_after"], 502 * period);
    EXPECT_EQ(doc["keys"][1]["not_after"], 503 * period);
    auto spki = tlog::base64Decode(doc["keys"][0]["token_key"].get<std::string>());
    ASSERT_TRUE(spki);
    auto pk = privacypass::IssuerPublicKey::fromSpkiDer(*spki);
    ASSERT_RESULT_OK(pk);
    EXPECT_EQ(toHex(pk->tokenKeyId()), current);
    EXPECT_EQ(doc.size(), 2u);
    EXPECT_EQ(doc["keys"][0].size(), 3u);
}

TEST(ComponentKeys, RefusesReadableOrBrokenKeyFiles)
{
    TempDir dir;
    auto ring = IssuerKeyRing::open(dir.path, 1, 86400 * 10);
    ASSERT_RESULT_OK(ring);
    const std::string path = dir.path + "/issuer-key-10.pem";
    ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
    auto readable = IssuerKeyRing::open(dir.path, 1, 86400 * 10);
    ASSERT_TRUE(test::failsWith(readable, KeyError::Io));
    EXPECT_NE(readable.detail().find("chmod 600"), std::string::npos);

    {
        std::ofstream out(path, std::ios::trunc);
        out << "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n";
    }
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
    auto broken = IssuerKeyRing::open(dir.path, 1, 86400 * 10);
    ASSERT_TRUE(test::failsWith(broken, KeyError::InvalidKey));
    EXPECT_NE(broken.detail().find("issuer-key-10.pem"), std::string::npos);

    auto noDir = IssuerKeyRing::open("/proc/sotto-cannot-exist/keys", 1, 86400);
    EXPECT_TRUE(test::failsWith(noDir, KeyError::Io));
}

// ---- the form ------------------------------------------------------------------------

TEST(ComponentForm, CarriesEveryDesignField)
{
    auto c = parseComponentConfig(exampleConfig());
    ASSERT_RESULT_OK(c);
    const auto fields = discoveryFormFields(*c, suiteKey().spki);
    ASSERT_FALSE(fields.empty());
    EXPECT_EQ(fields[0].var, "FORM_TYPE");
    EXPECT_EQ(fields[0].type, "hidden");
    EXPECT_EQ(fields[0].values, std::vector<std::string> { "urn:sotto:pp:0" });
    std::set<std::string> vars;
    for (const auto &f : fields)
        EXPECT_TRUE(vars.insert(f.var).second) << f.var << " twice";
    for (const char *v : { "relay-url", "gateway-origin", "keys-url", "evidence-url", "log-url",
             "log-key", "witness-key", "witness-quorum", "issuer-name", "token-key", "tee-platform",
             "tee-min-tcb", "allow-simulated", "feature", "max-request-bytes", "quota-per-day" })
        EXPECT_TRUE(vars.contains(v)) << v;
    for (const auto &f : fields) {
        if (f.var == "token-key") {
            EXPECT_EQ(f.values, std::vector<std::string> { tlog::base64Encode(suiteKey().spki) });
        }
        if (f.var == "allow-simulated") {
            EXPECT_EQ(f.values, std::vector<std::string> { "false" });
        }
        if (f.var == "tee-platform") {
            EXPECT_EQ(f.type, "list-multi");
        }
    }
}

} // namespace
} // namespace sotto::component
