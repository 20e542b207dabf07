// SPDX-License-Identifier: GPL-3.0-or-later
// RFC 9292 decoders. One pass over the input with a bounds-checked reader;
// nothing is copied out of the input until it has been validated, and every
// way the RFC calls a message invalid (Section 4) is a distinct BhttpError.
#include "protocol/bhttp/bhttp.h"
#include "protocol/bhttp/detail.h"

#include "protocol/common/wire.h"

#include <optional>
#include <string>
#include <utility>

namespace sotto::bhttp {

namespace {

// Section 3.3.
constexpr uint64_t kLastFramingIndicator = 3;

std::string offsetDetail(std::string_view what, size_t offset)
{
    return std::string(what) + " at offset " + std::to_string(offset);
}

// The reader's bytes(n) takes a size_t; a varint can exceed SIZE_MAX on a
// 32-bit platform, so the length is compared with what is left first.
std::optional<ByteView> take(WireReader &r, uint64_t n)
{
    if (n > r.remaining())
        return std::nullopt;
    return r.bytes(static_cast<size_t>(n));
}

std::string toString(ByteView b)
{
    return std::string(asString(b));
}

class MessageReader {
public:
    MessageReader(ByteView input, const DecodeLimits &limits)
        : m_in(input)
        , m_limits(limits)
    { }

    bool atEnd() const { return m_in.empty(); }

    // Section 3.3: 0/2 requests, 1/3 responses; anything else is invalid.
    BhttpResult<Framing> framing(bool wantRequest)
    {
        SOTTO_TRY(const uint64_t indicator, varint("framing indicator"));
        if (indicator > kLastFramingIndicator)
            return fail(BhttpError::UnknownFramingIndicator,
                "framing indicator " + std::to_string(indicator) + ", expected 0..3 (Section 3.3)");
        const bool isRequest = indicator % 2 == 0;
        if (isRequest != wantRequest)
            return fail(BhttpError::WrongMessageType,
                std::string("expected a ")
                    + (wantRequest ? "request (framing 0 or 2)" : "response (framing 1 or 3)")
                    + ", got framing indicator " + std::to_string(indicator));
        return indicator < 2 ? Framing::KnownLength : Framing::IndeterminateLength;
    }

    // Section 1.3 of RFC 9000 notation "(i)": a QUIC varint, not necessarily
    // minimal (Section 3). Every bit pattern is a valid varint, so the only way
    // one can be bad is to be cut short.
    BhttpResult<uint64_t> varint(std::string_view what)
    {
        const size_t at = m_in.position();
        auto v = m_in.varint();
        if (!v)
            return fail(BhttpError::Truncated,
                offsetDetail("missing or cut-short " + std::string(what), at));
        return *v;
    }

    BhttpResult<ByteView> lengthPrefixed(std::string_view what)
    {
        const size_t at = m_in.position();
        SOTTO_TRY(const uint64_t length, varint(std::string(what) + " length"));
        auto bytes = take(m_in, length);
        if (!bytes)
            return fail(BhttpError::Truncated,
                offsetDetail(std::string(what) + " of " + std::to_string(length)
                        + " bytes runs past the end of the input ("
                        + std::to_string(m_in.remaining()) + " left)",
                    at));
        return *bytes;
    }

    BhttpResult<FieldSection> fieldSection(Framing framing, const std::string &section)
    {
        return framing == Framing::KnownLength ? knownLengthSection(section)
                                               : indeterminateLengthSection(section);
    }

    // Known-Length Content (Section 3.1) or Indeterminate-Length Content
    // (Section 3.2): chunks of 1.. bytes ended by a zero Chunk Length.
    BhttpResult<Bytes> content(Framing framing)
    {
        if (framing == Framing::KnownLength) {
            SOTTO_TRY(const ByteView c, lengthPrefixed("content"));
            return Bytes(c.begin(), c.end());
        }
        Bytes out;
        for (;;) {
            SOTTO_TRY(const ByteView chunk, lengthPrefixed("content chunk"));
            if (chunk.empty())
                return out; // Content Terminator
            out.insert(out.end(), chunk.begin(), chunk.end());
        }
    }

    // Section 3.8: after the message, any number of zero bytes. A processor
    // MAY skip checking them; this one does not, so a non-zero byte where the
    // message should have ended is never silently ignored.
    BhttpResult<size_t> padding()
    {
        const ByteView rest = m_in.rest();
        for (size_t i = 0; i < rest.size(); ++i) {
            if (rest[i] != 0)
                return fail(BhttpError::NonZeroPadding,
                    offsetDetail("non-zero byte after the end of the message (Section 3.8)",
                        m_in.position() + i));
        }
        return rest.size();
    }

    // Section 3.8: the final header section, content and trailer section may
    // each be left out, from the end, when empty; "Decoders MUST treat missing
    // truncated fields as equivalent to having been sent with the length field
    // set to zero". Anything present must be complete. Returns how many of the
    // three were present.
    BhttpResult<int> tail(
        Framing framing, FieldSection &headers, Bytes &content, FieldSection &trailers)
    {
        if (atEnd())
            return 0;
        SOTTO_TRY(headers, fieldSection(framing, "header section"));
        if (atEnd())
            return 1;
        SOTTO_TRY(content, this->content(framing));
        if (atEnd())
            return 2;
        SOTTO_TRY(trailers, fieldSection(framing, "trailer section"));
        return 3;
    }

private:
    // Known-Length Field Section (Section 3.1): a byte length, then field
    // lines that fill it exactly.
    BhttpResult<FieldSection> knownLengthSection(const std::string &section)
    {
        const size_t at = m_in.position();
        SOTTO_TRY(const uint64_t length, varint(section + " length"));
        if (length > m_limits.maxFieldSectionSize)
            return fail(BhttpError::FieldSectionTooLarge,
                offsetDetail(section + " of " + std::to_string(length) + " bytes, limit "
                        + std::to_string(m_limits.maxFieldSectionSize),
                    at));
        auto body = take(m_in, length);
        if (!body)
            return fail(BhttpError::Truncated,
                offsetDetail(section + " of " + std::to_string(length)
                        + " bytes runs past the end of the input ("
                        + std::to_string(m_in.remaining()) + " left)",
                    at));

        // A field line that does not fit in the section is not a truncated
        // message (the bytes may well follow): the section length is wrong.
        const size_t base = m_in.position() - body->size();
        WireReader lines(*body);
        FieldSection fields;
        while (!lines.empty()) {
            const size_t lineAt = base + lines.position();
            auto overrun = [&] {
                return fail(BhttpError::MalformedFieldSection,
                    offsetDetail(section + " field " + std::to_string(fields.size())
                            + " runs past the end of its section",
                        lineAt));
            };
            auto nameLength = lines.varint();
            if (!nameLength)
                return overrun();
            // Section 3.6: Name Length (i) = 1..; in a known-length section
            // zero has no terminator meaning, it is just an empty name.
            if (*nameLength == 0)
                return fail(BhttpError::InvalidFieldName,
                    offsetDetail(section + " field " + std::to_string(fields.size())
                            + ": empty field name (Section 3.6)",
                        lineAt));
            auto name = take(lines, *nameLength);
            if (!name)
                return overrun();
            auto valueLength = lines.varint();
            if (!valueLength)
                return overrun();
            auto value = take(lines, *valueLength);
            if (!value)
                return overrun();
            SOTTO_TRY(Field field, makeField(*name, *value, section, fields.size(), lineAt));
            fields.push_back(std::move(field));
        }
        return fields;
    }

    // Indeterminate-Length Field Section (Section 3.2): field lines until a
    // zero where a Name Length would be. The size limit is checked before each
    // length-prefixed part is taken, so an absurd length is reported as such.
    BhttpResult<FieldSection> indeterminateLengthSection(const std::string &section)
    {
        FieldSection fields;
        uint64_t sectionBytes = 0;
        for (;;) {
            const size_t lineAt = m_in.position();
            SOTTO_TRY(const uint64_t nameLength, varint(section + " field name length"));
            if (nameLength == 0)
                return fields; // Content Terminator ends the section
            auto tooLarge = [&](uint64_t more) {
                // Each term is below 2^62, so the sum cannot wrap.
                return sectionBytes + (m_in.position() - lineAt) + more
                    > m_limits.maxFieldSectionSize;
            };
            auto tooLargeFailure = [&] {
                return fail(BhttpError::FieldSectionTooLarge,
                    offsetDetail(section + " exceeds the limit of "
                            + std::to_string(m_limits.maxFieldSectionSize) + " bytes",
                        lineAt));
            };
            if (tooLarge(nameLength))
                return tooLargeFailure();
            auto name = take(m_in, nameLength);
            if (!name)
                return fail(BhttpError::Truncated,
                    offsetDetail(section + " field name runs past the end of the input", lineAt));
            SOTTO_TRY(const uint64_t valueLength, varint(section + " field value length"));
            if (tooLarge(valueLength))
                return tooLargeFailure();
            auto value = take(m_in, valueLength);
            if (!value)
                return fail(BhttpError::Truncated,
                    offsetDetail(section + " field value runs past the end of the input", lineAt));
            sectionBytes += m_in.position() - lineAt;
            SOTTO_TRY(Field field, makeField(*name, *value, section, fields.size(), lineAt));
            fields.push_back(std::move(field));
        }
    }

    // Section 3.6 validity (see validate.cpp), plus the message-wide field
    // count limit. Only a valid field is copied out of the input.
    BhttpResult<Field> makeField(
        ByteView name, ByteView value, const std::string &section, size_t index, size_t at)
    {
        if (m_fieldCount >= m_limits.maxFields)
            return fail(BhttpError::TooManyFields,
                offsetDetail(
                    "more than " + std::to_string(m_limits.maxFields) + " field lines", at));
        ++m_fieldCount;
        auto context = [&](const BhttpStatus &s) {
            return fail(s.error(),
                section + " field " + std::to_string(index) + " at offset " + std::to_string(at)
                    + ": " + s.detail());
        };
        auto status = validateFieldName(asString(name));
        if (!status)
            return context(status);
        status = validateFieldValue(asString(value));
        if (!status)
            return context(status);
        return Field { toString(name), toString(value) };
    }

    WireReader m_in;
    const DecodeLimits &m_limits;
    size_t m_fieldCount = 0;
};

} // namespace

// Section 3.1 (framing 0) and 3.2 (framing 2): framing indicator, Request
// Control Data (Section 3.4), header section, content, trailer section,
// padding.
BhttpResult<Request> decodeRequest(
    ByteView input, const DecodeLimits &limits, MessageLayout *layout)
{
    MessageReader in(input, limits);
    SOTTO_TRY(const Framing framing, in.framing(true));

    Request request;
    SOTTO_TRY(const ByteView method, in.lengthPrefixed("method"));
    SOTTO_TRY(const ByteView scheme, in.lengthPrefixed("scheme"));
    SOTTO_TRY(const ByteView authority, in.lengthPrefixed("authority"));
    SOTTO_TRY(const ByteView path, in.lengthPrefixed("path"));
    request.method = toString(method);
    request.scheme = toString(scheme);
    request.authority = toString(authority);
    request.path = toString(path);
    auto status = detail::validateControlData(request);
    if (!status)
        return status.failure();

    SOTTO_TRY(
        const int sections, in.tail(framing, request.headers, request.content, request.trailers));
    SOTTO_TRY(const size_t padding, in.padding());

    status = detail::validateAuthorityPresent(request);
    if (!status)
        return status.failure();

    if (layout)
        *layout = MessageLayout { framing, sections, padding };
    return request;
}

// Section 3.1 (framing 1) and 3.2 (framing 3): framing indicator, any number
// of informational responses (Section 3.5.1), Final Response Control Data
// (Section 3.5), header section, content, trailer section, padding.
BhttpResult<Response> decodeResponse(
    ByteView input, const DecodeLimits &limits, MessageLayout *layout)
{
    MessageReader in(input, limits);
    SOTTO_TRY(const Framing framing, in.framing(false));

    Response response;
    // Section 3.5.1: "The status code distinguishes between informational and
    // final responses": 100..199 is followed by its header section and more
    // control data, 200..599 ends the sequence, anything else is invalid.
    for (;;) {
        SOTTO_TRY(const uint64_t code, in.varint("status code"));
        if (code >= 100 && code <= 199) {
            const size_t index = response.informational.size();
            if (index >= limits.maxInformationalResponses)
                return fail(BhttpError::TooManyInformationalResponses,
                    "more than " + std::to_string(limits.maxInformationalResponses)
                        + " informational responses");
            InformationalResponse info;
            info.status = static_cast<uint16_t>(code);
            SOTTO_TRY(info.headers,
                in.fieldSection(framing,
                    "informational response " + std::to_string(index) + " header section"));
            response.informational.push_back(std::move(info));
            continue;
        }
        if (code >= 200 && code <= 599) {
            response.status = static_cast<uint16_t>(code);
            break;
        }
        return fail(BhttpError::InvalidStatus,
            "status code " + std::to_string(code)
                + ", expected 100..199 (informational) or 200..599 (final) (Section 3.5)");
    }

    SOTTO_TRY(const int sections,
        in.tail(framing, response.headers, response.content, response.trailers));
    SOTTO_TRY(const size_t padding, in.padding());

    if (layout)
        *layout = MessageLayout { framing, sections, padding };
    return response;
}

} // namespace sotto::bhttp
