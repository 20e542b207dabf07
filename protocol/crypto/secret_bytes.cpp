// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/crypto/secret_bytes.h"

#include <openssl/crypto.h>

namespace sotto::crypto {

void secureWipe(void *ptr, size_t len)
{
    // OPENSSL_cleanse writes through a volatile function pointer, so the
    // compiler cannot drop the wipe as a dead store before the free.
    if (ptr != nullptr && len != 0)
        OPENSSL_cleanse(ptr, len);
}

bool SecretBytes::operator==(const SecretBytes &other) const
{
    // The length is not secret (it is visible on the wire); the contents are,
    // so they are compared in time that depends only on the length.
    if (m_data.size() != other.m_data.size())
        return false;
    if (m_data.empty())
        return true;
    return CRYPTO_memcmp(m_data.data(), other.m_data.data(), m_data.size()) == 0;
}

} // namespace sotto::crypto
