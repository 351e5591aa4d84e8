// sip/client/request_spec.h: what a caller asks the UAC core to send out of dialog: method,
// Request-URI, the address headers and a body. Not a message: the Uac adds Via, Max-Forwards,
// CSeq, Call-ID and the From tag, and credentials when challenged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sb::sip::client {

struct RequestSpec {
  std::string method;       // "REGISTER", "OPTIONS", "INVITE", ... (not ACK, not CANCEL)
  std::string request_uri;  // "sip:carrier.example"
  // name-addr without a tag: "\"Acme\" <sip:acme@carrier.example>". Required.
  std::string from;
  // name-addr without a tag (the request is out of dialog); empty: "<request_uri>".
  std::string to;
  std::string contact;  // name-addr with parameters, "<sip:acme@203.0.113.5:5060>"; empty: none
  // Extra headers in order. Headers the Uac manages (Via, From, To, Call-ID, CSeq,
  // Max-Forwards, Content-Length, Content-Type, Authorization, Proxy-Authorization) are
  // refused here: send() fails.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_type;  // with a body only
  std::string body;

  // Identity across requests (RFC 3261 §10.2.4: refreshes of one registration share the
  // Call-ID and raise the CSeq). Empty / nullopt: the Uac makes a new Call-ID, a new From tag,
  // and starts the CSeq at 1.
  std::string call_id;
  std::string from_tag;
  std::optional<uint32_t> cseq;
};

// Digest credentials for one request. A 401/407 is answered only when its realm matches
// (any realm when `realm` is empty).
struct Credentials {
  std::string user;
  std::string password;
  std::string realm;
};

}  // namespace sb::sip::client
