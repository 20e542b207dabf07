// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/privacypass/authorization.h"

#include <cctype>
#include <vector>

namespace sotto::privacypass {

namespace {

// RFC 9110 Section 5.6.2: tchar.
bool isTchar(char c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 9110 Section 11.2: token68 characters before the trailing '='s.
bool isToken68Char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || std::string_view("-._~+/").find(c) != std::string_view::npos;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

struct AuthParam {
    std::string name; // lower case: parameter names are case-insensitive
    std::string value;
};

// One challenge (WWW-Authenticate) or credentials (Authorization).
struct AuthChallenge {
    std::string scheme;
    bool token68 = false;
    std::vector<AuthParam> params;

    const AuthParam *find(std::string_view name) const
    {
        for (const auto &p : params)
            if (p.name == name)
                return &p;
        return nullptr;
    }
};

TokenError malformed()
{
    return TokenError::MalformedHeader;
}

// A cursor over a field value with the RFC 9110 productions this scheme needs.
class FieldReader {
public:
    explicit FieldReader(std::string_view s)
        : m_s(s)
    { }

    bool atEnd() const { return m_pos >= m_s.size(); }
    char peek() const { return m_s[m_pos]; }
    size_t pos() const { return m_pos; }
    void seek(size_t pos) { m_pos = pos; }
    void advance() { ++m_pos; }

    // OWS = *( SP / HTAB ) (Section 5.6.3).
    void skipOws()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t'))
            ++m_pos;
    }
    size_t skipSpaces()
    {
        const size_t start = m_pos;
        while (!atEnd() && peek() == ' ')
            ++m_pos;
        return m_pos - start;
    }
    std::string_view readToken()
    {
        const size_t start = m_pos;
        while (!atEnd() && isTchar(peek()))
            ++m_pos;
        return m_s.substr(start, m_pos - start);
    }
    // 1*tchar, then any '=' padding (see parseWwwAuthenticate).
    std::string_view readBareValue()
    {
        const size_t start = m_pos;
        readToken();
        if (m_pos == start)
            return {};
        while (!atEnd() && peek() == '=')
            ++m_pos;
        return m_s.substr(start, m_pos - start);
    }
    std::string_view readToken68()
    {
        const size_t start = m_pos;
        while (!atEnd() && isToken68Char(peek()))
            ++m_pos;
        if (m_pos == start)
            return {};
        while (!atEnd() && peek() == '=')
            ++m_pos;
        return m_s.substr(start, m_pos - start);
    }
    // quoted-string (Section 5.6.4), at the opening DQUOTE.
    TokenResult<std::string> readQuoted()
    {
        std::string out;
        ++m_pos;
        while (!atEnd()) {
            const auto c = static_cast<unsigned char>(peek());
            ++m_pos;
            if (c == '"')
                return out;
            if (c == '\\') {
                if (atEnd())
                    break;
                const auto e = static_cast<unsigned char>(peek());
                ++m_pos;
                if (e != '\t' && (e < 0x20 || e == 0x7f))
                    return fail(malformed(), "a control character in a quoted-pair");
                out += static_cast<char>(e);
                continue;
            }
            if (c != '\t' && (c < 0x20 || c == 0x7f))
                return fail(malformed(), "a control character in a quoted string");
            out += static_cast<char>(c);
        }
        return fail(malformed(), "a quoted string without its closing quote");
    }

private:
    std::string_view m_s;
    size_t m_pos = 0;
};

enum class ParamTry { Param, NotParam };

// auth-param = token BWS "=" BWS ( token / quoted-string ). NotParam (cursor
// restored) when the text there is not of that shape, so the caller can read
// a token68 or the next challenge instead.
TokenResult<ParamTry> tryParam(FieldReader &r, AuthParam &out)
{
    const size_t start = r.pos();
    const std::string_view name = r.readToken();
    if (name.empty()) {
        r.seek(start);
        return ParamTry::NotParam;
    }
    r.skipOws();
    if (r.atEnd() || r.peek() != '=') {
        r.seek(start);
        return ParamTry::NotParam;
    }
    r.advance();
    r.skipOws();
    if (!r.atEnd() && r.peek() == '"') {
        SOTTO_TRY(out.value, r.readQuoted());
    } else {
        const std::string_view v = r.readBareValue();
        if (v.empty()) {
            r.seek(start);
            return ParamTry::NotParam;
        }
        out.value = std::string(v);
    }
    out.name = lower(name);
    return ParamTry::Param;
}

TokenStatus addParam(AuthChallenge &ch, AuthParam p)
{
    // RFC 9110 Section 11.2: each parameter name only once per challenge.
    if (ch.find(p.name))
        return fail(malformed(), "the parameter " + p.name + " appears twice");
    ch.params.push_back(std::move(p));
    return Done {};
}

// The parameters (or token68) of one challenge, after its scheme and 1*SP;
// stops before the comma that starts the next challenge.
TokenStatus readChallengeBody(FieldReader &r, AuthChallenge &ch)
{
    AuthParam p;
    SOTTO_TRY(const ParamTry first, tryParam(r, p));
    if (first == ParamTry::NotParam) {
        if (r.readToken68().empty())
            return fail(malformed(),
                "expected an auth-param or token68 at offset " + std::to_string(r.pos()));
        ch.token68 = true;
        r.skipOws();
        if (!r.atEnd() && r.peek() != ',')
            return fail(malformed(), "unexpected text after a token68 value");
        return Done {};
    }
    SOTTO_TRY(auto added, addParam(ch, std::move(p)));
    (void)added;
    for (;;) {
        r.skipOws();
        if (r.atEnd())
            return Done {};
        if (r.peek() != ',')
            return fail(malformed(),
                "expected ',' after the parameter at offset " + std::to_string(r.pos()));
        const size_t comma = r.pos();
        while (!r.atEnd() && (r.peek() == ',' || r.peek() == ' ' || r.peek() == '\t'))
            r.advance(); // empty list elements are allowed (Section 5.6.1)
        if (r.atEnd())
            return Done {};
        AuthParam next;
        SOTTO_TRY(const ParamTry t, tryParam(r, next));
        if (t == ParamTry::NotParam) {
            r.seek(comma); // a new challenge begins
            return Done {};
        }
        SOTTO_TRY(auto ok, addParam(ch, std::move(next)));
        (void)ok;
    }
}

// #challenge (RFC 9110 Sections 11.6.1 and 5.6.1).
TokenResult<std::vector<AuthChallenge>> parseChallengeList(std::string_view value)
{
    if (value.size() > kMaxAuthHeaderLength)
        return fail(malformed(),
            "the field is " + std::to_string(value.size()) + " bytes, more than "
                + std::to_string(kMaxAuthHeaderLength));
    std::vector<AuthChallenge> out;
    FieldReader r(value);
    for (;;) {
        r.skipOws();
        if (r.atEnd())
            return out;
        if (r.peek() == ',') {
            r.advance();
            continue;
        }
        AuthChallenge ch;
        ch.scheme = std::string(r.readToken());
        if (ch.scheme.empty())
            return fail(
                malformed(), "expected an auth-scheme at offset " + std::to_string(r.pos()));
        const size_t spaces = r.skipSpaces();
        r.skipOws();
        if (!r.atEnd() && r.peek() != ',') {
            if (spaces == 0)
                return fail(malformed(), "expected a space after the scheme " + ch.scheme);
            SOTTO_TRY(auto body, readChallengeBody(r, ch));
            (void)body;
        }
        out.push_back(std::move(ch));
    }
}

bool isPrivateToken(const AuthChallenge &ch)
{
    return lower(ch.scheme) == "privatetoken";
}

} // namespace

std::string base64UrlEncode(ByteView data, Base64Padding padding)
{
    return base64Encode(data, Base64Alphabet::Url, padding);
}

std::optional<Bytes> base64UrlDecode(std::string_view text)
{
    return base64Decode(text, Base64Alphabet::Url, Base64PaddingRule::Optional);
}

std::string formatAuthorization(const Token &token)
{
    const std::string b64 = base64UrlEncode(token.encode(), Base64Padding::Include);
    if (b64.find('=') != std::string::npos)
        return "PrivateToken token=\"" + b64 + "\"";
    return "PrivateToken token=" + b64;
}

TokenResult<Token> parseAuthorization(std::string_view value)
{
    SOTTO_TRY(const auto list, parseChallengeList(value));
    if (list.size() != 1)
        return fail(malformed(), "expected one credential, got " + std::to_string(list.size()));
    const AuthChallenge &cred = list.front();
    if (!isPrivateToken(cred))
        return fail(malformed(), "expected the PrivateToken scheme, got " + cred.scheme);
    if (cred.token68)
        return fail(malformed(), "PrivateToken takes parameters, not a token68 value");
    const AuthParam *token = cred.find("token");
    if (!token)
        return fail(malformed(), "no token parameter");
    auto bytes = base64UrlDecode(token->value);
    if (!bytes)
        return fail(malformed(), "token is not base64url");
    return Token::decode(*bytes);
}

uint16_t PrivateTokenChallenge::tokenType() const
{
    if (challenge.size() < 2)
        return 0;
    return static_cast<uint16_t>((challenge[0] << 8) | challenge[1]);
}

TokenResult<std::string> formatWwwAuthenticate(const PrivateTokenChallenge &c)
{
    if (c.challenge.size() < 2)
        return fail(TokenError::InvalidLength,
            "a TokenChallenge has at least 2 bytes, got " + std::to_string(c.challenge.size()));
    std::string out
        = "PrivateToken challenge=\"" + base64UrlEncode(c.challenge, Base64Padding::Include) + "\"";
    if (!c.tokenKey.empty())
        out += ", token-key=\"" + base64UrlEncode(c.tokenKey, Base64Padding::Include) + "\"";
    if (c.maxAge)
        out += ", max-age=" + std::to_string(*c.maxAge);
    return out;
}

TokenResult<std::vector<PrivateTokenChallenge>> parseWwwAuthenticate(std::string_view value)
{
    SOTTO_TRY(const auto list, parseChallengeList(value));
    std::vector<PrivateTokenChallenge> out;
    for (const AuthChallenge &ch : list) {
        if (!isPrivateToken(ch))
            continue;
        if (ch.token68)
            return fail(malformed(), "PrivateToken takes parameters, not a token68 value");
        PrivateTokenChallenge c;
        const AuthParam *challenge = ch.find("challenge");
        if (!challenge)
            return fail(malformed(), "a PrivateToken challenge without the challenge attribute");
        auto bytes = base64UrlDecode(challenge->value);
        if (!bytes)
            return fail(malformed(), "challenge is not base64url");
        if (bytes->size() < 2)
            return fail(TokenError::InvalidLength,
                "a TokenChallenge has at least 2 bytes, got " + std::to_string(bytes->size()));
        c.challenge = std::move(*bytes);
        if (const AuthParam *key = ch.find("token-key")) {
            auto k = base64UrlDecode(key->value);
            if (!k)
                return fail(malformed(), "token-key is not base64url");
            if (k->empty())
                return fail(malformed(), "token-key is empty");
            c.tokenKey = std::move(*k);
        }
        if (const AuthParam *age = ch.find("max-age")) {
            const std::string &v = age->value;
            if (v.empty() || v.size() > 19
                || v.find_first_not_of("0123456789") != std::string::npos)
                return fail(malformed(), "max-age is not a number of seconds");
            c.maxAge = std::stoull(v);
        }
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace sotto::privacypass
