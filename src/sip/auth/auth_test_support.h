// sip/auth/auth_test_support.h: REGISTER requests and 401/407 responses for the auth tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/message_builder.h"

namespace sb::sip::auth::testing {

inline Message built(ParseResult r) {
  if (auto* error = std::get_if<ParseError>(&r)) {
    ADD_FAILURE() << "message did not build: " << error->reason;
    return Message{};
  }
  return std::get<Message>(std::move(r));
}

// A REGISTER for 1001 to `uri`, with extra headers (credentials) appended.
inline Message register_request(std::string_view uri,
                                std::vector<std::pair<HeaderName, std::string>> extra = {},
                                uint32_t cseq = 1) {
  MessageBuilder b = MessageBuilder::request("REGISTER", uri);
  b.add(HeaderName::Via, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-" + std::to_string(cseq))
      .add(HeaderName::MaxForwards, "70")
      .add(HeaderName::To, "<sip:1001@example.com>")
      .add(HeaderName::From, "<sip:1001@example.com>;tag=a1")
      .add(HeaderName::CallId, "reg-1@192.0.2.10")
      .add(HeaderName::CSeq, std::to_string(cseq) + " REGISTER")
      .add(HeaderName::Contact, "<sip:1001@192.0.2.10:5060>");
  for (const auto& [name, value] : extra) {
    b.add(name, value);
  }
  return built(b.build());
}

// The 401 (or 407) a server sends with `challenges`.
inline Message challenge_response(const std::vector<std::string>& challenges, int status = 401) {
  MessageBuilder b = MessageBuilder::response(
      status, status == 401 ? "Unauthorized" : "Proxy Authentication Required");
  b.add(HeaderName::Via, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1")
      .add(HeaderName::To, "<sip:1001@example.com>;tag=s1")
      .add(HeaderName::From, "<sip:1001@example.com>;tag=a1")
      .add(HeaderName::CallId, "reg-1@192.0.2.10")
      .add(HeaderName::CSeq, "1 REGISTER");
  for (const auto& c : challenges) {
    b.add(status == 401 ? HeaderName::WwwAuthenticate : HeaderName::ProxyAuthenticate, c);
  }
  return built(b.build());
}

}  // namespace sb::sip::auth::testing
