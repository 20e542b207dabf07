// SPDX-License-Identifier: GPL-3.0-or-later
// TokenWallet: issuance over the channel (RFC 9578 blind RSA with the
// service's issuer key), the 0600 file, refusing a file others can read,
// retired keys, the issuer's refusals mapped to typed errors.
#include "plugin/core/token_wallet.h"
#include "tests/client/support/test_service.h"
#include "tests/client/support/wait.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <sys/stat.h>

#include <gtest/gtest.h>

using namespace sotto;
using namespace sotto::client;
using namespace sotto::client::test;

namespace {

struct Fixture {
    QTemporaryDir dir;
    std::unique_ptr<TestService> service;
    std::unique_ptr<InProcessComponent> channel;
    QString walletPath;

    Fixture()
    {
        service = TestService::create(dir.path());
        if (service)
            channel = std::make_unique<InProcessComponent>(service.get());
        walletPath = dir.filePath(QStringLiteral("profile/tokens.json"));
    }
};

ClientStatus refill(TokenWallet &wallet, const ServiceConfig &config)
{
    Await<ClientStatus> done;
    wallet.refill(config, done.callback());
    EXPECT_TRUE(done.wait());
    return done.value();
}

mode_t modeOf(const QString &path)
{
    struct stat st { };
    EXPECT_EQ(::stat(QFile::encodeName(path).constData(), &st), 0);
    return st.st_mode & 0777;
}

} // namespace

TEST(TokenWallet, RefillFinalizesTokensThatTheIssuerKeyVerifies)
{
    Fixture f;
    ASSERT_TRUE(f.service);
    TokenWallet wallet(f.walletPath, f.channel.get());
    ASSERT_TRUE(wallet.load().ok());
    wallet.setBatchSize(4);
    const ServiceConfig config = f.service->config();
    auto s = refill(wallet, config);
    ASSERT_TRUE(s.ok()) << s.detail();
    EXPECT_EQ(wallet.count(config), 4);
    EXPECT_EQ(wallet.remainingQuota(), 90);
    auto token = wallet.take(config);
    ASSERT_TRUE(token.ok());
    const Bytes challenge = *serviceTokenChallenge(config);
    EXPECT_TRUE(privacypass::verifyToken(*token, f.service->issuer(), challenge).ok());
    EXPECT_EQ(wallet.count(config), 3);
}

TEST(TokenWallet, FileIsOwnerOnlyAndSurvivesAReload)
{
    Fixture f;
    ASSERT_TRUE(f.service);
    const ServiceConfig config = f.service->config();
    {
        TokenWallet wallet(f.walletPath, f.channel.get());
        wallet.setBatchSize(3);
        ASSERT_TRUE(refill(wallet, config).ok());
        ASSERT_TRUE(wallet.take(config).ok());
    }
    EXPECT_EQ(modeOf(f.walletPath), 0600u);
    TokenWallet reloaded(f.walletPath, f.channel.get());
    ASSERT_TRUE(reloaded.load().ok());
    EXPECT_EQ(reloaded.count(config), 2);
}

TEST(TokenWallet, TakenTokenIsNeverHandedOutTwice)
{
    Fixture f;
    ASSERT_TRUE(f.service);
    const ServiceConfig config = f.service->config();
    TokenWallet wallet(f.walletPath, f.channel.get());
    wallet.setBatchSize(2);
    ASSERT_TRUE(refill(wallet, config).ok());
    auto first = wallet.take(config);
    ASSERT_TRUE(first.ok());
    TokenWallet reloaded(f.walletPath, f.channel.get());
    ASSERT_TRUE(reloaded.load().ok());
    auto second = reloaded.take(config);
    ASSERT_TRUE(second.ok());
    EXPECT_NE(first->nonce, second->nonce);
    auto none = reloaded.take(config);
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error(), ClientError::NoTokens);
}

TEST(TokenWallet, FileReadableByOthersIsRefused)
{
    Fixture f;
    ASSERT_TRUE(f.service);
    {
        TokenWallet wallet(f.walletPath, f.channel.get());
        wallet.setBatchSize(1);
        ASSERT_TRUE(refill(wallet, f.service->config()).ok());
    }
    ASSERT_EQ(::chmod(QFile::encodeName(f.walletPath).constData(), 0644), 0);
    TokenWallet wallet(f.walletPath, f.channel.get());
    auto s = wallet.load();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error(), ClientError::WalletStorageFailed);
    EXPECT_NE(s.detail().find("0600"), std::string::npos);
}

TEST(TokenWallet, MalformedFileIsRefused)
{
    Fixture f;
    ASSERT_TRUE(QDir().mkpath(QFileInfo(f.walletPath).absolutePath()));
    QFile file(f.walletPath);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(R"({"version":0,"keys":[{"token_key_id":")" + QByteArray(64, 'a')
        + R"(","issuer":"x","tokens":["AAAA"]}]})");
    file.close();
    ASSERT_TRUE(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    TokenWallet wallet(f.walletPath, nullptr);
    auto s = wallet.load();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error(), ClientError::WalletStorageFailed);
}

TEST(TokenWallet, TokensOfARetiredKeyAreDropped)
{
    Fixture f;
    ASSERT_TRUE(f.service);
    ServiceConfig config = f.service->config();
    TokenWallet wallet(f.walletPath, f.channel.get());
    wallet.setBatchSize(2);
    ASSERT_TRUE(refill(wallet, config).ok());
    ASSERT_EQ(wallet.count(config), 2);
    // The issuer moves to a new key (next epoch): the old tokens are useless.
    ServiceConfig rotated = config;
    auto sk = crypto::BlindRsaPrivateKey::generate(2048);
    auto spki = privacypass::IssuerPublicKey::encodeSpki(sk->publicKey());
    rotated.tokenKey
        = QByteArray(reinterpret_cast<const char *>(spki->data()), static_cast<int>(spki->size()));
    wallet.dropRetiredKeys(rotated);
    EXPECT_EQ(wallet.count(rotated), 0);
    EXPECT_EQ(wallet.count(config), 0);
    TokenWallet reloaded(f.walletPath, nullptr);
    ASSERT_TRUE(reloaded.load().ok());
    EXPECT_EQ(reloaded.count(config), 0);
}

TEST(TokenWallet, QuotaRefusalIsTyped)
{
    Fixture f;
    ASSERT_TRUE(f.service);
    f.channel->tokens = InProcessComponent::Tokens::QuotaReached;
    TokenWallet wallet(f.walletPath, f.channel.get());
    auto s = refill(wallet, f.service->config());
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error(), ClientError::IssuerQuotaReached);
    EXPECT_EQ(userMessage(s.error()), QStringLiteral("Your server refused: daily limit reached"));
}

TEST(TokenWallet, UnreachableIssuerWithAnEmptyWalletIsNoTokens)
{
    Fixture f;
    ASSERT_TRUE(f.service);
    f.channel->tokens = InProcessComponent::Tokens::Unreachable;
    TokenWallet wallet(f.walletPath, f.channel.get());
    Await<ClientResult<privacypass::Token>> done;
    wallet.acquire(f.service->config(), done.callback());
    ASSERT_TRUE(done.wait());
    ASSERT_FALSE(done.value().ok());
    EXPECT_EQ(done.value().error(), ClientError::NoTokens);
    EXPECT_NE(done.value().detail().find("unreachable"), std::string::npos);
}

TEST(TokenWallet, ConcurrentAcquiresShareOneRefill)
{
    Fixture f;
    ASSERT_TRUE(f.service);
    TokenWallet wallet(f.walletPath, f.channel.get());
    wallet.setBatchSize(5);
    wallet.setRefillThreshold(0);
    std::vector<std::unique_ptr<Await<ClientResult<privacypass::Token>>>> waits;
    for (int i = 0; i < 5; ++i) {
        waits.push_back(std::make_unique<Await<ClientResult<privacypass::Token>>>());
        wallet.acquire(f.service->config(), waits.back()->callback());
    }
    for (auto &w : waits) {
        ASSERT_TRUE(w->wait());
        EXPECT_TRUE(w->value().ok()) << w->value().detail();
    }
    EXPECT_EQ(f.channel->tokenRequests, 1);
}
