// SPDX-License-Identifier: GPL-3.0-or-later
// Token issuance through a real Prosody (docs/PERFORMANCE.md, "Token issuance through
// Prosody"): a QXmpp client sends one urn:sotto:pp:tokens:0 IQ with 1 or 10 TokenRequests,
// Prosody routes it to sotto-component (XEP-0114), which checks the user and quota (SQLite),
// blind-signs, and answers. Measured in wall time from send to the parsed answer, per token.
// The reference in the same run: the component's own work per token in this process
// (validate the request as the component does, then RFC 9578 Section 6.2 blind-sign), so that
// the difference is what XMPP routing, XML and the quota database add.
//
// Needs what the component tests need: root (Prosody runs as the prosody user) and Debian's
// prosody. Run: build/bench/sotto_bench_component --benchmark_min_time=2
#include "plugin/core/qxmpp_channel.h"
#include "plugin/server/issuer_keys.h"
#include "plugin/server/token_issuance.h"
#include "protocol/privacypass/token.h"
#include "protocol/tlog/base64.h"
#include "tests/component/component_harness.h"
#include "tests/component/prosody_harness.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>

namespace {

using namespace sotto;

struct Stack {
    std::unique_ptr<test::ProsodyHarness> prosody;
    std::unique_ptr<test::ComponentProcess> component;
    std::unique_ptr<client::QXmppChannel> channel;
    privacypass::IssuerPublicKey key;
    Bytes challenge;
    std::string error;
};

std::unique_ptr<Stack> g_stack;

Bytes serviceChallenge()
{
    privacypass::TokenChallenge c;
    c.issuerName = toBytes("pp.sotto.test");
    c.originInfo = toBytes("gateway.sotto.test");
    return *c.encode();
}

// Prosody + component + a logged-in client, once for the whole run.
Stack *stack()
{
    if (g_stack)
        return g_stack->error.empty() ? g_stack.get() : nullptr;
    g_stack = std::make_unique<Stack>();
    Stack &s = *g_stack;
    test::ProsodyOptions o;
    o.users = { { QStringLiteral("alice"), QStringLiteral("alice-pw") } };
    auto h = test::ProsodyHarness::create(o);
    if (!h.ok()) {
        s.error = h.detail();
        return nullptr;
    }
    s.prosody = std::move(h).value();
    test::ComponentSettings settings;
    settings.port = s.prosody->componentPort();
    settings.stateDir = s.prosody->scratchDir() + QStringLiteral("/state");
    settings.quotaPerDay = 1'000'000;
    settings.batchLimit = 10;
    const QString config = s.prosody->scratchDir() + QStringLiteral("/component.conf");
    test::writeComponentConfig(config, settings);
    s.component = std::make_unique<test::ComponentProcess>(config);
    if (!s.component->start() || !s.component->waitForLog(QStringLiteral("connected as"))) {
        s.error = "sotto-component did not connect: " + s.component->log().toStdString();
        return nullptr;
    }
    const auto keys = test::runComponentTool(
        { QStringLiteral("--config"), config, QStringLiteral("--print-issuer-keys") });
    const QJsonObject doc = QJsonDocument::fromJson(keys.out.toUtf8()).object();
    const QString spki = doc.value(QStringLiteral("keys"))
                             .toArray()
                             .first()
                             .toObject()
                             .value(QStringLiteral("token_key"))
                             .toString();
    auto der = tlog::base64Decode(spki.toStdString());
    auto pk = der ? privacypass::IssuerPublicKey::fromSpkiDer(*der)
                  : privacypass::TokenResult<privacypass::IssuerPublicKey>(
                      fail(privacypass::TokenError::InvalidKey, std::string("no key")));
    if (!pk.ok()) {
        s.error = "issuer keys: " + pk.detail();
        return nullptr;
    }
    s.key = *pk;
    s.challenge = serviceChallenge();
    s.channel = std::make_unique<client::QXmppChannel>();
    s.channel->setIqTimeout(600'000);
    client::XmppAccount account;
    account.jid = QStringLiteral("alice@sotto.test");
    account.password = QStringLiteral("alice-pw");
    account.host = QStringLiteral("127.0.0.1");
    account.port = s.prosody->c2sPort();
    s.channel->connectToServer(account);
    if (!test::waitUntil([&] { return s.channel->isConnected(); })) {
        s.error = "the QXmpp client did not log in";
        return nullptr;
    }
    return &s;
}

void BM_IssuanceThroughProsody(benchmark::State &state)
{
    Stack *s = stack();
    if (!s) {
        state.SkipWithError(g_stack->error.c_str());
        return;
    }
    const auto batch = static_cast<size_t>(state.range(0));
    const QString keyId = QString::fromStdString(toHex(s->key.tokenKeyId()));
    for (auto _ : state) {
        state.PauseTiming(); // the client's blinding is not the issuer's cost
        client::XmlElement request(
            QStringLiteral("request"), QStringLiteral("urn:sotto:pp:tokens:0"));
        request.setAttribute(QStringLiteral("token-key-id"), keyId);
        for (size_t i = 0; i < batch; ++i) {
            auto r = privacypass::createTokenRequest(s->challenge, s->key);
            client::XmlElement tr(
                QStringLiteral("token-request"), QStringLiteral("urn:sotto:pp:tokens:0"));
            tr.setText(QString::fromStdString(tlog::base64Encode(r->request.encode())));
            request.appendChild(tr);
        }
        state.ResumeTiming();
        // An event loop that wakes on the answer (no polling delay in the measurement).
        QEventLoop loop;
        client::IqReply reply;
        s->channel->sendIq(QStringLiteral("pp.sotto.test"), client::IqType::Set, request,
            [&](const client::IqReply &r) {
                reply = r;
                loop.quit();
            });
        loop.exec();
        if (!reply.ok()) {
            state.SkipWithError(
                ("issuance failed: " + reply.errorCondition + QStringLiteral(" ") + reply.errorText)
                    .toStdString()
                    .c_str());
            return;
        }
        const auto n = reply.payload.childrenNamed(QStringLiteral("token-response")).size();
        if (static_cast<size_t>(n) != batch) {
            state.SkipWithError("fewer token responses than requests");
            return;
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}
BENCHMARK(BM_IssuanceThroughProsody)->Arg(1)->Arg(10)->UseRealTime()->Unit(benchmark::kMillisecond);

// Context: an XEP-0199 ping to the server itself and to the component (through Prosody's
// component link), the cost of an IQ round trip without any issuance work.
void BM_PingThroughProsody(benchmark::State &state)
{
    Stack *s = stack();
    if (!s) {
        state.SkipWithError(g_stack->error.c_str());
        return;
    }
    const QString to
        = state.range(0) == 0 ? QStringLiteral("sotto.test") : QStringLiteral("pp.sotto.test");
    for (auto _ : state) {
        QEventLoop loop;
        client::IqReply reply;
        s->channel->sendIq(to, client::IqType::Get,
            client::XmlElement(QStringLiteral("ping"), QStringLiteral("urn:xmpp:ping")),
            [&](const client::IqReply &r) {
                reply = r;
                loop.quit();
            });
        loop.exec();
        if (!reply.ok()) {
            state.SkipWithError("ping failed");
            return;
        }
    }
}
BENCHMARK(BM_PingThroughProsody)->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// The reference: what the component does per token, in this process.
void BM_IssuanceInProcess(benchmark::State &state)
{
    static QTemporaryDir dir;
    static auto key = component::loadOrCreateEpochKey(dir.path().toStdString(), 1, 86400, true);
    if (!key.ok()) {
        state.SkipWithError(key.detail().c_str());
        return;
    }
    const component::IssuerKey &k = **key;
    const Bytes challenge = serviceChallenge();
    const auto batch = static_cast<size_t>(state.range(0));
    for (auto _ : state) {
        state.PauseTiming();
        component::IssuanceRequestPayload payload { k.tokenKeyIdHex(), {}, false };
        for (size_t i = 0; i < batch; ++i)
            payload.tokenRequests.push_back(tlog::base64Encode(
                privacypass::createTokenRequest(challenge, k.publicKey)->request.encode()));
        state.ResumeTiming();
        auto requests = component::validateIssuanceRequest(payload, k, 10);
        auto signatures = component::signTokenRequests(k, *requests);
        std::vector<std::string> out;
        for (const auto &sig : *signatures)
            out.push_back(tlog::base64Encode(sig));
        benchmark::DoNotOptimize(out);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
}
BENCHMARK(BM_IssuanceInProcess)->Arg(1)->Arg(10)->UseRealTime()->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    g_stack.reset(); // stops the client, the component and Prosody
    return 0;
}
