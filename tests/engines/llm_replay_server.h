// SPDX-License-Identifier: GPL-3.0-or-later
// A loopback HTTP server for the LlmEngine tests: it answers each POST with
// the next queued reply (a model server answer from tests/data/engines/llm/,
// an HTTP error, or no answer at all until it is stopped) and keeps the
// request bodies it received. No model runs anywhere in these tests.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sotto::engines::test {

class ReplayServer {
public:
    struct Reply {
        unsigned status = 200;
        std::string body;
        bool hang = false; // read the request, never answer
    };

    ReplayServer()
        : m_acceptor(m_io, { boost::asio::ip::make_address("127.0.0.1"), 0 })
    {
        m_port = m_acceptor.local_endpoint().port();
        m_thread = std::thread([this] { serve(); });
    }

    ~ReplayServer()
    {
        m_stop = true;
        boost::system::error_code ec;
        // Wake the blocking accept with a connection of our own.
        boost::asio::io_context io;
        boost::asio::ip::tcp::socket s(io);
        s.connect({ boost::asio::ip::make_address("127.0.0.1"), m_port }, ec);
        m_thread.join();
    }

    uint16_t port() const { return m_port; }

    void queue(Reply r)
    {
        std::lock_guard lock(m_mutex);
        m_replies.push_back(std::move(r));
    }

    std::vector<std::string> requests()
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

    std::vector<std::string> targets()
    {
        std::lock_guard lock(m_mutex);
        return m_targets;
    }

private:
    void serve()
    {
        namespace http = boost::beast::http;
        while (!m_stop) {
            boost::asio::ip::tcp::socket socket(m_io);
            boost::system::error_code ec;
            m_acceptor.accept(socket, ec);
            if (ec || m_stop)
                return;
            boost::beast::flat_buffer buffer;
            http::request<http::string_body> req;
            http::read(socket, buffer, req, ec);
            if (ec)
                continue;
            Reply reply;
            {
                std::lock_guard lock(m_mutex);
                m_requests.push_back(req.body());
                m_targets.push_back(std::string(req.target()));
                if (!m_replies.empty()) {
                    reply = std::move(m_replies.front());
                    m_replies.pop_front();
                } else {
                    reply = { 503, R"({"error":"no reply queued"})", false };
                }
            }
            if (reply.hang) {
                while (!m_stop)
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                return;
            }
            http::response<http::string_body> res { static_cast<http::status>(reply.status), 11 };
            res.set(http::field::content_type, "application/json");
            res.body() = reply.body;
            res.prepare_payload();
            http::write(socket, res, ec);
            socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
        }
    }

    boost::asio::io_context m_io;
    boost::asio::ip::tcp::acceptor m_acceptor;
    uint16_t m_port = 0;
    std::thread m_thread;
    std::atomic<bool> m_stop { false };
    std::mutex m_mutex;
    std::deque<Reply> m_replies;
    std::vector<std::string> m_requests;
    std::vector<std::string> m_targets;
};

} // namespace sotto::engines::test
