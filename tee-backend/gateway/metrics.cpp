// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/gateway/metrics.h"

#include <cstdio>

namespace sotto::gateway {

std::string_view endpointName(Endpoint e)
{
    switch (e) {
    case Endpoint::Gateway:
        return "gateway";
    case Endpoint::Keys:
        return "ohttp-keys";
    case Endpoint::Evidence:
        return "evidence";
    case Endpoint::Healthz:
        return "healthz";
    case Endpoint::Other:
        break;
    }
    return "other";
}

void Metrics::recordRequest(Endpoint endpoint, unsigned status, std::chrono::nanoseconds duration)
{
    Histogram &h = m_latency[static_cast<size_t>(endpoint)];
    const double seconds = std::chrono::duration<double>(duration).count();
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            h.buckets[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    }
    h.count.fetch_add(1, std::memory_order_relaxed);
    h.sumNanos.fetch_add(static_cast<uint64_t>(duration.count()), std::memory_order_relaxed);
    const std::lock_guard lock(m_mutex);
    ++m_requests[{ endpoint, status }];
}

void Metrics::recordInnerStatus(unsigned status)
{
    const std::lock_guard lock(m_mutex);
    ++m_inner[status];
}

void Metrics::recordIssuerReload(bool ok)
{
    (ok ? m_reloads : m_reloadFailures).fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render(const Gauges &gauges) const
{
    std::string out;
    auto line = [&out](std::string_view text) {
        out += text;
        out += '\n';
    };
    line("# HELP sotto_gateway_requests_total Answered HTTP requests by endpoint and status.");
    line("# TYPE sotto_gateway_requests_total counter");
    {
        const std::lock_guard lock(m_mutex);
        for (const auto &[key, n] : m_requests)
            line("sotto_gateway_requests_total{endpoint=\"" + std::string(endpointName(key.first))
                + "\",status=\"" + std::to_string(key.second) + "\"} " + std::to_string(n));
        line("# HELP sotto_gateway_inner_responses_total Encapsulated responses by inner status.");
        line("# TYPE sotto_gateway_inner_responses_total counter");
        for (const auto &[status, n] : m_inner)
            line("sotto_gateway_inner_responses_total{status=\"" + std::to_string(status) + "\"} "
                + std::to_string(n));
    }
    line("# HELP sotto_gateway_request_duration_seconds Time from request read to answer.");
    line("# TYPE sotto_gateway_request_duration_seconds histogram");
    for (size_t e = 0; e < kEndpointCount; ++e) {
        const Histogram &h = m_latency[e];
        const std::string name(endpointName(static_cast<Endpoint>(e)));
        uint64_t cumulative = 0;
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            cumulative += h.buckets[i].load(std::memory_order_relaxed);
            char le[32];
            std::snprintf(le, sizeof le, "%g", kBuckets[i]);
            line("sotto_gateway_request_duration_seconds_bucket{endpoint=\"" + name + "\",le=\""
                + le + "\"} " + std::to_string(cumulative));
        }
        const uint64_t count = h.count.load(std::memory_order_relaxed);
        line("sotto_gateway_request_duration_seconds_bucket{endpoint=\"" + name + "\",le=\"+Inf\"} "
            + std::to_string(count));
        char sum[64];
        std::snprintf(sum, sizeof sum, "%.9f",
            static_cast<double>(h.sumNanos.load(std::memory_order_relaxed)) / 1e9);
        line("sotto_gateway_request_duration_seconds_sum{endpoint=\"" + name + "\"} " + sum);
        line("sotto_gateway_request_duration_seconds_count{endpoint=\"" + name + "\"} "
            + std::to_string(count));
    }
    line("# HELP sotto_gateway_rejected_total Requests refused with 503 because the queue was "
         "full.");
    line("# TYPE sotto_gateway_rejected_total counter");
    line("sotto_gateway_rejected_total " + std::to_string(m_rejected.load()));
    line("# TYPE sotto_gateway_key_rotations_total counter");
    line("sotto_gateway_key_rotations_total " + std::to_string(m_rotations.load()));
    line("# TYPE sotto_gateway_issuer_key_reloads_total counter");
    line("sotto_gateway_issuer_key_reloads_total{result=\"ok\"} "
        + std::to_string(m_reloads.load()));
    line("sotto_gateway_issuer_key_reloads_total{result=\"failed\"} "
        + std::to_string(m_reloadFailures.load()));
    line("# HELP sotto_gateway_in_flight Requests being processed by a worker.");
    line("# TYPE sotto_gateway_in_flight gauge");
    line("sotto_gateway_in_flight " + std::to_string(gauges.inFlight));
    line("# HELP sotto_gateway_queued Requests waiting for a worker.");
    line("# TYPE sotto_gateway_queued gauge");
    line("sotto_gateway_queued " + std::to_string(gauges.queued));
    return out;
}

} // namespace sotto::gateway
