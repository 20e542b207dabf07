// SPDX-License-Identifier: GPL-3.0-or-later
// The validity rules RFC 9292 imports from HTTP: field names and values
// (Section 3.6 -> RFC 9113 8.2.1, RFC 9110 5.1 and 5.5) and request control
// data (Section 3.4 -> RFC 9113 8.3.1, RFC 9110 9.1, RFC 3986 3.1-3.4).
//
// Error details name the rule and the offset of the offending byte. They never
// quote a field value or the content: those can be a user's secrets (a
// credential in a header, the text being summarised), and details get logged.
#include "protocol/bhttp/bhttp.h"
#include "protocol/bhttp/detail.h"

#include <string>

namespace sotto::bhttp {

namespace {

bool isAlpha(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isDigit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

bool isHexDigit(uint8_t c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-"
// / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
bool isTchar(uint8_t c)
{
    if (isAlpha(c) || isDigit(c))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

// RFC 3986 2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"
bool isUnreserved(uint8_t c)
{
    return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 2.2: sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" /
// "," / ";" / "="
bool isSubDelim(uint8_t c)
{
    switch (c) {
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
        return true;
    default:
        return false;
    }
}

std::string byteDetail(std::string_view what, uint8_t c, size_t offset)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s(what);
    s += ": byte 0x";
    s += kHex[c >> 4];
    s += kHex[c & 0xf];
    s += " at offset " + std::to_string(offset);
    return s;
}

bool isHttpScheme(std::string_view scheme)
{
    // RFC 3986 3.1: schemes are case-insensitive.
    auto equalsLower = [](std::string_view a, std::string_view lower) {
        if (a.size() != lower.size())
            return false;
        for (size_t i = 0; i < a.size(); ++i) {
            char c = a[i];
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
            if (c != lower[i])
                return false;
        }
        return true;
    };
    return equalsLower(scheme, "http") || equalsLower(scheme, "https");
}

BhttpStatus validateMethod(std::string_view method)
{
    // RFC 9110 9.1: method = token (1*tchar), case-sensitive.
    if (method.empty())
        return fail(BhttpError::InvalidMethod, "method is empty");
    for (size_t i = 0; i < method.size(); ++i) {
        const auto c = static_cast<uint8_t>(method[i]);
        if (!isTchar(c))
            return fail(BhttpError::InvalidMethod, byteDetail("method is not a token", c, i));
    }
    return Done {};
}

BhttpStatus validateScheme(std::string_view scheme)
{
    // RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    if (scheme.empty())
        return fail(BhttpError::InvalidScheme, "scheme is empty (only CONNECT omits it)");
    for (size_t i = 0; i < scheme.size(); ++i) {
        const auto c = static_cast<uint8_t>(scheme[i]);
        const bool ok = isAlpha(c) || (i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.'));
        if (!ok)
            return fail(
                BhttpError::InvalidScheme, byteDetail("scheme syntax (RFC 3986 3.1)", c, i));
    }
    return Done {};
}

// Checks `s` (starting at `base` within the whole value, for the detail) for
// characters in `allowed` or pct-encoded triplets (RFC 3986 2.1).
template <class Pred>
BhttpStatus checkUriChars(
    std::string_view s, size_t base, Pred allowed, BhttpError code, std::string_view what)
{
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<uint8_t>(s[i]);
        if (c == '%') {
            if (s.size() - i < 3 || !isHexDigit(static_cast<uint8_t>(s[i + 1]))
                || !isHexDigit(static_cast<uint8_t>(s[i + 2])))
                return fail(code,
                    std::string(what) + ": malformed percent-encoding at offset "
                        + std::to_string(base + i));
            i += 2;
            continue;
        }
        if (!allowed(c))
            return fail(code, byteDetail(what, c, base + i));
    }
    return Done {};
}

// RFC 3986 3.2.2 host, 3.2.3 port. `requireHost`: RFC 9110 4.2.1 forbids an
// empty host for http(s); `requirePort`: CONNECT's authority-form (RFC 9110
// 9.3.6) names host and port.
BhttpStatus validateHostPort(std::string_view hp, size_t base, bool requireHost, bool requirePort)
{
    constexpr auto code = BhttpError::InvalidAuthority;
    size_t hostEnd = 0;
    if (!hp.empty() && hp[0] == '[') {
        // IP-literal = "[" ( IPv6address / IPvFuture ) "]". Both use only
        // HEXDIG, ":", "." and (IPvFuture) unreserved / sub-delims; the exact
        // IPv6 grammar is the resolver's business, the character set keeps
        // delimiters out.
        const size_t close = hp.find(']');
        if (close == std::string_view::npos)
            return fail(code, "IP-literal without ']'");
        if (close == 1)
            return fail(code, "empty IP-literal");
        auto lit = hp.substr(1, close - 1);
        for (size_t i = 0; i < lit.size(); ++i) {
            const auto c = static_cast<uint8_t>(lit[i]);
            if (!isUnreserved(c) && !isSubDelim(c) && c != ':')
                return fail(
                    code, byteDetail("IP-literal syntax (RFC 3986 3.2.2)", c, base + 1 + i));
        }
        hostEnd = close + 1;
        if (hostEnd < hp.size() && hp[hostEnd] != ':')
            return fail(code,
                byteDetail("expected ':' after IP-literal", static_cast<uint8_t>(hp[hostEnd]),
                    base + hostEnd));
    } else {
        // reg-name = *( unreserved / pct-encoded / sub-delims ); IPv4address
        // is a subset. It cannot hold ':', so the first ':' starts the port.
        hostEnd = hp.find(':');
        if (hostEnd == std::string_view::npos)
            hostEnd = hp.size();
        auto status = checkUriChars(
            hp.substr(0, hostEnd), base, [](uint8_t c) { return isUnreserved(c) || isSubDelim(c); },
            code, "host syntax (RFC 3986 3.2.2)");
        if (!status)
            return status;
    }
    if (requireHost && hostEnd == 0)
        return fail(code, "empty host (RFC 9110 4.2.1)");
    if (hostEnd == hp.size()) {
        if (requirePort)
            return fail(code, "CONNECT authority has no port (RFC 9110 9.3.6)");
        return Done {};
    }
    // hp[hostEnd] == ':'; port = *DIGIT
    auto port = hp.substr(hostEnd + 1);
    if (requirePort && port.empty())
        return fail(code, "CONNECT authority has an empty port (RFC 9110 9.3.6)");
    for (size_t i = 0; i < port.size(); ++i) {
        const auto c = static_cast<uint8_t>(port[i]);
        if (!isDigit(c))
            return fail(code, byteDetail("port is not digits", c, base + hostEnd + 1 + i));
    }
    return Done {};
}

BhttpStatus validateAuthority(std::string_view authority, bool http)
{
    if (authority.empty())
        return Done {}; // "omitted" (Section 3.4); MissingAuthority is decided with the headers
    // RFC 3986 3.2: authority = [ userinfo "@" ] host [ ":" port ]. Neither
    // userinfo nor host may hold '@', so there is at most one.
    size_t hostStart = 0;
    const size_t at = authority.find('@');
    if (at != std::string_view::npos) {
        // RFC 9113 8.3.1: ":authority MUST NOT include the deprecated userinfo
        // subcomponent for "http" or "https" schemed URIs."
        if (http)
            return fail(
                BhttpError::InvalidAuthority, "userinfo in an http(s) authority (RFC 9113 8.3.1)");
        // userinfo = *( unreserved / pct-encoded / sub-delims / ":" )
        auto status = checkUriChars(
            authority.substr(0, at), 0,
            [](uint8_t c) { return isUnreserved(c) || isSubDelim(c) || c == ':'; },
            BhttpError::InvalidAuthority, "userinfo syntax (RFC 3986 3.2.1)");
        if (!status)
            return status;
        hostStart = at + 1;
    }
    return validateHostPort(authority.substr(hostStart), hostStart, http, false);
}

BhttpStatus validatePath(std::string_view path, std::string_view method, bool http)
{
    constexpr auto code = BhttpError::InvalidPath;
    if (path.empty()) {
        // RFC 9113 8.3.1: ":path ... MUST NOT be empty for "http" or "https"
        // URIs"; other schemes may leave it empty.
        if (http)
            return fail(code, "empty path for an http(s) request (RFC 9113 8.3.1)");
        return Done {};
    }
    if (path == "*") {
        // RFC 9113 8.3.1 / RFC 9110 7.1: asterisk-form is for OPTIONS only.
        if (method != "OPTIONS")
            return fail(code, "path \"*\" on a request that is not OPTIONS (RFC 9110 7.1)");
        return Done {};
    }
    // RFC 9113 8.3.1: the path is absolute-path [ "?" query ] (RFC 9110 4.1),
    // absolute-path = 1*( "/" segment ), segment = *pchar,
    // query = *( pchar / "/" / "?" ), pchar = unreserved / pct-encoded /
    // sub-delims / ":" / "@". A fragment ('#') is never sent.
    if (path[0] != '/')
        return fail(
            code, byteDetail("path does not start with '/'", static_cast<uint8_t>(path[0]), 0));
    auto pchar = [](uint8_t c) { return isUnreserved(c) || isSubDelim(c) || c == ':' || c == '@'; };
    const size_t q = path.find('?');
    auto status = checkUriChars(
        path.substr(0, q), 0, [&](uint8_t c) { return pchar(c) || c == '/'; }, code,
        "path syntax (RFC 3986 3.3)");
    if (!status || q == std::string_view::npos)
        return status;
    return checkUriChars(
        path.substr(q + 1), q + 1, [&](uint8_t c) { return pchar(c) || c == '/' || c == '?'; },
        code, "query syntax (RFC 3986 3.4)");
}

BhttpStatus validateFields(const FieldSection &fields, std::string_view section)
{
    for (size_t i = 0; i < fields.size(); ++i) {
        auto status = validateField(fields[i]);
        if (!status)
            return fail(status.error(),
                std::string(section) + " field " + std::to_string(i) + ": " + status.detail());
    }
    return Done {};
}

} // namespace

BhttpStatus validateFieldName(std::string_view name)
{
    // Section 3.6: "The field name length is at least one byte."
    if (name.empty())
        return fail(BhttpError::InvalidFieldName, "empty field name");
    // Section 3.6 forbids :method, :scheme, :authority, :path and :status and
    // lets extensions define others. None is negotiated in this format, and
    // RFC 9113 8.3 treats undefined pseudo-fields as malformed, so every name
    // starting with ':' is refused. Its own code so a caller can tell.
    if (name[0] == ':')
        return fail(BhttpError::PseudoField, "pseudo-field in a field section (Section 3.6)");
    for (size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<uint8_t>(name[i]);
        // RFC 9113 8.2.1 (which Section 3.6 makes binding): no uppercase.
        if (c >= 'A' && c <= 'Z')
            return fail(BhttpError::InvalidFieldName,
                byteDetail("uppercase in field name (RFC 9113 8.2.1)", c, i));
        // Section 3.6 -> RFC 9110 5.1: field-name = token.
        if (!isTchar(c))
            return fail(BhttpError::InvalidFieldName,
                byteDetail("field name is not a token (RFC 9110 5.1)", c, i));
    }
    return Done {};
}

BhttpStatus validateFieldValue(std::string_view value)
{
    // RFC 9110 5.5: field-value = *field-content; field-content = field-vchar
    // [ 1*( SP / HTAB / field-vchar ) field-vchar ]; field-vchar = VCHAR /
    // obs-text. This is stricter than the minimum Section 3.6 demands (RFC
    // 9113 8.2.1: no NUL, CR or LF; no leading or trailing SP/HTAB): it also
    // refuses the other control characters, which RFC 9110 5.5 calls invalid
    // and which no sender may generate. Decided so because nothing that talks
    // to Sotto has a reason to send them and a value with control bytes is a
    // classic smuggling vector once re-serialised as HTTP/1.1.
    if (value.empty())
        return Done {};
    const auto first = static_cast<uint8_t>(value.front());
    const auto last = static_cast<uint8_t>(value.back());
    if (first == ' ' || first == '\t')
        return fail(
            BhttpError::InvalidFieldValue, "field value starts with whitespace (RFC 9113 8.2.1)");
    if (last == ' ' || last == '\t')
        return fail(
            BhttpError::InvalidFieldValue, "field value ends with whitespace (RFC 9113 8.2.1)");
    for (size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<uint8_t>(value[i]);
        if (c == 0x00 || c == '\r' || c == '\n')
            return fail(BhttpError::InvalidFieldValue,
                "NUL, CR or LF in field value (RFC 9113 8.2.1) at offset " + std::to_string(i));
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return fail(BhttpError::InvalidFieldValue,
                "control character in field value (RFC 9110 5.5) at offset " + std::to_string(i));
    }
    return Done {};
}

BhttpStatus validateField(const Field &field)
{
    auto status = validateFieldName(field.name);
    if (!status)
        return status;
    return validateFieldValue(field.value);
}

namespace detail {

BhttpStatus validateControlData(const Request &request)
{
    auto status = validateMethod(request.method);
    if (!status)
        return status;

    if (request.method == "CONNECT") {
        // RFC 9113 8.5: a CONNECT request omits :scheme and :path (empty here,
        // as Section 3.4 encodes an omitted pseudo-field) and its :authority
        // is the host and port to connect to.
        if (!request.scheme.empty())
            return fail(BhttpError::InvalidScheme, "CONNECT with a scheme (RFC 9113 8.5)");
        if (!request.path.empty())
            return fail(BhttpError::InvalidPath, "CONNECT with a path (RFC 9113 8.5)");
        if (request.authority.empty())
            return fail(BhttpError::MissingAuthority, "CONNECT without authority (RFC 9113 8.5)");
        if (request.authority.find('@') != std::string::npos)
            return fail(BhttpError::InvalidAuthority, "userinfo in a CONNECT authority");
        return validateHostPort(request.authority, 0, true, true);
    }

    status = validateScheme(request.scheme);
    if (!status)
        return status;
    const bool http = isHttpScheme(request.scheme);
    status = validateAuthority(request.authority, http);
    if (!status)
        return status;
    return validatePath(request.path, request.method, http);
}

BhttpStatus validateAuthorityPresent(const Request &request)
{
    // RFC 9113 8.3.1: "If the :scheme pseudo-header field identifies a scheme
    // that has a mandatory authority component (including "http" and
    // "https"), the request MUST contain either an :authority pseudo-header
    // field or a Host header field." An empty authority is an omitted one
    // (Section 3.4). CONNECT was checked with the control data.
    if (!request.authority.empty() || !isHttpScheme(request.scheme))
        return Done {};
    for (const auto &f : request.headers) {
        if (f.name == "host")
            return Done {};
    }
    return fail(BhttpError::MissingAuthority,
        "http(s) request with an empty authority and no host header field (RFC 9113 8.3.1)");
}

} // namespace detail

BhttpStatus validateRequest(const Request &request)
{
    auto status = detail::validateControlData(request);
    if (!status)
        return status;
    status = validateFields(request.headers, "header section");
    if (!status)
        return status;
    status = validateFields(request.trailers, "trailer section");
    if (!status)
        return status;
    return detail::validateAuthorityPresent(request);
}

BhttpStatus validateResponse(const Response &response)
{
    for (size_t i = 0; i < response.informational.size(); ++i) {
        const auto &info = response.informational[i];
        // Section 3.5.1: Informational Response Control Data, 100..199.
        if (info.status < 100 || info.status > 199)
            return fail(BhttpError::InvalidStatus,
                "informational response " + std::to_string(i) + ": status "
                    + std::to_string(info.status) + " not in 100..199 (Section 3.5.1)");
        auto status = validateFields(
            info.headers, "informational response " + std::to_string(i) + " header section");
        if (!status)
            return status;
    }
    // Section 3.5: Final Response Control Data, 200..599.
    if (response.status < 200 || response.status > 599)
        return fail(BhttpError::InvalidStatus,
            "final status " + std::to_string(response.status) + " not in 200..599 (Section 3.5)");
    auto status = validateFields(response.headers, "header section");
    if (!status)
        return status;
    return validateFields(response.trailers, "trailer section");
}

} // namespace sotto::bhttp
