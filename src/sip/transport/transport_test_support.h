// sip/transport/transport_test_support.h: a transport on a live event loop thread, and a
// handler that records what arrived, for tests that use real loopback sockets.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "net/event_loop.h"
#include "sip/message_builder.h"
#include "sip/transport/transport_layer.h"

namespace sb::sip::testing {

class RecordingHandler : public TransportHandler {
 public:
  void on_message(Message&& message, const Peer& from) override {
    std::function<void(const Message&, const Peer&)> reply;
    {
      std::lock_guard lock(mutex_);
      messages_.push_back({std::move(message), from});
      reply = reply_;
    }
    if (reply) reply(messages_.back().message, from);
    changed_.notify_all();
  }
  void on_refused(const ParseError& error, const Peer&) override {
    std::lock_guard lock(mutex_);
    refused_.push_back(error);
    changed_.notify_all();
  }
  bool admit(const Peer& from) override { return admit_ ? admit_(from) : true; }

  // Called on the loop thread for every message (e.g. to answer it).
  void on_each(std::function<void(const Message&, const Peer&)> reply) { reply_ = std::move(reply); }
  void admit_with(std::function<bool(const Peer&)> admit) { admit_ = std::move(admit); }

  struct Received {
    Message message;
    Peer from;
  };
  // Waits up to 5 s for at least n messages.
  bool wait_for(size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return messages_.size() >= n; });
  }
  bool wait_for_refused(size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return refused_.size() >= n; });
  }
  std::vector<Received> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  std::vector<ParseError> refused() {
    std::lock_guard lock(mutex_);
    return refused_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Received> messages_;
  std::vector<ParseError> refused_;
  std::function<void(const Message&, const Peer&)> reply_;
  std::function<bool(const Peer&)> admit_;
};

// Owns the loop thread; listeners are opened on the loop thread before it starts serving.
class LiveTransport {
 public:
  explicit LiveTransport(RecordingHandler& handler, TransportLimits limits = {})
      : transport_(loop_, handler, limits) {}
  ~LiveTransport() { stop(); }

  Result<Peer> listen(const ListenerConfig& c) { return transport_.listen(c); }
  void start() {
    thread_ = std::thread([this] { loop_.run(); });
  }
  void stop() {
    if (!thread_.joinable()) return;
    loop_.post([this] { transport_.close(); });
    loop_.stop();
    thread_.join();
  }
  // Runs fn on the loop thread and waits for it.
  void run_on_loop(std::function<void()> fn) {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    loop_.post([&] {
      fn();
      std::lock_guard lock(m);
      done = true;
      cv.notify_all();
    });
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return done; });
  }
  TransportLayer& transport() { return transport_; }
  net::EventLoop& loop() { return loop_; }

 private:
  net::EventLoop loop_;
  TransportLayer transport_;
  std::thread thread_;
};

}  // namespace sb::sip::testing
