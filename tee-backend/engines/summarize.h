// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in summarizer (POST /v1/summarize): an extractive digest of a chat
// plus the decisions, open questions and action items found in it.
//
// Key points: sentences are TF-IDF vectors over Snowball stems (stop words
// out); centrality is LexRank (Erkan & Radev 2004, continuous variant with a
// 0.1 edge threshold, PageRank damping 0.85) computed on a sentence graph that
// links each sentence to its neighbours within a window, which keeps time and
// memory linear in the chat's length, blended with MEAD-style centroid
// similarity (Radev et al. 2004) for the chat-wide topics; Maximal Marginal
// Relevance (Carbonell & Goldstein 1998, lambda 0.7) picks points that do not
// repeat each other. Decisions, questions and action items come from the
// per-language cue lists in lang.cpp.
#pragma once

#include "tee-backend/engines/engine.h"
#include "tee-backend/engines/lang.h"

#include <optional>
#include <string>
#include <vector>

namespace sotto::engines {

struct ChatMessage {
    std::string from;
    std::string time;
    std::string text;
};

struct SummarizeRequest {
    std::vector<ChatMessage> messages;
    std::optional<Lang> lang; // nullopt: detect from the text
    size_t maxPoints = 5;
};

// Limits of one request (the gateway's max-request-bytes is usually lower).
inline constexpr size_t kMaxRequestBytes = 8 * 1024 * 1024;
inline constexpr size_t kMaxMessages = 100000;
inline constexpr size_t kMaxMessageBytes = 64 * 1024;
inline constexpr size_t kMaxPoints = 20;

// A point of the digest and where it came from: indexes into "messages".
struct SummaryPoint {
    std::string text;
    std::string from;
    std::vector<size_t> messages;
};

struct ActionItem {
    std::string text; // the sentence
    std::string who;  // a participant as written in "from", or "" when unassigned
    std::string what;
    std::string when; // the due-date phrase as written ("by Friday"), or ""
    std::string from;
    std::vector<size_t> messages;
};

struct Summary {
    Lang lang = Lang::En;
    std::vector<SummaryPoint> points;
    std::vector<SummaryPoint> decisions;
    std::vector<SummaryPoint> questions;
    std::vector<ActionItem> actions;
};

// Parses and validates the JSON body. Never throws.
Result<SummarizeRequest, EngineError> parseSummarizeRequest(std::string_view json);

Result<Summary, EngineError> summarize(const SummarizeRequest &request, Deadline deadline);

// The answer body (DESIGN.md "Inner requests", with per-point message links).
std::string summaryToJson(const Summary &summary, std::string_view engineName);

} // namespace sotto::engines
