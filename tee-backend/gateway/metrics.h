// SPDX-License-Identifier: GPL-3.0-or-later
// Counters and latency histograms for GET /metrics (Prometheus text format
// 0.0.4), served on a separate loopback listener. Only counts and durations:
// no label is ever taken from a request (labels are fixed endpoint names and
// HTTP status codes the gateway itself chose).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace sotto::gateway {

enum class Endpoint { Gateway, Keys, Evidence, Healthz, Other };
inline constexpr size_t kEndpointCount = 5;
std::string_view endpointName(Endpoint e);

class Metrics {
public:
    // Upper bounds (seconds) of the latency histogram buckets.
    static constexpr std::array<double, 12> kBuckets { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 0.5, 1.0, 5.0 };

    // One answered request: its endpoint, outer HTTP status and duration.
    void recordRequest(Endpoint endpoint, unsigned status, std::chrono::nanoseconds duration);
    // The status of the encapsulated (inner) response of a POST /gateway.
    void recordInnerStatus(unsigned status);
    void recordRejected() { m_rejected.fetch_add(1, std::memory_order_relaxed); }
    void recordKeyRotation() { m_rotations.fetch_add(1, std::memory_order_relaxed); }
    void recordIssuerReload(bool ok);

    // Gauges read when /metrics is rendered.
    struct Gauges {
        uint64_t inFlight = 0;
        uint64_t queued = 0;
    };
    std::string render(const Gauges &gauges) const;

private:
    struct Histogram {
        std::array<std::atomic<uint64_t>, kBuckets.size()> buckets {};
        std::atomic<uint64_t> count { 0 };
        std::atomic<uint64_t> sumNanos { 0 };
    };
    std::array<Histogram, kEndpointCount> m_latency;
    mutable std::mutex m_mutex;
    std::map<std::pair<Endpoint, unsigned>, uint64_t> m_requests;
    std::map<unsigned, uint64_t> m_inner;
    std::atomic<uint64_t> m_rejected { 0 };
    std::atomic<uint64_t> m_rotations { 0 };
    std::atomic<uint64_t> m_reloads { 0 };
    std::atomic<uint64_t> m_reloadFailures { 0 };
};

} // namespace sotto::gateway
