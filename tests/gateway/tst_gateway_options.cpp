// SPDX-License-Identifier: GPL-3.0-or-later
// sotto-gateway's command line.
#include "tee-backend/gateway/options.h"
#include "tests/support/result_assert.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace sotto::gateway {
namespace {

Result<GatewayOptions, OptionsError> parse(std::vector<const char *> args)
{
    args.insert(args.begin(), "sotto-gateway");
    return parseOptions(static_cast<int>(args.size()), args.data());
}

TEST(GatewayOptions, DefaultsAndValues)
{
    auto o = parse({ "--issuer-keys", "k.json", "--origin", "gw.example" });
    ASSERT_RESULT_OK(o);
    EXPECT_EQ(o->listen.host, "127.0.0.1");
    EXPECT_EQ(o->listen.port, 8081);
    EXPECT_EQ(o->keyRotationSeconds, 3600);
    EXPECT_EQ(o->engine, "builtin");
    EXPECT_FALSE(o->redis.has_value());
    EXPECT_FALSE(o->allowCoreDump);

    o = parse({ "--issuer-keys", "k.json", "--origin", "gw.example", "--listen", "[::1]:0",
        "--metrics", "127.0.0.1:0", "--redis", "127.0.0.1:6379", "--engine", "echo",
        "--key-rotation", "60", "--queue", "3", "--workers", "2", "--deadline-ms", "500",
        "--max-request-bytes", "1000", "--attestation", "simulated", "--simulated-dir", "d",
        "--release", "r.json", "--log-index", "7" });
    ASSERT_RESULT_OK(o);
    EXPECT_EQ(o->listen.host, "::1");
    EXPECT_EQ(o->listen.port, 0);
    EXPECT_EQ(o->redis->port, 6379);
    EXPECT_EQ(o->queue, 3u);
    EXPECT_EQ(o->workers, 2u);
    EXPECT_EQ(o->logIndex, 7u);
    o = parse({ "--issuer-keys", "k", "--origin", "gw", "--engine", "llm", "--llm",
        "127.0.0.1:8088", "--llm-model", "m.gguf" });
    ASSERT_RESULT_OK(o);
    EXPECT_EQ(o->llm.port, 8088);
    EXPECT_EQ(o->llmModel, "m.gguf");
}

// --config: the measured settings win over the command line; options that
// only make sense on the command line are refused there.
TEST(GatewayOptions, ConfigFileIsMeasuredAndWins)
{
    char dir[] = "/tmp/tst_gateway_options.XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    const std::string conf = std::string(dir) + "/gateway.conf";
    {
        std::ofstream out(conf);
        out << "# the settings a release is measured with\nengine = echo\norigin = gw.conf\n"
               "key-rotation = 120\n";
    }
    auto o = parse({ "--config", conf.c_str(), "--issuer-keys", "k", "--engine", "builtin",
        "--origin", "gw.cli" });
    ASSERT_RESULT_OK(o);
    EXPECT_EQ(o->configFile, conf);
    EXPECT_EQ(o->engine, "echo");
    EXPECT_EQ(o->origin, "gw.conf");
    EXPECT_EQ(o->keyRotationSeconds, 120);
    EXPECT_EQ(o->issuerKeysFile, "k"); // not in the file: from the command line

    {
        std::ofstream out(conf);
        out << "config = other.conf\n";
    }
    EXPECT_RESULT_ERROR(parse({ "--config", conf.c_str(), "--issuer-keys", "k", "--origin", "g" }),
        OptionsError::BadValue);
    {
        std::ofstream out(conf);
        out << "no-such-option = 1\n";
    }
    EXPECT_RESULT_ERROR(parse({ "--config", conf.c_str(), "--issuer-keys", "k", "--origin", "g" }),
        OptionsError::BadSyntax);
    const std::string missing = std::string(dir) + "/missing.conf";
    EXPECT_RESULT_ERROR(
        parse({ "--config", missing.c_str(), "--issuer-keys", "k", "--origin", "g" }),
        OptionsError::BadValue);
    std::remove(conf.c_str());
    ::rmdir(dir);
}

TEST(GatewayOptions, Refusals)
{
    EXPECT_RESULT_ERROR(parse({ "--origin", "gw" }), OptionsError::Missing);
    EXPECT_RESULT_ERROR(parse({ "--issuer-keys", "k" }), OptionsError::Missing);
    EXPECT_RESULT_ERROR(
        parse({ "--issuer-keys", "k", "--origin", "gw", "--bogus" }), OptionsError::BadSyntax);
    EXPECT_RESULT_ERROR(parse({ "--issuer-keys", "k", "--origin", "gw", "--listen", "8080" }),
        OptionsError::BadValue);
    EXPECT_RESULT_ERROR(parse({ "--issuer-keys", "k", "--origin", "gw", "--listen", "h:99999" }),
        OptionsError::BadValue);
    EXPECT_RESULT_ERROR(
        parse({ "--issuer-keys", "k", "--origin", "gw", "--metrics", "0.0.0.0:9464" }),
        OptionsError::BadValue);
    EXPECT_RESULT_ERROR(parse({ "--issuer-keys", "k", "--origin", "gw", "--engine", "gpt" }),
        OptionsError::BadValue);
    EXPECT_RESULT_ERROR(parse({ "--issuer-keys", "k", "--origin", "gw", "--engine", "llm", "--llm",
                            "10.0.0.7:8080" }),
        OptionsError::BadValue);
    EXPECT_RESULT_ERROR(parse({ "--issuer-keys", "k", "--origin", "gw", "--key-rotation", "0" }),
        OptionsError::BadValue);
    EXPECT_RESULT_ERROR(
        parse({ "--issuer-keys", "k", "--origin", "gw", "--attestation", "simulated" }),
        OptionsError::Missing);
    EXPECT_RESULT_ERROR(
        parse({ "--issuer-keys", "k", "--origin", "gw", "--queue", "x" }), OptionsError::BadSyntax);
    // --allow-core-dump exists only in the canary build (this test links the
    // production options).
    EXPECT_RESULT_ERROR(parse({ "--issuer-keys", "k", "--origin", "gw", "--allow-core-dump" }),
        OptionsError::BadSyntax);
    auto help = parse({ "--help" });
    ASSERT_RESULT_OK(help);
    EXPECT_TRUE(help->help);
    EXPECT_NE(helpText().find("--issuer-keys"), std::string::npos);
}

} // namespace
} // namespace sotto::gateway
