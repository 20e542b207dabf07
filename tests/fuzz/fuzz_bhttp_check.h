// SPDX-License-Identifier: GPL-3.0-or-later
// The invariants both Binary HTTP fuzz targets check on whatever decodes
// (fuzz_bhttp_request.cpp, fuzz_bhttp_response.cpp): one template, with a
// small traits struct per message type. Any violation traps.
#pragma once

#include "protocol/bhttp/bhttp.h"

#include <cstddef>
#include <cstdint>

namespace sotto::bhttp::fuzz {

template <class Message> struct Codec;

template <> struct Codec<Request> {
    static constexpr uint8_t kKnownLengthIndicator = 0; // RFC 9292 Section 3.3
    static auto decode(
        ByteView in, const DecodeLimits &limits = {}, MessageLayout *layout = nullptr)
    {
        return decodeRequest(in, limits, layout);
    }
    static auto encode(const Request &m, const EncodeOptions &o) { return encodeRequest(m, o); }
    static bool valid(const Request &m) { return validateRequest(m).ok(); }
    static size_t fieldCount(const Request &m) { return m.headers.size() + m.trailers.size(); }
};

template <> struct Codec<Response> {
    static constexpr uint8_t kKnownLengthIndicator = 1;
    static auto decode(
        ByteView in, const DecodeLimits &limits = {}, MessageLayout *layout = nullptr)
    {
        return decodeResponse(in, limits, layout);
    }
    static auto encode(const Response &m, const EncodeOptions &o) { return encodeResponse(m, o); }
    static bool valid(const Response &m) { return validateResponse(m).ok(); }
    static size_t fieldCount(const Response &m)
    {
        size_t n = m.headers.size() + m.trailers.size();
        for (const auto &i : m.informational)
            n += i.headers.size();
        return n;
    }
};

// Checks a message decoded from `input` with `layout`:
//   - it passes validation (the decoder accepts nothing the encoder refuses);
//   - the layout agrees with the input (0..3 sections, padding inside the
//     input, a one-byte framing indicator that matches the framing);
//   - decode(encode(m)) == m and encoding is deterministic, in both framings,
//     with and without truncation, padding and chunking;
//   - the field limit is exact: maxFields = count decodes, count - 1 fails
//     with TooManyFields.
template <class Message>
void checkDecoded(ByteView input, const Message &message, const MessageLayout &layout)
{
    using C = Codec<Message>;
    if (!C::valid(message))
        __builtin_trap();
    if (layout.sectionsPresent < 0 || layout.sectionsPresent > 3
        || layout.paddingLength >= input.size())
        __builtin_trap();
    // A one-byte varint (top bits 00) is the framing indicator itself; longer
    // (non-minimal) encodings are allowed and not checked here.
    const uint8_t indeterminate = C::kKnownLengthIndicator + 2;
    if (!input.empty() && (input[0] >> 6) == 0
        && input[0]
            != (layout.framing == Framing::KnownLength ? C::kKnownLengthIndicator : indeterminate))
        __builtin_trap();

    for (auto framing : { Framing::KnownLength, Framing::IndeterminateLength }) {
        for (int variant = 0; variant < 4; ++variant) {
            EncodeOptions options;
            options.framing = framing;
            options.truncate = (variant & 1) != 0;
            options.padding = (variant & 2) != 0 ? 3 : 0;
            options.chunkSize = (variant & 2) != 0 ? 7 : 0;
            auto encoded = C::encode(message, options);
            if (!encoded)
                __builtin_trap();
            MessageLayout again;
            auto redecoded = C::decode(*encoded, {}, &again);
            if (!redecoded || !(*redecoded == message) || again.framing != framing)
                __builtin_trap();
            auto twice = C::encode(*redecoded, options);
            if (!twice || *twice != *encoded)
                __builtin_trap();
        }
    }

    DecodeLimits limits;
    limits.maxFields = C::fieldCount(message);
    if (!C::decode(input, limits))
        __builtin_trap();
    if (limits.maxFields > 0) {
        limits.maxFields -= 1;
        auto limited = C::decode(input, limits);
        if (limited || limited.error() != BhttpError::TooManyFields)
            __builtin_trap();
    }
}

} // namespace sotto::bhttp::fuzz
