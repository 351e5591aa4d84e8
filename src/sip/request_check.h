// sip/request_check.h: the UAS checks of RFC 3261 §8.2 that come before a request reaches its
// transaction user: method inspection (405 with Allow, 501), the Request-URI scheme (416), and
// required extensions (420 with Unsupported). Pure: a request in, a rejection or nothing out.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sip/message.h"

namespace sb::sip {

struct UasCapabilities {
  std::vector<Method> allowed = {Method::Invite, Method::Ack,     Method::Bye,
                                 Method::Cancel, Method::Options, Method::Register,
                                 Method::Info,   Method::Update,  Method::Refer,
                                 Method::Notify, Method::Message};
  std::vector<std::string> supported = {"path", "replaces", "timer"};  // option tags
};

struct Rejection {
  int status = 400;
  std::string reason;
  std::vector<std::pair<HeaderName, std::string>> headers;  // Allow, Unsupported
};

// nullopt: go on. Never for ACK (RFC 3261 §17.2.3: an ACK gets no response).
std::optional<Rejection> check_request(const Message& request, const UasCapabilities& caps);

// "INVITE, ACK, ..." for Allow headers.
std::string allow_header(const UasCapabilities& caps);

}  // namespace sb::sip
