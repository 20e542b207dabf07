// SPDX-License-Identifier: GPL-3.0-or-later
// Result<T, E>: a value or a typed error with a human-readable detail.
// The protocol layer reports failures through this type, never by exceptions.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace sotto {

// A failed operation: a machine-checkable code plus a sentence that says what
// went wrong (and, where it helps, expected vs got). The detail never carries
// secret material.
template <class E>
struct Failure {
    E code;
    std::string detail;
};

template <class E>
Failure<E> fail(E code, std::string detail = {})
{
    return Failure<E>{code, std::move(detail)};
}

template <class T, class E>
class [[nodiscard]] Result {
public:
    using value_type = T;
    using error_type = E;

    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Failure<E> failure) : m_state(std::in_place_index<1>, std::move(failure)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_state); }
    const T &value() const & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    E error() const { return std::get<1>(m_state).code; }
    const std::string &detail() const { return std::get<1>(m_state).detail; }
    const Failure<E> &failure() const { return std::get<1>(m_state); }

private:
    std::variant<T, Failure<E>> m_state;
};

// Result of an operation that produces no value.
struct Done {};

template <class E>
using Status = Result<Done, E>;

} // namespace sotto

// Propagate a failure from an expression returning Result<..., E> into a
// function returning Result<..., E2>, where E2 is constructible from E (or
// the same). Binds the value to `var` on success.
#define SOTTO_CONCAT_INNER(a, b) a##b
#define SOTTO_CONCAT(a, b) SOTTO_CONCAT_INNER(a, b)
#define SOTTO_TRY_IMPL(tmp, var, expr)                                                             \
    auto tmp = (expr);                                                                             \
    if (!tmp.ok())                                                                                 \
        return ::sotto::Failure<decltype(tmp.error())>{tmp.error(), tmp.detail()};                 \
    var = std::move(tmp).value()
#define SOTTO_TRY(var, expr) SOTTO_TRY_IMPL(SOTTO_CONCAT(sotto_try_, __LINE__), var, expr)
