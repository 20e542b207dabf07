// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/common/bytes.h"

namespace sotto::crypto {

enum class HashAlg { Sha256, Sha384, Sha512 };

size_t hashLength(HashAlg alg);
Bytes digest(HashAlg alg, ByteView data);
inline Bytes sha256(ByteView data) { return digest(HashAlg::Sha256, data); }

} // namespace sotto::crypto
