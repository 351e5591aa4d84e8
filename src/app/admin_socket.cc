// app/admin_socket.cc: the control socket, on the serve loop (Asio local stream sockets).
#include "app/admin_socket.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <filesystem>
#include <istream>

namespace sb::app {

using boost::asio::local::stream_protocol;

namespace {

constexpr size_t kMaxCommand = 256;  // "reload", "status": anything longer is not ours
// A client has this long to send its line; one that sends nothing is closed, so idle
// connections cannot pile up and take every descriptor the calls need.
constexpr auto kIdleTimeout = std::chrono::seconds(5);
// Connections served at once; a new one closes the oldest, so idle clients can never lock out
// the operator's `switchboard admin`, which sends its line at once.
constexpr size_t kMaxSessions = 16;

// One connection: read a line, answer it, close; or close it when the line does not come.
class AdminSession : public std::enable_shared_from_this<AdminSession> {
 public:
  // The handler is shared: a session may outlive the socket that accepted it.
  AdminSession(stream_protocol::socket socket, std::shared_ptr<const AdminHandler> handler)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), buffer_(kMaxCommand), handler_(std::move(handler)) {}

  void close() {
    timer_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  void start() {
    auto self = shared_from_this();
    timer_.expires_after(kIdleTimeout);
    timer_.async_wait([self](const boost::system::error_code& ec) {
      if (!ec) self->close();  // no command in time (cancelled when it came)
    });
    boost::asio::async_read_until(socket_, buffer_, '\n', [self](const boost::system::error_code& ec, size_t) {
      self->timer_.cancel();
      if (ec == boost::asio::error::operation_aborted || !self->socket_.is_open()) return;  // timed out, evicted
      if (ec) {
        return self->send({false, "error: expected one command line of at most 256 bytes"});
      }
      std::istream in(&self->buffer_);
      std::string command;
      std::getline(in, command);
      if (!command.empty() && command.back() == '\r') command.pop_back();
      spdlog::info("admin: {}", command);
      (*self->handler_)(command, [self](AdminReply reply) { self->send(std::move(reply)); });
    });
  }

  void send(AdminReply reply) {
    if (!socket_.is_open()) return;  // evicted while the answer was being made
    reply_ = (reply.ok ? "ok: " : "error: ") + reply.text + "\n";
    auto self = shared_from_this();
    boost::asio::async_write(socket_, boost::asio::buffer(reply_), [self](const boost::system::error_code&, size_t) {
      boost::system::error_code ignored;
      self->socket_.close(ignored);
    });
  }

 private:
  stream_protocol::socket socket_;
  boost::asio::steady_timer timer_;
  boost::asio::streambuf buffer_;
  std::shared_ptr<const AdminHandler> handler_;
  std::string reply_;
};

}  // namespace

struct AdminSocket::Impl {
  Impl(boost::asio::io_context& io, std::string p, AdminHandler h)
      : acceptor(io), retry(io), path(std::move(p)), handler(std::make_shared<const AdminHandler>(std::move(h))) {}
  void accept() {
    acceptor.async_accept([this](const boost::system::error_code& ec, stream_protocol::socket socket) {
      if (ec == boost::asio::error::operation_aborted) return;
      if (!ec) {
        backoff = std::chrono::milliseconds(0);
        std::erase_if(sessions, [](const std::weak_ptr<AdminSession>& w) { return w.expired(); });
        if (sessions.size() >= kMaxSessions) {
          if (auto oldest = sessions.front().lock()) oldest->close();
          sessions.pop_front();
        }
        auto session = std::make_shared<AdminSession>(std::move(socket), handler);
        sessions.push_back(session);
        session->start();
        return accept();
      }
      // Out of descriptors accept fails again at once; retrying now would spin a core. Wait,
      // doubling up to a second, while the process frees some.
      backoff = std::min<std::chrono::milliseconds>(std::chrono::seconds(1),
                                                    std::max(std::chrono::milliseconds(50), backoff * 2));
      spdlog::warn("admin: accept failed ({}): retrying in {} ms", ec.message(), backoff.count());
      retry.expires_after(backoff);
      retry.async_wait([this](const boost::system::error_code& wait_ec) {
        if (!wait_ec) accept();
      });
    });
  }
  stream_protocol::acceptor acceptor;
  boost::asio::steady_timer retry;
  std::chrono::milliseconds backoff{0};
  std::deque<std::weak_ptr<AdminSession>> sessions;  // oldest first
  std::string path;
  std::shared_ptr<const AdminHandler> handler;
};

Result<std::unique_ptr<AdminSocket>> AdminSocket::open(boost::asio::io_context& io, const std::string& path,
                                                       AdminHandler handler) {
  std::error_code fs_error;
  if (auto parent = std::filesystem::path(path).parent_path(); !parent.empty()) {
    std::filesystem::create_directories(parent, fs_error);
  }
  if (std::filesystem::exists(path, fs_error)) {
    // Someone answering there is another serve; silence is a socket left by a crash.
    if (admin_request(path, "status")) return Error{"another switchboard is running here", path};
    std::filesystem::remove(path, fs_error);
  }
  auto impl = std::make_unique<Impl>(io, path, std::move(handler));
  boost::system::error_code ec;
  const mode_t old_mask = ::umask(0177);  // srw------- from the start, not chmod-ed later
  impl->acceptor.open(stream_protocol(), ec);
  if (!ec) impl->acceptor.bind(stream_protocol::endpoint(path), ec);
  ::umask(old_mask);
  if (!ec) impl->acceptor.listen(8, ec);
  if (ec) return Error{ec.message(), path};
  impl->accept();
  return std::unique_ptr<AdminSocket>(new AdminSocket(std::move(impl)));
}

AdminSocket::AdminSocket(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AdminSocket::~AdminSocket() {
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
  impl_->retry.cancel();
  std::error_code fs_error;
  std::filesystem::remove(impl_->path, fs_error);
}

Result<AdminReply> admin_request(const std::string& path, const std::string& command) {
  boost::asio::io_context io;
  stream_protocol::socket socket(io);
  boost::system::error_code ec;
  socket.connect(stream_protocol::endpoint(path), ec);
  if (ec) return Error{"no switchboard answering: " + ec.message(), path};
  // A server that accepts but never answers must not hang the caller.
  timeval limit{10, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  const std::string line = command + "\n";
  boost::asio::write(socket, boost::asio::buffer(line), ec);
  if (ec) return Error{ec.message(), path};
  std::string answer;
  boost::asio::read(socket, boost::asio::dynamic_buffer(answer, 1 << 20), ec);
  if (ec && ec != boost::asio::error::eof) return Error{ec.message(), path};
  while (!answer.empty() && answer.back() == '\n') answer.pop_back();
  AdminReply reply;
  reply.ok = answer.rfind("ok:", 0) == 0;
  reply.text = answer;
  return reply;
}

}  // namespace sb::app
