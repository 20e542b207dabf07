// SPDX-License-Identifier: GPL-3.0-or-later
// Assertions for HpkeResult: print the error name and detail on failure, and
// check the exact error code of a failure.
#pragma once

#include "protocol/hpke/hpke.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace sotto::hpke {

// GoogleTest finds this by argument-dependent lookup.
inline void PrintTo(HpkeError e, std::ostream *os)
{
    *os << errorName(e);
}

template <class T> std::string describe(const HpkeResult<T> &r)
{
    return r.ok() ? std::string("ok") : std::string(errorName(r.error())) + ": " + r.detail();
}

} // namespace sotto::hpke

#define ASSERT_HPKE_OK(expr) ASSERT_TRUE((expr).ok()) << ::sotto::hpke::describe(expr)
#define EXPECT_HPKE_OK(expr) EXPECT_TRUE((expr).ok()) << ::sotto::hpke::describe(expr)

// Evaluates `expr` once; fails unless it is a failure with exactly `code`.
#define EXPECT_HPKE_ERROR(expr, code)                                                              \
    do {                                                                                           \
        const auto hpkeResult_ = (expr);                                                           \
        if (hpkeResult_.ok()) {                                                                    \
            ADD_FAILURE() << #expr << " succeeded, expected " << ::sotto::hpke::errorName(code);   \
        } else {                                                                                   \
            EXPECT_EQ(hpkeResult_.error(), code) << hpkeResult_.detail();                          \
        }                                                                                          \
    } while (0)
