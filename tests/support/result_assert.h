// SPDX-License-Identifier: GPL-3.0-or-later
// GoogleTest assertions for sotto::Result<T, E>, shared by every unit's tests.
// A failure prints the error's name (errorName(E), found by argument-dependent
// lookup in the unit's namespace) and its detail; error checks compare the
// exact code, never just "it failed".
#pragma once

#include "protocol/common/result.h"

#include <gtest/gtest.h>

#include <string>

namespace sotto {

// "ok", or "<ErrorName>: <detail>".
template <class T, class E> std::string describe(const Result<T, E> &r)
{
    if (r.ok())
        return "ok";
    return std::string(errorName(r.error())) + ": " + r.detail();
}

namespace test {

// Passes when `r` failed with exactly `code`; otherwise says what happened.
template <class T, class E>::testing::AssertionResult failsWith(const Result<T, E> &r, E code)
{
    if (!r.ok() && r.error() == code)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
        << "expected " << errorName(code) << ", got " << ::sotto::describe(r);
}

} // namespace test
} // namespace sotto

#define ASSERT_RESULT_OK(expr) ASSERT_TRUE((expr).ok()) << ::sotto::describe(expr)
#define EXPECT_RESULT_OK(expr) EXPECT_TRUE((expr).ok()) << ::sotto::describe(expr)
// Evaluates `expr` once; fails unless it failed with exactly `code`.
#define EXPECT_RESULT_ERROR(expr, code) EXPECT_TRUE(::sotto::test::failsWith((expr), (code)))
