// SPDX-License-Identifier: GPL-3.0-or-later
// A small XML element tree for IQ payloads, read and written with Qt Core's
// QXmlStreamReader/Writer, so that plugin/core needs no Qt Xml and hosts can
// hand over stanzas as text (Psi+'s StanzaSendingHost takes a QString too).
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>
#include <utility>

namespace sotto::client {

class XmlElement {
public:
    XmlElement() = default;
    XmlElement(QString name, QString ns)
        : m_name(std::move(name))
        , m_ns(std::move(ns))
    { }

    // One element (the whole input); nullopt for anything not well-formed.
    static std::optional<XmlElement> parse(const QString &xml);
    QString toString() const;

    const QString &name() const { return m_name; }
    const QString &ns() const { return m_ns; }
    bool isNull() const { return m_name.isEmpty(); }

    const QList<std::pair<QString, QString>> &attributes() const { return m_attributes; }
    QString attribute(const QString &name) const;
    bool hasAttribute(const QString &name) const;
    XmlElement &setAttribute(const QString &name, const QString &value);

    // Concatenated character data directly inside this element.
    const QString &text() const { return m_text; }
    XmlElement &setText(QString text);

    const QVector<XmlElement> &children() const { return m_children; }
    XmlElement &appendChild(XmlElement child);
    // First child with this name (and namespace, when given); a null element if none.
    XmlElement firstChild(const QString &name, const QString &ns = {}) const;
    QVector<XmlElement> childrenNamed(const QString &name, const QString &ns = {}) const;

private:
    QString m_name;
    QString m_ns;
    QList<std::pair<QString, QString>> m_attributes;
    QString m_text;
    QVector<XmlElement> m_children;
};

} // namespace sotto::client
