// SPDX-License-Identifier: GPL-3.0-or-later
// Policy: what this client accepts, from four layers (DESIGN.md step 4,
// issue 9): built-in defaults < the server's form < the administrator's file
// (/etc/xdg/sotto/policy.conf) < the user's settings where the administrator
// allows them. A user may always make a setting stricter (refuse simulated
// TEEs, ask for more witnesses, use fewer relays, disable a feature); only
// loosening needs the administrator's leave.
//
// Also the chat-level rule: a chat where a participant asked for no AI
// processing cannot be summarized (decideChatProcessing, a pure function).
#pragma once

#include "plugin/core/errors.h"
#include "plugin/core/service_config.h"
#include "plugin/core/xml.h"

#include "protocol/snp/policy.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace sotto::client {

inline const QString kNoProcessingNs = QStringLiteral("urn:sotto:acp:0");
// The field of a MUC room's disco#info form (XEP-0045 muc#roominfo, XEP-0128)
// that marks the whole room.
inline const QString kRoomNoProcessingField
    = QStringLiteral("urn:sotto:acp:0#no-private-processing");

QString defaultAdminPolicyPath(); // /etc/xdg/sotto/policy.conf

// The administrator's file, INI syntax (QSettings), section [policy]:
//   forced-off = false            turn private processing off entirely
//   allow-simulated = false       accept a simulated TEE (development only)
//   minimum-witnesses = 2         witness cosignatures required at least
//   allowed-relays = URL, URL     relays that may be used (default: any the server names)
//   disabled-features = rewrite:friendly, ...
//   user-may-change = allow-simulated, allowed-relays, minimum-witnesses
struct AdminPolicy {
    bool forcedOff = false;
    std::optional<bool> allowSimulated;
    int minimumWitnesses = 0;
    std::optional<QStringList> allowedRelays;
    QStringList disabledFeatures;
    QStringList userMayChange;
};

// A missing file is the empty policy; an unreadable or malformed one is
// PolicyFileInvalid (never silently ignored: the admin meant something).
ClientResult<AdminPolicy> loadAdminPolicy(const QString &path);

struct UserSettings {
    std::optional<bool> allowSimulated;
    std::optional<int> minimumWitnesses;
    std::optional<QStringList> allowedRelays;
    QStringList disabledFeatures;
};

struct EffectivePolicy {
    bool enabled = true;
    bool allowSimulated = false;
    size_t witnessQuorum = 1;
    QStringList relays;   // the service's relays this client may use
    QStringList features; // the service's features this client may use
    snp::TeePolicy tee;
};

// Built-in defaults: simulated refused (the server's allow-simulated is
// needed but never enough: the client's own policy must allow it too), at least one witness, every
// relay the server names, every feature it offers, AMD's policy defaults (debug and migration agent
// forbidden, VMPL 0).
EffectivePolicy effectivePolicy(
    const ServiceConfig &service, const AdminPolicy &admin, const UserSettings &user);

// Two relay URLs name the same relay (scheme, host, port, path; a trailing
// slash does not count).
bool sameRelay(const QString &a, const QString &b);

// --- The no-private-processing marker ------------------------------------

struct ChatMessageMarker {
    QString from;                     // who sent the message
    bool noPrivateProcessing = false; // the message carried the marker
};

struct ChatProcessingInput {
    // The chat's bare JID (contact or room), when known: ProcessingSession
    // then also reads the user's per-chat setting (chat_settings.h).
    QString chatJid;
    bool userOptedOut = false;          // the user turned processing off for this chat
    bool roomForbidsProcessing = false; // the MUC room's form sets the field
    QVector<ChatMessageMarker> messages;
};

struct ChatDecision {
    bool allowed = true;
    ClientError reason = ClientError::ChatOptedOut;
    QStringList requestedBy; // the participants who asked, for the UI's "why"
};

ChatDecision decideChatProcessing(const ChatProcessingInput &input);
// <no-private-processing xmlns='urn:sotto:acp:0'/> anywhere directly in a <message/>.
bool messageForbidsProcessing(const XmlElement &message);
// The muc#roominfo form of a room's disco#info query sets kRoomNoProcessingField
// (any value but "0" and "false": an unreadable one counts as set).
bool roomFormForbidsProcessing(const XmlElement &discoInfoQuery);

} // namespace sotto::client
