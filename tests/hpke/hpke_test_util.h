// SPDX-License-Identifier: GPL-3.0-or-later
// Assertions for HpkeResult: print the error name and detail on failure, and
// check the exact error code of a failure.
#pragma once

#include "protocol/hpke/hpke.h"
#include "tests/support/result_assert.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace sotto::hpke {

// GoogleTest finds this by argument-dependent lookup.
inline void PrintTo(HpkeError e, std::ostream *os)
{
    *os << errorName(e);
}

} // namespace sotto::hpke

#define ASSERT_HPKE_OK(expr) ASSERT_RESULT_OK(expr)
#define EXPECT_HPKE_OK(expr) EXPECT_RESULT_OK(expr)
#define EXPECT_HPKE_ERROR(expr, code) EXPECT_RESULT_ERROR(expr, code)
