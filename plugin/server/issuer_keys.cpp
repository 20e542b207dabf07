// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/server/issuer_keys.h"

#include "protocol/crypto/private_key.h"
#include "protocol/tlog/base64.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace sotto::component {

std::string_view errorName(KeyError e)
{
    switch (e) {
    case KeyError::Io:
        return "Io";
    case KeyError::InvalidKey:
        return "InvalidKey";
    }
    return "?";
}

std::string IssuerKey::tokenKeyIdHex() const
{
    return toHex(publicKey.tokenKeyId());
}

namespace {

std::string errnoText()
{
    return std::strerror(errno);
}

std::string keyPath(const std::string &dir, int64_t epoch)
{
    return dir + "/issuer-key-" + std::to_string(epoch) + ".pem";
}

// RFC 7468 Section 10: PKCS#8 PrivateKeyInfo as "PRIVATE KEY", base64 in 64-column lines.
crypto::SecretBytes pemOf(const crypto::SecretBytes &pkcs8)
{
    std::string b64 = tlog::base64Encode(pkcs8.view());
    crypto::SecretBytes pem;
    pem.reserve(b64.size() + b64.size() / 64 + 64);
    pem.append(asBytes("-----BEGIN PRIVATE KEY-----\n"));
    for (size_t i = 0; i < b64.size(); i += 64) {
        pem.append(asBytes(std::string_view(b64).substr(i, 64)));
        pem.append(asBytes("\n"));
    }
    pem.append(asBytes("-----END PRIVATE KEY-----\n"));
    crypto::secureWipe(b64.data(), b64.size());
    return pem;
}

Result<crypto::SecretBytes, KeyError> readKeyFile(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return fail(KeyError::Io, "cannot open " + path + ": " + errnoText());
    struct stat st { };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(KeyError::Io, path + " is not a regular file");
    }
    if ((st.st_mode & 077) != 0) {
        ::close(fd);
        return fail(KeyError::Io,
            path + " may be read by other users (mode " + std::to_string(st.st_mode & 0777)
                + " decimal); the issuer key must be mode 0600: chmod 600 it");
    }
    if (st.st_size <= 0 || st.st_size > 64 * 1024) {
        ::close(fd);
        return fail(KeyError::InvalidKey, path + " is empty or larger than 64 KiB");
    }
    crypto::SecretBytes data(static_cast<size_t>(st.st_size));
    size_t got = 0;
    while (got < data.size()) {
        const ssize_t n = ::read(fd, data.data() + got, data.size() - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ::close(fd);
            return fail(KeyError::Io, "cannot read " + path + ": " + errnoText());
        }
        got += static_cast<size_t>(n);
    }
    ::close(fd);
    return data;
}

// Writes a fresh key under a temporary name, then link(2)s it into place: link fails with
// EEXIST when another process got there first, and then that process's key is the one.
Status<KeyError> createKeyFile(const std::string &path, const crypto::SecretBytes &pem)
{
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(KeyError::Io, "cannot create " + tmp + ": " + errnoText());
    size_t done = 0;
    bool ok = true;
    while (done < pem.size()) {
        const ssize_t n = ::write(fd, pem.data() + done, pem.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        done += static_cast<size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
        const std::string why = errnoText();
        ::unlink(tmp.c_str());
        return fail(KeyError::Io, "cannot write " + tmp + ": " + why);
    }
    if (::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
        const std::string why = errnoText();
        ::unlink(tmp.c_str());
        return fail(KeyError::Io, "cannot create " + path + ": " + why);
    }
    ::unlink(tmp.c_str());
    return Done {};
}

} // namespace

Result<std::shared_ptr<IssuerKey>, KeyError> loadOrCreateEpochKey(
    const std::string &dir, int64_t epoch, int64_t period, bool create)
{
    const std::string path = keyPath(dir, epoch);
    if (::access(path.c_str(), F_OK) != 0) {
        if (!create)
            return std::shared_ptr<IssuerKey> {};
        auto fresh = crypto::PrivateKey::generateRsa(2048);
        if (!fresh.ok())
            return fail(KeyError::InvalidKey, "cannot generate an RSA-2048 key: " + fresh.detail());
        if (auto s = createKeyFile(path, pemOf(fresh->pkcs8())); !s.ok())
            return s.failure();
    }
    SOTTO_TRY(const crypto::SecretBytes pem, readKeyFile(path));
    auto sk = crypto::BlindRsaPrivateKey::fromPem(asString(pem.view()));
    if (!sk.ok())
        return fail(KeyError::InvalidKey, path + ": " + sk.detail());
    auto spki = privacypass::IssuerPublicKey::encodeSpki(sk->publicKey());
    if (!spki.ok())
        return fail(
            KeyError::InvalidKey, path + ": not an RSA-2048 key with e = 65537: " + spki.detail());
    auto pk = privacypass::IssuerPublicKey::fromSpkiDer(*spki);
    if (!pk.ok())
        return fail(KeyError::InvalidKey, path + ": " + pk.detail());
    auto key = std::make_shared<IssuerKey>();
    key->epoch = epoch;
    key->notBefore = epoch * period;
    key->signsUntil = (epoch + 1) * period;
    key->notAfter = (epoch + 2) * period;
    key->secretKey = std::move(sk).value();
    key->publicKey = std::move(pk).value();
    key->spki = std::move(spki).value();
    return key;
}

Result<IssuerKeyRing, KeyError> IssuerKeyRing::open(
    const std::string &dir, uint32_t rotationDays, int64_t now)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return fail(KeyError::Io, "cannot create the key folder " + dir + ": " + ec.message());
    if (::chmod(dir.c_str(), 0700) != 0)
        return fail(KeyError::Io, "cannot make " + dir + " private (chmod 700): " + errnoText());
    IssuerKeyRing ring;
    ring.m_dir = dir;
    ring.m_period = static_cast<int64_t>(rotationDays) * 86400;
    if (now < 0)
        return fail(KeyError::Io, "the clock is before 1970");
    if (auto s = ring.loadEpochs(now / ring.m_period); !s.ok())
        return s.failure();
    return ring;
}

Status<KeyError> IssuerKeyRing::loadEpochs(int64_t epoch)
{
    std::vector<std::shared_ptr<IssuerKey>> keys;
    for (int64_t e = epoch - 1; e <= epoch + 1; ++e) {
        std::shared_ptr<IssuerKey> reuse;
        for (const auto &k : m_keys) {
            if (k && k->epoch == e)
                reuse = k;
        }
        if (reuse) {
            keys.push_back(reuse);
            continue;
        }
        SOTTO_TRY(auto key, loadOrCreateEpochKey(m_dir, e, m_period, e >= epoch));
        keys.push_back(std::move(key));
    }
    m_keys = std::move(keys);
    m_epoch = epoch;
    return Done {};
}

Status<KeyError> IssuerKeyRing::advance(int64_t now)
{
    const int64_t epoch = now / m_period;
    if (epoch == m_epoch)
        return Done {};
    return loadEpochs(epoch);
}

std::vector<const IssuerKey *> IssuerKeyRing::published(int64_t now) const
{
    std::vector<const IssuerKey *> out;
    for (const auto &k : m_keys) {
        if (k && k->notAfter > now)
            out.push_back(k.get());
    }
    return out;
}

std::string IssuerKeyRing::issuerKeysJson(const std::string &issuerName, int64_t now) const
{
    nlohmann::json keys = nlohmann::json::array();
    for (const IssuerKey *k : published(now)) {
        keys.push_back({ { "token_key", tlog::base64Encode(k->spki) },
            { "token_key_id", k->tokenKeyIdHex() }, { "not_after", k->notAfter } });
    }
    nlohmann::json doc { { "issuer_name", issuerName }, { "keys", keys } };
    return doc.dump(2) + "\n";
}

} // namespace sotto::component
