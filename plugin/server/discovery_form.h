// SPDX-License-Identifier: GPL-3.0-or-later
// The service form of DESIGN.md "Discovery form": an XEP-0128 extension of the component's
// disco#info (XEP-0030), a XEP-0004 form of type "result" whose hidden FORM_TYPE is
// urn:sotto:pp:0. This is its model; the XML is written by the Qt layer. Qt-free.
#pragma once

#include "plugin/server/component_config.h"

#include "protocol/common/bytes.h"

#include <string>
#include <vector>

namespace sotto::component {

inline constexpr std::string_view kServiceFormType = "urn:sotto:pp:0";

struct FormField {
    std::string var;
    std::string type; // XEP-0004 Section 3.3 field type
    std::vector<std::string> values;
};

// Every field of DESIGN.md, in its order, with FORM_TYPE first; token-key is the base64
// RSASSA-PSS SPKI of the current issuer key.
std::vector<FormField> discoveryFormFields(const ComponentConfig &config, ByteView currentSpki);

} // namespace sotto::component
