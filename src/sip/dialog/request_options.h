// sip/dialog/request_options.h: what the caller adds to a request the dialog builds: the Via of
// the transaction that will carry it, extra headers, a body. The dialog fills in the rest.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sb::sip {

struct RequestOptions {
  // The top Via value, required: "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK...;rport" with a
  // branch from TransactionLayer::make_branch() (a new one for each request, the ACK of a 2xx
  // included, RFC 3261 §17.1.1.3).
  std::string via;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, in order
  std::string content_type;                                  // with a body only
  std::string body;
};

}  // namespace sb::sip
