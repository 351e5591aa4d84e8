#include "net/event_loop.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace sb::net {

namespace asio = boost::asio;

struct EventLoop::Impl {
  asio::io_context io{1};  // one thread: tells Asio it may skip locking
  asio::steady_timer timer{io};
  std::optional<TimePoint> armed_for;
};

EventLoop::EventLoop() : impl_(std::make_unique<Impl>()) {}
EventLoop::~EventLoop() = default;

asio::io_context& EventLoop::io() { return impl_->io; }

TimerId EventLoop::schedule_after(Duration delay, std::function<void()> callback) {
  TimerId id = timers_.schedule(now() + delay, std::move(callback));
  rearm();
  return id;
}

// Arms the one system timer for the earliest deadline, unless it is already armed for it.
// The timer's handler fires everything due, then rearms; so does every loop handler that may
// have scheduled (rearm() is cheap when nothing changed).
void EventLoop::rearm() {
  std::optional<TimePoint> next = timers_.next_deadline();
  if (!next) return;
  if (impl_->armed_for && *impl_->armed_for <= *next) return;
  impl_->armed_for = next;
  Duration wait = std::max(Duration::zero(), *next - now());
  impl_->timer.expires_after(wait);
  impl_->timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec == asio::error::operation_aborted) return;
    impl_->armed_for.reset();
    timers_.run_due(now());
    rearm();
  });
}

void EventLoop::post(std::function<void()> fn) {
  asio::post(impl_->io, [this, fn = std::move(fn)] {
    fn();
    rearm();
  });
}

void EventLoop::run() {
  auto guard = asio::make_work_guard(impl_->io);
  impl_->io.run();
  impl_->io.restart();
}

void EventLoop::stop() { impl_->io.stop(); }

}  // namespace sb::net
