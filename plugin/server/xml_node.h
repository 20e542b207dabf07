// SPDX-License-Identifier: GPL-3.0-or-later
// One XML element of an XMPP stanza as a small tree, built from QXmlStreamReader events and
// written with QXmlStreamWriter (no hand-written XML on either side).
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QXmlStreamAttributes>

#include <optional>

namespace sotto::component {

class XmlNode {
public:
    XmlNode() = default;
    XmlNode(QString name, QString ns = {});

    const QString &name() const { return m_name; }
    const QString &ns() const { return m_ns; }
    const QString &text() const { return m_text; }
    void setText(const QString &text) { m_text = text; }
    void appendText(QStringView text) { m_text.append(text); }

    QString attribute(const QString &name) const;
    bool hasAttribute(const QString &name) const;
    void setAttribute(const QString &name, const QString &value);
    const QList<QPair<QString, QString>> &attributes() const { return m_attributes; }

    const QList<XmlNode> &children() const { return m_children; }
    QList<XmlNode> &children() { return m_children; }
    XmlNode &appendChild(XmlNode child);
    // The first child with this name (and namespace, when given), or nullptr.
    const XmlNode *firstChild(const QString &name, const QString &ns = {}) const;

    // One whole element from its XML text (tests, tools); nullopt when it is not well-formed
    // or holds more than one root element.
    static std::optional<XmlNode> fromXml(const QByteArray &xml);

    // Writes the element; its namespace is declared where it differs from `parentNs`
    // (a stanza inherits the stream's default namespace).
    QByteArray toXml(const QString &parentNs) const;

private:
    QString m_name;
    QString m_ns;
    QString m_text;
    QList<QPair<QString, QString>> m_attributes;
    QList<XmlNode> m_children;
};

} // namespace sotto::component
