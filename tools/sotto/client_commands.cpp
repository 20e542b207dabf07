// SPDX-License-Identifier: GPL-3.0-or-later
// `sotto summarize`, `sotto rewrite`, `sotto status`: the client pipeline of
// plugin/core (ProcessingSession) over a QXmpp account, for the demo, admins
// and QA. Progress goes to stderr on a terminal; --json prints one object
// {"result": <the gateway's answer>, "verification": <VerificationReport>}.
// Exit 0 only when the request succeeded (status: when verification did).
#include "plugin/core/processing_session.h"
#include "plugin/core/qxmpp_channel.h"
#include "tools/sotto/cli_options.h"
#include "tools/sotto/commands.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <unistd.h>

namespace sotto::cli {
namespace {

using client::ClientFailure;
using client::ProcessingOutcome;
using client::ProcessingSession;
using client::VerificationReport;

// Usage on stderr with exit 2 for a mistake, on stdout with exit 0 when asked.
int usage(const char *command, std::FILE *out = stderr)
{
    std::fprintf(out,
        "usage: sotto summarize (--stack STACK.json [--user N] | --account JID --password-file F\n"
        "                        [--host H] [--port P])\n"
        "                        (--chat CHAT.json | --with JID [--last N] | --room ROOM [--last N])\n"
        "                        [--json]\n"
        "                        [--lang L] [--max-points N] [--profile DIR] [--policy FILE]\n"
        "       sotto rewrite (--stack ... | --account ...) --style "
        "formal|friendly|concise|proofread\n"
        "                        [--json] [--lang L] [--profile DIR] [--policy FILE] [TEXT|-]\n"
        "       sotto status (--stack ... | --account ...) [--json] [--profile DIR] [--policy "
        "FILE]\n"
        "       sotto chat off|on JID (--stack ... | --account JID | --profile DIR)\n"
        "       sotto chat list (--stack ... | --account JID | --profile DIR) [--json]\n"
        "--with reads the last N (50) messages with JID from your server's archive (XEP-0313);\n"
        "--room those of a chat room from the room's archive, unless the room asks for no\n"
        "private processing (its urn:sotto:acp:0#no-private-processing option).\n"
        "chat off JID: never send this contact's or room's chat to private processing (on: allow\n"
        "it again); summarize --with/--room refuses a chat turned off.\n"
        "CHAT.json is {\"messages\":[{\"from\",\"time\",\"text\"}]}; a message may carry\n"
        "\"no_private_processing\": true (the participant's urn:sotto:acp:0 marker).\n");
    (void)command;
    return out == stderr ? kExitUsage : kExitOk;
}

bool asksForHelp(Args args)
{
    return std::any_of(
        args.begin(), args.end(), [](std::string_view a) { return a == "--help" || a == "-h"; });
}

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

// A decimal option value, or `fallback` when absent; nullopt when malformed.
std::optional<int> intOption(const Options &o, std::string_view name, int fallback)
{
    const auto v = o.value(name);
    if (!v)
        return fallback;
    bool ok = false;
    const int n = q(*v).toInt(&ok);
    if (!ok || n < 0) {
        std::fprintf(stderr, "sotto: %.*s needs a number, not \"%s\"\n",
            static_cast<int>(name.size()), name.data(), v->c_str());
        return std::nullopt;
    }
    return n;
}

void errLine(const QString &s)
{
    std::fprintf(stderr, "%s\n", s.toLocal8Bit().constData());
}

struct Setup {
    client::XmppAccount account;
    QString profileDir;
    QString policyPath;
    bool json = false;
    bool developmentStack = false; // --stack: the local stack's simulated TEE is accepted
};

// Where a profile lives: next to the local stack's file for its accounts,
// else in the user's data folder; --profile overrides both.
QString stackProfileDir(const QString &stackJson, const QString &jid)
{
    return QFileInfo(stackJson).absoluteDir().filePath(QStringLiteral("client-profile/") + jid);
}

QString accountProfileDir(const QString &jid)
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/sotto/") + jid;
}

// The account from --stack (DESIGN.md "Local stack") or --account.
std::optional<Setup> readSetup(const Options &o, const char *command)
{
    Setup s;
    s.json = o.has("--json");
    if (auto stack = o.value("--stack")) {
        s.developmentStack = true;
        const auto userIndex = intOption(o, "--user", 0);
        if (!userIndex)
            return std::nullopt;
        QString error;
        auto account = client::stackAccount(q(*stack), *userIndex, &error);
        if (!account) {
            errLine(QStringLiteral("sotto %1: %2").arg(QLatin1String(command), error));
            return std::nullopt;
        }
        s.account = *account;
        s.profileDir = stackProfileDir(q(*stack), s.account.jid);
    } else if (auto jid = o.value("--account")) {
        auto passwordFile = o.value("--password-file");
        if (!passwordFile) {
            errLine(QStringLiteral("sotto %1: --account needs --password-file")
                        .arg(QLatin1String(command)));
            return std::nullopt;
        }
        QFile f(q(*passwordFile));
        if (!f.open(QIODevice::ReadOnly)) {
            errLine(QStringLiteral("sotto %1: cannot read the password file")
                        .arg(QLatin1String(command)));
            return std::nullopt;
        }
        s.account.jid = q(*jid);
        s.account.password = QString::fromUtf8(f.readAll()).trimmed();
        if (auto host = o.value("--host"))
            s.account.host = q(*host);
        const auto port = intOption(o, "--port", 5222);
        if (!port)
            return std::nullopt;
        s.account.port = *port;
        s.profileDir = accountProfileDir(s.account.jid);
    } else {
        usage(command);
        return std::nullopt;
    }
    if (auto profile = o.value("--profile"))
        s.profileDir = q(*profile);
    s.policyPath = o.value("--policy") ? q(*o.value("--policy")) : client::defaultAdminPolicyPath();
    return s;
}

// Runs `body` once the account is connected, then the event loop until it
// calls quit(code).
class Runner {
public:
    explicit Runner(const Setup &setup)
        : m_setup(setup)
    {
        m_channel = std::make_unique<client::QXmppChannel>();
        client::SessionOptions options;
        options.profileDir = setup.profileDir;
        options.adminPolicyPath = setup.policyPath;
        options.developmentStack = setup.developmentStack;
        m_session = std::make_unique<ProcessingSession>(m_channel.get(), options);
        m_tty = isatty(STDERR_FILENO) != 0;
        QObject::connect(
            m_session.get(), &ProcessingSession::progress, [this](const QString &step) {
                if (m_tty)
                    std::fprintf(stderr, "\r\033[K%s", step.toLocal8Bit().constData());
            });
    }

    int exec(std::function<void()> body)
    {
        if (auto s = m_session->init(); !s.ok()) {
            errLine(client::toFailure(s.failure()).describe());
            return kExitFailure;
        }
        QObject::connect(
            m_channel.get(), &client::QXmppChannel::connectFailed, [this](const QString &why) {
                if (!m_started) {
                    clearProgress();
                    errLine(QStringLiteral("sotto: cannot connect %1: %2")
                                .arg(m_setup.account.jid, why));
                    QCoreApplication::exit(kExitFailure);
                }
            });
        QObject::connect(
            m_channel.get(), &client::XmppChannel::connectedChanged, [this, body](bool up) {
                if (up && !m_started) {
                    m_started = true;
                    body();
                }
            });
        if (m_tty)
            std::fprintf(
                stderr, "Connecting as %s…", m_setup.account.jid.toLocal8Bit().constData());
        m_channel->connectToServer(m_setup.account);
        const int code = QCoreApplication::exec();
        m_channel->disconnectFromServer();
        return code;
    }

    void clearProgress()
    {
        if (m_tty)
            std::fprintf(stderr, "\r\033[K");
    }

    ProcessingSession *session() { return m_session.get(); }
    client::QXmppChannel *channel() { return m_channel.get(); }
    const Setup &setup() const { return m_setup; }

    // Prints the outcome and ends the event loop with the exit status.
    void report(const std::optional<ProcessingOutcome> &outcome,
        const std::optional<ClientFailure> &failure, const VerificationReport &verification,
        const std::function<void(const QJsonObject &)> &printText)
    {
        clearProgress();
        if (failure) {
            errLine(QStringLiteral("sotto: ") + failure->describe());
            if (m_setup.json) {
                const QJsonObject o {
                    { QStringLiteral("error"),
                        QJsonObject { { QStringLiteral("code"), client::errorName(failure->code) },
                            { QStringLiteral("message"), failure->message() },
                            { QStringLiteral("detail"), failure->detail } } },
                    { QStringLiteral("verification"), verification.toJson() }
                };
                std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
            }
            QCoreApplication::exit(kExitFailure);
            return;
        }
        if (m_setup.json) {
            const QJsonObject o { { QStringLiteral("result"), outcome->result },
                { QStringLiteral("verification"), outcome->verification.toJson() } };
            std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
        } else {
            printText(outcome->result);
            std::printf("\n%s\n", outcome->verification.summary().toLocal8Bit().constData());
        }
        std::fflush(stdout);
        QCoreApplication::exit(kExitOk);
    }

private:
    Setup m_setup;
    std::unique_ptr<client::QXmppChannel> m_channel;
    std::unique_ptr<ProcessingSession> m_session;
    bool m_tty = false;
    bool m_started = false;
};

void printList(const QJsonObject &result, const char *key, const char *title)
{
    const auto list = result.value(QLatin1String(key)).toArray();
    if (list.isEmpty())
        return;
    std::printf("%s:\n", title);
    for (const auto &item : list) {
        // Items are strings or objects (the engines give text, who/what/when
        // for actions, before/after/reason for a rewrite's changes).
        const QJsonObject o = item.toObject();
        QString text;
        if (item.isString()) {
            text = item.toString();
        } else if (o.contains(QStringLiteral("before")) && o.contains(QStringLiteral("after"))) {
            text = QStringLiteral("\"%1\" → \"%2\"")
                       .arg(o.value(QStringLiteral("before")).toString(),
                           o.value(QStringLiteral("after")).toString());
            if (!o.value(QStringLiteral("reason")).toString().isEmpty())
                text += QStringLiteral(" (") + o.value(QStringLiteral("reason")).toString()
                    + QStringLiteral(")");
        } else if (!o.value(QStringLiteral("what")).toString().isEmpty()) {
            const QString who = o.value(QStringLiteral("who")).toString();
            const QString when = o.value(QStringLiteral("when")).toString();
            text = (who.isEmpty() ? QStringLiteral("?") : who) + QStringLiteral(": ")
                + o.value(QStringLiteral("what")).toString()
                + (when.isEmpty() ? QString() : QStringLiteral(" (") + when + QStringLiteral(")"));
        } else if (o.contains(QStringLiteral("text"))) {
            const QString from = o.value(QStringLiteral("from")).toString();
            text = (from.isEmpty() ? QString() : from + QStringLiteral(": "))
                + o.value(QStringLiteral("text")).toString();
        } else {
            text = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
        }
        std::printf("  - %s\n", text.toLocal8Bit().constData());
    }
}

// QCoreApplication needs argc/argv that outlive it.
struct App {
    int argc = 1;
    char name[6] = "sotto";
    char *argv[2] = { name, nullptr };
    QCoreApplication app { argc, argv };
    // The progress line and the summary are the CLI's output; the library's
    // informational log lines are not (warnings and the attack alarm are).
    App() { QLoggingCategory::setFilterRules(QStringLiteral("sotto.client.*.info=false")); }
};

const std::set<std::string_view> kAccountOptions = { "--stack", "--user", "--account",
    "--password-file", "--host", "--port", "--profile", "--policy", "--lang" };

} // namespace

int runSummarize(Args args)
{
    if (asksForHelp(args))
        return usage("summarize", stdout);
    auto valued = kAccountOptions;
    valued.insert({ "--chat", "--with", "--room", "--max-points", "--last" });
    Options o(valued, { "--json" });
    if (!o.parse(args) || !o.positional().empty()) {
        if (!o.error().empty())
            std::fprintf(stderr, "sotto summarize: %s\n", o.error().c_str());
        return usage("summarize");
    }
    const auto chatFile = o.value("--chat");
    const auto with = o.value("--with");
    const auto room = o.value("--room");
    if (int(chatFile.has_value()) + int(with.has_value()) + int(room.has_value()) != 1)
        return usage("summarize");
    App app;
    // The markers stay on this side: the gateway gets from, time, text only.
    client::ChatProcessingInput markers;
    QJsonArray messages;
    const auto add
        = [&](const QString &from, const QJsonValue &time, const QString &text, bool marker) {
              markers.messages.append({ from, marker });
              messages.append(QJsonObject { { QStringLiteral("from"), from },
                  { QStringLiteral("time"), time }, { QStringLiteral("text"), text } });
          };
    if (chatFile) {
        QFile f(q(*chatFile));
        if (!f.open(QIODevice::ReadOnly)) {
            errLine(QStringLiteral("sotto summarize: cannot read ") + q(*chatFile));
            return kExitFailure;
        }
        const auto chat = QJsonDocument::fromJson(f.readAll()).object();
        markers.roomForbidsProcessing
            = chat.value(QStringLiteral("room_no_private_processing")).toBool();
        for (const auto &m : chat.value(QStringLiteral("messages")).toArray()) {
            const auto msg = m.toObject();
            add(msg.value(QStringLiteral("from")).toString(), msg.value(QStringLiteral("time")),
                msg.value(QStringLiteral("text")).toString(),
                msg.value(QStringLiteral("no_private_processing")).toBool());
        }
        if (messages.isEmpty()) {
            errLine(QStringLiteral("sotto summarize: %1 has no messages").arg(q(*chatFile)));
            return kExitFailure;
        }
    }
    auto setup = readSetup(o, "summarize");
    if (!setup)
        return kExitUsage;
    const QString lang = o.value("--lang") ? q(*o.value("--lang")) : QString();
    const auto maxPoints = intOption(o, "--max-points", 0);
    const auto last = intOption(o, "--last", 50);
    if (!maxPoints || !last)
        return kExitUsage;
    Runner runner(*setup);
    const auto summarize = [&] {
        runner.session()->summarize(messages, markers, lang, *maxPoints,
            [&](const auto &outcome, const auto &failure, const auto &report) {
                runner.report(outcome, failure, report, [](const QJsonObject &r) {
                    printList(r, "summary", "Summary");
                    printList(r, "decisions", "Decisions");
                    printList(r, "questions", "Open questions");
                    printList(r, "actions", "Actions");
                });
            });
    };
    // These outlive the calls that start the XMPP queries: runner.exec runs
    // the event loop until the answer is reported.
    const auto failed = [&](const ClientFailure &f) {
        runner.report(std::nullopt, f, VerificationReport {}, {});
    };
    const auto fromArchive = [&](const QString &what) {
        return [&, what](const client::ClientResult<QVector<client::ArchivedMessage>> &archive) {
            if (!archive.ok())
                return failed(client::toFailure(archive.failure()));
            for (const auto &m : *archive)
                add(m.from, m.time.toString(Qt::ISODate), m.text, m.noPrivateProcessing);
            if (messages.isEmpty())
                return failed({ client::ClientError::XmppError,
                    QStringLiteral("the archive holds no readable message ") + what });
            summarize();
        };
    };
    return runner.exec([&] {
        if (chatFile)
            return summarize();
        // --with: the chat from the account's server archive (XEP-0313).
        markers.chatJid = q(with ? *with : *room);
        if (with)
            return runner.channel()->fetchArchive(
                q(*with), *last, fromArchive(QStringLiteral("with ") + q(*with)));
        // --room: the room's own answer first. A room that cannot be asked is
        // not summarized (fail-closed); one that asks for no processing is not
        // read at all, and the session refuses it with the reason.
        client::queryRoomProcessing(
            runner.channel(), q(*room), [&](const client::ClientResult<bool> &forbids) {
                if (!forbids.ok())
                    return failed(client::toFailure(forbids.failure()));
                markers.roomForbidsProcessing = *forbids;
                if (*forbids)
                    return summarize();
                runner.channel()->fetchRoomArchive(
                    q(*room), *last, fromArchive(QStringLiteral("in ") + q(*room)));
            });
    });
}

int runRewrite(Args args)
{
    if (asksForHelp(args))
        return usage("rewrite", stdout);
    auto valued = kAccountOptions;
    valued.insert("--style");
    Options o(valued, { "--json" });
    if (!o.parse(args) || o.positional().size() > 1) {
        if (!o.error().empty())
            std::fprintf(stderr, "sotto rewrite: %s\n", o.error().c_str());
        return usage("rewrite");
    }
    const auto style = o.value("--style");
    static const std::set<std::string> kStyles = { "formal", "friendly", "concise", "proofread" };
    if (!style || !kStyles.count(*style))
        return usage("rewrite");
    std::string text;
    if (o.positional().empty() || o.positional().front() == "-")
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    else
        text = o.positional().front();
    App app;
    auto setup = readSetup(o, "rewrite");
    if (!setup)
        return kExitUsage;
    const QString lang = o.value("--lang") ? q(*o.value("--lang")) : QString();
    Runner runner(*setup);
    return runner.exec([&] {
        runner.session()->rewrite(QString::fromStdString(text).trimmed(), q(*style), lang,
            [&](const auto &outcome, const auto &failure, const auto &report) {
                runner.report(outcome, failure, report, [](const QJsonObject &r) {
                    std::printf("%s\n",
                        r.value(QStringLiteral("text")).toString().toLocal8Bit().constData());
                    printList(r, "changes", "Changes");
                });
            });
    });
}

int runStatus(Args args)
{
    if (asksForHelp(args))
        return usage("status", stdout);
    Options o(kAccountOptions, { "--json" });
    if (!o.parse(args) || !o.positional().empty())
        return usage("status");
    App app;
    auto setup = readSetup(o, "status");
    if (!setup)
        return kExitUsage;
    Runner runner(*setup);
    return runner.exec([&] {
        runner.session()->verifyOnly([&](const std::optional<ClientFailure> &failure,
                                         const VerificationReport &report,
                                         const std::optional<client::ServiceConfig> &service) {
            runner.clearProgress();
            const int tokens = service ? runner.session()->wallet()->count(*service) : 0;
            if (runner.setup().json) {
                QJsonObject out { { QStringLiteral("service"),
                                      service ? service->componentJid : QString() },
                    { QStringLiteral("tokens"), tokens },
                    { QStringLiteral("verification"), report.toJson() } };
                if (failure)
                    out.insert(QStringLiteral("error"),
                        QJsonObject { { QStringLiteral("code"), client::errorName(failure->code) },
                            { QStringLiteral("message"), failure->message() },
                            { QStringLiteral("detail"), failure->detail } });
                std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
            } else {
                if (service)
                    std::printf("service: %s (features: %s)\ntokens: %d\n",
                        service->componentJid.toLocal8Bit().constData(),
                        service->features.join(QStringLiteral(", ")).toLocal8Bit().constData(),
                        tokens);
                if (failure)
                    errLine(QStringLiteral("verification: FAILED: ") + failure->describe());
                else
                    std::printf("%s\n", report.summary().toLocal8Bit().constData());
            }
            std::fflush(stdout);
            QCoreApplication::exit(failure ? kExitFailure : kExitOk);
        });
    });
}

int runChat(Args args)
{
    if (asksForHelp(args))
        return usage("chat", stdout);
    Options o({ "--stack", "--user", "--account", "--profile" }, { "--json" });
    if (!o.parse(args)) {
        std::fprintf(stderr, "sotto chat: %s\n", o.error().c_str());
        return usage("chat");
    }
    const auto &pos = o.positional();
    const bool list = pos.size() == 1 && pos[0] == "list";
    const bool set = pos.size() == 2 && (pos[0] == "off" || pos[0] == "on");
    if (!list && !set)
        return usage("chat");
    // The profile: the same folder summarize and the Psi+ plugin use.
    QString profile;
    if (auto p = o.value("--profile")) {
        profile = q(*p);
    } else if (auto stack = o.value("--stack")) {
        const auto userIndex = intOption(o, "--user", 0);
        if (!userIndex)
            return kExitUsage;
        QString error;
        auto account = client::stackAccount(q(*stack), *userIndex, &error);
        if (!account) {
            errLine(QStringLiteral("sotto chat: ") + error);
            return kExitFailure;
        }
        profile = stackProfileDir(q(*stack), account->jid);
    } else if (auto jid = o.value("--account")) {
        profile = accountProfileDir(q(*jid));
    } else {
        return usage("chat");
    }
    const auto chats = client::ChatSettings::inProfile(profile);
    if (set) {
        const QString jid = client::ChatSettings::normalize(q(pos[1]));
        if (jid.isEmpty()) {
            errLine(QStringLiteral("sotto chat: \"%1\" is not a chat's address (a JID)")
                        .arg(q(pos[1])));
            return kExitUsage;
        }
        if (auto s = chats.setTurnedOff(jid, pos[0] == "off"); !s.ok()) {
            errLine(QStringLiteral("sotto chat: ") + client::toFailure(s.failure()).describe());
            return kExitFailure;
        }
        std::printf("%s: private processing %s\n", jid.toLocal8Bit().constData(),
            pos[0] == "off" ? "turned off" : "allowed");
        return kExitOk;
    }
    const auto off = chats.turnedOff();
    if (!off.ok()) {
        errLine(QStringLiteral("sotto chat: ") + client::toFailure(off.failure()).describe());
        return kExitFailure;
    }
    if (o.has("--json")) {
        const QJsonObject j { { QStringLiteral("turned_off"), QJsonArray::fromStringList(*off) } };
        std::printf("%s\n", QJsonDocument(j).toJson(QJsonDocument::Compact).constData());
    } else {
        for (const auto &jid : *off)
            std::printf("%s\n", jid.toLocal8Bit().constData());
    }
    return kExitOk;
}

} // namespace sotto::cli
