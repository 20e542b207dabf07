// SPDX-License-Identifier: GPL-3.0-or-later
#include "plugin/server/xml_node.h"

#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <vector>

namespace sotto::component {

XmlNode::XmlNode(QString name, QString ns)
    : m_name(std::move(name))
    , m_ns(std::move(ns))
{ }

QString XmlNode::attribute(const QString &name) const
{
    for (const auto &[k, v] : m_attributes) {
        if (k == name)
            return v;
    }
    return {};
}

bool XmlNode::hasAttribute(const QString &name) const
{
    for (const auto &a : m_attributes) {
        if (a.first == name)
            return true;
    }
    return false;
}

void XmlNode::setAttribute(const QString &name, const QString &value)
{
    for (auto &a : m_attributes) {
        if (a.first == name) {
            a.second = value;
            return;
        }
    }
    m_attributes.append({ name, value });
}

XmlNode &XmlNode::appendChild(XmlNode child)
{
    m_children.append(std::move(child));
    return m_children.last();
}

const XmlNode *XmlNode::firstChild(const QString &name, const QString &ns) const
{
    for (const auto &c : m_children) {
        if (c.m_name == name && (ns.isEmpty() || c.m_ns == ns))
            return &c;
    }
    return nullptr;
}

namespace {

void write(QXmlStreamWriter &w, const XmlNode &node, const QString &parentNs)
{
    w.writeStartElement(node.name());
    if (node.ns() != parentNs)
        w.writeDefaultNamespace(node.ns());
    for (const auto &[k, v] : node.attributes())
        w.writeAttribute(k, v);
    if (!node.text().isEmpty())
        w.writeCharacters(node.text());
    for (const auto &c : node.children())
        write(w, c, node.ns());
    w.writeEndElement();
}

} // namespace

std::optional<XmlNode> XmlNode::fromXml(const QByteArray &xml)
{
    QXmlStreamReader reader(xml);
    std::vector<XmlNode> stack;
    std::optional<XmlNode> root;
    while (!reader.atEnd()) {
        const auto token = reader.readNext();
        if (token == QXmlStreamReader::StartElement) {
            if (root)
                return std::nullopt;
            XmlNode node(reader.name().toString(), reader.namespaceUri().toString());
            for (const auto &a : reader.attributes())
                node.setAttribute(a.qualifiedName().toString(), a.value().toString());
            stack.push_back(std::move(node));
        } else if (token == QXmlStreamReader::Characters && !stack.empty()) {
            stack.back().appendText(reader.text());
        } else if (token == QXmlStreamReader::EndElement) {
            XmlNode done = std::move(stack.back());
            stack.pop_back();
            if (stack.empty())
                root = std::move(done);
            else
                stack.back().appendChild(std::move(done));
        }
    }
    if (reader.hasError() || !root)
        return std::nullopt;
    return root;
}

QByteArray XmlNode::toXml(const QString &parentNs) const
{
    QByteArray out;
    QXmlStreamWriter w(&out);
    write(w, *this, parentNs);
    return out;
}

} // namespace sotto::component
