// app/admin_socket.h: the control socket of a running `switchboard serve`. One command per
// connection, a line of text each way: `reload` (the config file again, for new calls; its
// errors come back with file:line) and `status` (calls, ports, agents). `switchboard admin`
// is the client. A Unix socket created owner-only: no network exposure, no password to leak.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/result.h"

namespace boost::asio {
class io_context;
}

namespace sb::app {

// What a command returns: `ok` true for success; `text` is sent back, one or more lines.
struct AdminReply {
  bool ok = false;
  std::string text;
};
// The handler answers through `reply`, now or later, on the loop's thread (a reload reads
// files on a worker first).
using AdminReplyTo = std::function<void(AdminReply)>;
using AdminHandler = std::function<void(const std::string& command, AdminReplyTo reply)>;

class AdminSocket {
 public:
  // Listens at `path` (a stale socket left by a crash is replaced; a live one is not).
  static Result<std::unique_ptr<AdminSocket>> open(boost::asio::io_context& io, const std::string& path,
                                                   AdminHandler handler);
  ~AdminSocket();
  AdminSocket(const AdminSocket&) = delete;
  AdminSocket& operator=(const AdminSocket&) = delete;

 private:
  struct Impl;
  explicit AdminSocket(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The client side: sends `command`, returns the server's reply (ok from its first word).
Result<AdminReply> admin_request(const std::string& path, const std::string& command);

}  // namespace sb::app
