// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for what the client core reads from XMPP (plugin/core):
// the input is one XML element, as a server or another participant could
// send it. It is parsed (XmlElement::parse) and given to every reader:
//   - parseServiceForm (the urn:sotto:pp:0 form of a disco#info answer),
//   - roomFormForbidsProcessing (a chat room's muc#roominfo form),
//   - messageForbidsProcessing (the per-message marker),
//   - IqReply::fromStanza (an <iq/> answer).
// Besides "no crash, no leak": a parsed element prints to XML that parses to
// the same element, and an accepted service form has what the pipeline
// relies on (a relay, a quorum the witnesses can meet; 0 leaves it to the
// client's own minimum-witnesses).
//
// Seeds (corpus/client_xmpp/): a room's disco#info with the option set, as
// Prosody 0.12 with deploy/prosody/modules/mod_muc_sotto_acp.lua answers it;
// a message with the marker (DESIGN.md); an IQ error (RFC 6120 Section 8.3.2's
// example, with a <text/>); the disco#info of the local stack's sotto-component
// (its urn:sotto:pp:0 form), as recorded with slixmpp (ElementTree's ns1: prefix).
#include "plugin/core/policy.h"
#include "plugin/core/service_config.h"
#include "plugin/core/xml.h"
#include "plugin/core/xmpp_channel.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace sotto::client;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const QString text
        = QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<int>(size));
    const auto element = XmlElement::parse(text);
    if (!element)
        return 0;
    const auto again = XmlElement::parse(element->toString());
    if (!again || again->toString() != element->toString())
        std::abort();

    const auto config = parseServiceForm(*element, QStringLiteral("pp.example.org"));
    if (config.ok()) {
        if (config->relayUrls.isEmpty() || config->witnessQuorum < 0
            || config->witnessQuorum > static_cast<int>(config->witnessKeys.size()))
            std::abort();
    }
    (void)roomFormForbidsProcessing(*element);
    (void)messageForbidsProcessing(*element);
    const IqReply reply = IqReply::fromStanza(*element);
    // Only a type='result' answer is a result.
    if (reply.ok() && element->attribute(QStringLiteral("type")) != QLatin1String("result"))
        std::abort();
    // Any other answer is an error with a condition to show.
    if (!reply.ok() && reply.errorCondition.isEmpty())
        std::abort();
    return 0;
}
