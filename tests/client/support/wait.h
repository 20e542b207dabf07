// SPDX-License-Identifier: GPL-3.0-or-later
// Waiting for one asynchronous callback in a test: the callback stores its
// value and emits Signal::fired; QSignalSpy::wait runs the event loop. The
// wait's bound only keeps a broken test from hanging: no assertion is timed.
#pragma once

#include <QObject>
#include <QSignalSpy>

#include <optional>

namespace sotto::client::test {

class Signal : public QObject {
    Q_OBJECT
Q_SIGNALS:
    void fired();
};

template <class T> class Await {
public:
    Await()
        : m_spy(&m_signal, &Signal::fired)
    { }
    // A callback that stores the value.
    auto callback()
    {
        return [this](const auto &v) {
            m_value.emplace(v);
            Q_EMIT m_signal.fired();
        };
    }
    void set(T v)
    {
        m_value.emplace(std::move(v));
        Q_EMIT m_signal.fired();
    }
    // True once the callback ran.
    bool wait()
    {
        if (m_value)
            return true;
        return m_spy.wait(120000) || m_value.has_value();
    }
    T &value() { return *m_value; }

private:
    Signal m_signal;
    QSignalSpy m_spy;
    std::optional<T> m_value;
};

} // namespace sotto::client::test
