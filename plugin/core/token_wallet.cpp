// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/token_wallet.h"

#include "plugin/core/private_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTemporaryFile>
#include <QTimer>

#include <cstdio>

Q_LOGGING_CATEGORY(lcWallet, "sotto.client.wallet")

namespace sotto::client {

namespace {

Failure<ClientError> storage(const QString &why)
{
    return fail(ClientError::WalletStorageFailed, why.toStdString());
}

QByteArray toQt(ByteView b)
{
    return QByteArray(reinterpret_cast<const char *>(b.data()), static_cast<int>(b.size()));
}

Bytes fromQt(const QByteArray &a)
{
    return Bytes(a.begin(), a.end());
}


} // namespace

ClientResult<Bytes> serviceTokenChallenge(const ServiceConfig &service)
{
    privacypass::TokenChallenge challenge;
    challenge.issuerName = toBytes(service.issuerName.toStdString());
    challenge.originInfo = toBytes(service.gatewayOrigin.toStdString());
    auto encoded = challenge.encode();
    if (!encoded.ok())
        return fail(ClientError::ServiceFormInvalid, "token challenge: " + encoded.detail());
    return std::move(encoded).value();
}

TokenWallet::TokenWallet(QString filePath, XmppChannel *channel, QObject *parent)
    : QObject(parent)
    , m_path(std::move(filePath))
    , m_channel(channel)
{ }

ClientStatus TokenWallet::load()
{
    m_keys.clear();
    QFile file(m_path);
    if (!file.exists())
        return Done {};
    // Tokens are bearer credentials: a file others can read is not used.
    if ((file.permissions() & ~kOwnerOnly & ~(QFileDevice::ReadUser | QFileDevice::WriteUser)) != 0)
        return storage(m_path + QStringLiteral(" can be read by other users (must be 0600)"));
    if (!file.open(QIODevice::ReadOnly))
        return storage(m_path + QStringLiteral(": ") + file.errorString());
    QJsonParseError error {};
    const auto doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()
        || doc.object().value(QStringLiteral("version")).toInt(-1) != 0)
        return storage(m_path + QStringLiteral(" is not a version 0 wallet"));
    for (const auto &k : doc.object().value(QStringLiteral("keys")).toArray()) {
        const auto o = k.toObject();
        const QString id = o.value(QStringLiteral("token_key_id")).toString();
        if (id.size() != 64)
            return storage(m_path + QStringLiteral(": a token_key_id is not 32 bytes of hex"));
        KeyTokens entry;
        entry.issuer = o.value(QStringLiteral("issuer")).toString().toStdString();
        for (const auto &t : o.value(QStringLiteral("tokens")).toArray()) {
            const Bytes token = fromQt(QByteArray::fromBase64(t.toString().toLatin1()));
            if (!privacypass::Token::decode(token).ok())
                return storage(m_path + QStringLiteral(": a stored token is malformed"));
            entry.tokens.push_back(token);
        }
        m_keys[id.toStdString()] = std::move(entry);
    }
    return Done {};
}

ClientStatus TokenWallet::save(bool durable) const
{
    QJsonArray keys;
    for (const auto &[id, entry] : m_keys) {
        QJsonArray tokens;
        for (const auto &t : entry.tokens)
            tokens.append(QString::fromLatin1(toQt(t).toBase64()));
        keys.append(QJsonObject { { QStringLiteral("token_key_id"), QString::fromStdString(id) },
            { QStringLiteral("issuer"), QString::fromStdString(entry.issuer) },
            { QStringLiteral("tokens"), tokens } });
    }
    const QJsonObject root { { QStringLiteral("version"), 0 }, { QStringLiteral("keys"), keys } };
    const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Compact);
    if (durable) {
        // A crash leaves the old wallet or the new one, never half of one; the
        // temporary file is restricted before any token is in it.
        if (const auto why = savePrivateFile(m_path, bytes))
            return storage(*why);
    } else {
        const QFileInfo info(m_path);
        if (!QDir().mkpath(info.absolutePath()))
            return storage(QStringLiteral("cannot create ") + info.absolutePath());
        // The same atomic replacement without the fsync. QTemporaryFile
        // creates the file 0600.
        QTemporaryFile file(m_path + QStringLiteral(".XXXXXX"));
        if (!file.open())
            return storage(m_path + QStringLiteral(": ") + file.errorString());
        if (file.write(bytes) != bytes.size() || !file.flush())
            return storage(m_path + QStringLiteral(": ") + file.errorString());
        if (std::rename(QFile::encodeName(file.fileName()).constData(),
                QFile::encodeName(m_path).constData())
            != 0)
            return storage(m_path + QStringLiteral(": cannot replace the wallet file"));
        file.setAutoRemove(false);
    }
    // The rename keeps the temporary file's mode; make sure of it.
    if (!QFile::setPermissions(m_path, kOwnerOnly))
        return storage(m_path + QStringLiteral(": cannot restrict permissions"));
    return Done {};
}

namespace {

ClientResult<privacypass::IssuerPublicKey> issuerKey(const ServiceConfig &service)
{
    auto key = privacypass::IssuerPublicKey::fromSpkiDer(fromQt(service.tokenKey));
    if (!key.ok())
        return fail(ClientError::ServiceFormInvalid, "token-key: " + key.detail());
    return std::move(key).value();
}

std::string keyIdHex(const privacypass::IssuerPublicKey &key)
{
    return toHex(key.tokenKeyId());
}

} // namespace

int TokenWallet::count(const ServiceConfig &service) const
{
    auto key = issuerKey(service);
    if (!key.ok())
        return 0;
    const auto it = m_keys.find(keyIdHex(*key));
    return it == m_keys.end() ? 0 : static_cast<int>(it->second.tokens.size());
}

void TokenWallet::dropRetiredKeys(const ServiceConfig &service)
{
    auto key = issuerKey(service);
    if (!key.ok())
        return;
    const std::string current = keyIdHex(*key);
    const std::string issuer = service.issuerName.toStdString();
    bool changed = false;
    for (auto it = m_keys.begin(); it != m_keys.end();) {
        if (it->second.issuer == issuer && it->first != current) {
            qCInfo(lcWallet) << "dropping" << it->second.tokens.size()
                             << "tokens of a retired issuer key";
            it = m_keys.erase(it);
            changed = true;
        } else {
            ++it;
        }
    }
    if (changed)
        (void)save();
}

ClientResult<privacypass::Token> TokenWallet::take(const ServiceConfig &service)
{
    SOTTO_TRY(const auto key, issuerKey(service));
    auto it = m_keys.find(keyIdHex(key));
    if (it == m_keys.end() || it->second.tokens.empty())
        return fail(
            ClientError::NoTokens, std::string("the wallet holds no token for this issuer key"));
    Bytes encoded = std::move(it->second.tokens.back());
    it->second.tokens.pop_back();
    // Saved before use: a token that was handed out is never handed out again,
    // even if the process dies before the request.
    if (auto s = save(false); !s.ok())
        return s.failure();
    auto token = privacypass::Token::decode(encoded);
    if (!token.ok())
        return fail(
            ClientError::WalletStorageFailed, "a stored token is malformed: " + token.detail());
    return std::move(token).value();
}

void TokenWallet::refill(const ServiceConfig &service, StatusCallback done)
{
    m_waiters.push_back(std::move(done));
    if (m_refilling)
        return;
    m_refilling = true;

    auto key = issuerKey(service);
    auto challenge = serviceTokenChallenge(service);
    if (!key.ok() || !challenge.ok()) {
        const ClientStatus s
            = !key.ok() ? ClientStatus(key.failure()) : ClientStatus(challenge.failure());
        QTimer::singleShot(0, this, [this, s] { finishRefill(s); });
        return;
    }
    if (!m_channel || !m_channel->isConnected()) {
        QTimer::singleShot(0, this, [this] {
            finishRefill(fail(ClientError::NoTokens,
                std::string("the issuer is unreachable: the XMPP account is offline")));
        });
        return;
    }
    auto states = std::make_shared<std::vector<privacypass::ClientIssuanceState>>();
    XmlElement request(QStringLiteral("request"), kTokensNs);
    request.setAttribute(QStringLiteral("token-key-id"), QString::fromStdString(keyIdHex(*key)));
    for (int i = 0; i < m_batchSize; ++i) {
        auto r = privacypass::createTokenRequest(*challenge, *key);
        if (!r.ok()) {
            const ClientStatus s
                = fail(ClientError::IssuerBadResponse, "token request: " + r.detail());
            QTimer::singleShot(0, this, [this, s] { finishRefill(s); });
            return;
        }
        XmlElement tr(QStringLiteral("token-request"), kTokensNs);
        tr.setText(QString::fromLatin1(toQt(r->request.encode()).toBase64()));
        request.appendChild(tr);
        states->push_back(std::move(r->state));
    }
    QPointer<TokenWallet> self(this);
    const auto issuer = std::make_shared<privacypass::IssuerPublicKey>(std::move(key).value());
    const std::string issuerName = service.issuerName.toStdString();
    m_channel->sendIq(service.componentJid, IqType::Set, request,
        [self, states, issuer, issuerName](const IqReply &reply) {
            if (!self)
                return;
            if (!reply.ok()) {
                const std::string text = reply.errorText.toStdString();
                ClientError code = ClientError::NoTokens;
                std::string detail;
                if (reply.kind == IqReply::Kind::Timeout)
                    detail = "the issuer did not answer in time";
                else if (reply.kind == IqReply::Kind::Disconnected)
                    detail = "the XMPP connection closed";
                else if (reply.errorCondition == QLatin1String("not-authorized"))
                    code = ClientError::IssuerNotAuthorized;
                else if (reply.errorCondition == QLatin1String("policy-violation"))
                    code = ClientError::IssuerQuotaReached;
                else if (reply.errorCondition == QLatin1String("bad-request"))
                    code = ClientError::IssuerBadRequest;
                else
                    detail = "the issuer is unreachable: " + reply.errorCondition.toStdString();
                if (detail.empty())
                    detail = text.empty() ? reply.errorCondition.toStdString() : text;
                self->finishRefill(fail(code, detail));
                return;
            }
            const auto responses
                = reply.payload.childrenNamed(QStringLiteral("token-response"), kTokensNs);
            if (reply.payload.name() != QLatin1String("response") || responses.isEmpty()
                || static_cast<size_t>(responses.size()) > states->size()) {
                self->finishRefill(fail(ClientError::IssuerBadResponse,
                    "expected up to " + std::to_string(states->size())
                        + " token-response elements, got " + std::to_string(responses.size())));
                return;
            }
            KeyTokens &entry = self->m_keys[keyIdHex(*issuer)];
            entry.issuer = issuerName;
            for (int i = 0; i < responses.size(); ++i) {
                const Bytes raw
                    = fromQt(QByteArray::fromBase64(responses[i].text().trimmed().toLatin1()));
                auto response = privacypass::TokenResponse::decode(raw);
                auto token = response.ok()
                    ? privacypass::finalizeToken(
                        (*states)[static_cast<size_t>(i)], *issuer, *response)
                    : privacypass::TokenResult<privacypass::Token>(response.failure());
                if (!token.ok()) {
                    self->finishRefill(fail(ClientError::IssuerBadResponse,
                        "token-response " + std::to_string(i) + ": " + token.detail()));
                    return;
                }
                entry.tokens.push_back(token->encode());
            }
            bool ok = false;
            const int remaining = reply.payload.attribute(QStringLiteral("remaining")).toInt(&ok);
            self->m_remaining = ok ? remaining : -1;
            qCInfo(lcWallet) << "received" << responses.size() << "tokens";
            self->finishRefill(self->save());
        });
}

void TokenWallet::finishRefill(const ClientStatus &status)
{
    m_refilling = false;
    auto waiters = std::move(m_waiters);
    m_waiters.clear();
    for (auto &w : waiters)
        w(status);
}

void TokenWallet::acquire(const ServiceConfig &service, TokenCallback done)
{
    dropRetiredKeys(service);
    if (count(service) > 0) {
        auto token = take(service);
        if (count(service) < m_threshold && !m_refilling)
            refill(service, [](const ClientStatus &s) {
                if (!s.ok())
                    qCWarning(lcWallet) << "background refill failed:" << errorName(s.error());
            });
        QTimer::singleShot(0, this, [done, token] { done(token); });
        return;
    }
    QPointer<TokenWallet> self(this);
    refill(service, [self, service, done](const ClientStatus &s) {
        if (!self)
            return;
        if (!s.ok()) {
            // No token and none to be had: the request stops here.
            done(s.failure());
            return;
        }
        // Other waiters may have taken this batch: each refill adds at least
        // one token, so asking again always makes progress.
        self->acquire(service, done);
    });
}

} // namespace sotto::client
