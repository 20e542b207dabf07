// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/core/xml.h"

#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace sotto::client {

namespace {

std::optional<XmlElement> readElement(QXmlStreamReader &reader)
{
    XmlElement element(reader.name().toString(), reader.namespaceUri().toString());
    for (const auto &a : reader.attributes()) {
        // Namespace declarations are not attributes in QXmlStreamReader's
        // model; xml:lang and plain attributes are kept by qualified name.
        element.setAttribute(a.qualifiedName().toString(), a.value().toString());
    }
    QString text;
    while (!reader.atEnd()) {
        const auto token = reader.readNext();
        if (token == QXmlStreamReader::StartElement) {
            auto child = readElement(reader);
            if (!child)
                return std::nullopt;
            element.appendChild(std::move(*child));
        } else if (token == QXmlStreamReader::Characters) {
            text += reader.text();
        } else if (token == QXmlStreamReader::EndElement) {
            element.setText(std::move(text));
            return element;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<XmlElement> XmlElement::parse(const QString &xml)
{
    QXmlStreamReader reader(xml);
    std::optional<XmlElement> root;
    while (!reader.atEnd()) {
        const auto token = reader.readNext();
        if (token == QXmlStreamReader::StartElement) {
            if (root)
                return std::nullopt; // a second root
            root = readElement(reader);
            if (!root)
                return std::nullopt;
        }
    }
    if (reader.hasError() || !root)
        return std::nullopt;
    return root;
}

QString XmlElement::attribute(const QString &name) const
{
    for (const auto &[k, v] : m_attributes) {
        if (k == name)
            return v;
    }
    return {};
}

bool XmlElement::hasAttribute(const QString &name) const
{
    for (const auto &a : m_attributes) {
        if (a.first == name)
            return true;
    }
    return false;
}

XmlElement &XmlElement::setAttribute(const QString &name, const QString &value)
{
    for (auto &a : m_attributes) {
        if (a.first == name) {
            a.second = value;
            return *this;
        }
    }
    m_attributes.append({ name, value });
    return *this;
}

XmlElement &XmlElement::setText(QString text)
{
    m_text = std::move(text);
    return *this;
}

XmlElement &XmlElement::appendChild(XmlElement child)
{
    m_children.append(std::move(child));
    return *this;
}

XmlElement XmlElement::firstChild(const QString &name, const QString &ns) const
{
    for (const auto &c : m_children) {
        if (c.m_name == name && (ns.isEmpty() || c.m_ns == ns))
            return c;
    }
    return {};
}

QVector<XmlElement> XmlElement::childrenNamed(const QString &name, const QString &ns) const
{
    QVector<XmlElement> out;
    for (const auto &c : m_children) {
        if (c.m_name == name && (ns.isEmpty() || c.m_ns == ns))
            out.append(c);
    }
    return out;
}

namespace {

void write(QXmlStreamWriter &writer, const XmlElement &e, const QString &parentNs)
{
    writer.writeStartElement(e.name());
    if (e.ns() != parentNs)
        writer.writeDefaultNamespace(e.ns());
    for (const auto &[k, v] : e.attributes())
        writer.writeAttribute(k, v);
    if (!e.text().isEmpty())
        writer.writeCharacters(e.text());
    for (const auto &child : e.children())
        write(writer, child, e.ns());
    writer.writeEndElement();
}

} // namespace

QString XmlElement::toString() const
{
    QString out;
    QXmlStreamWriter writer(&out);
    write(writer, *this, QString());
    return out;
}

} // namespace sotto::client
