// sip/request_check.h: the UAS checks of RFC 3261 §8.2 that come before a request reaches its
// transaction user: method inspection (405 with Allow, 501), the Request-URI scheme (416),
// required extensions (420 with Unsupported), and content processing (415 with Accept for a
// body we cannot read, 406 when the request's Accept excludes the body our answer carries).
// Pure: a request in, a rejection or nothing out.
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

// The body types this UAS reads in a request of `method` (RFC 3261 §8.2.3), for 415 and its
// Accept header: SDP in INVITE/UPDATE/PRACK, DTMF in INFO, a sipfrag in NOTIFY, text in
// MESSAGE; none for REGISTER and REFER.
std::vector<std::string_view> accepted_body_types(Method method);

struct Rejection {
  int status = 400;
  std::string reason;
  std::vector<std::pair<HeaderName, std::string>> headers;  // Allow, Unsupported, Accept
};

// nullopt: go on. Never for ACK (RFC 3261 §17.2.3: an ACK gets no response).
std::optional<Rejection> check_request(const Message& request, const UasCapabilities& caps);

// "INVITE, ACK, ..." for Allow headers.
std::string allow_header(const UasCapabilities& caps);

}  // namespace sb::sip
