// sip/registrar/registrar_test_support.h: REGISTER requests and peers for the registrar tests.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "sip/message_builder.h"
#include "sip/registrar/reply.h"
#include "sip/transport/peer.h"

namespace sb::sip::registrar::testing {

struct RegisterSpec {
  std::string request_uri = "sip:example.com";
  std::string to = "<sip:1001@example.com>";
  std::vector<std::string> contacts = {"<sip:1001@192.0.2.10:5060>"};
  std::optional<std::string> expires;
  std::string call_id = "c1@192.0.2.10";
  uint32_t cseq = 1;
  HeaderList extra;
};

inline Message register_request(const RegisterSpec& spec) {
  MessageBuilder b = MessageBuilder::request("REGISTER", spec.request_uri);
  b.add(HeaderName::Via, "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-" + spec.call_id + "-" +
                             std::to_string(spec.cseq))
      .add(HeaderName::MaxForwards, "70")
      .add(HeaderName::To, spec.to)
      .add(HeaderName::From, spec.to + ";tag=ua1")
      .add(HeaderName::CallId, spec.call_id)
      .add(HeaderName::CSeq, std::to_string(spec.cseq) + " REGISTER");
  for (const std::string& c : spec.contacts) {
    b.add(HeaderName::Contact, c);
  }
  if (spec.expires) {
    b.add(HeaderName::Expires, *spec.expires);
  }
  for (const auto& [name, value] : spec.extra) {
    b.add(name, value);
  }
  ParseResult r = b.build();
  if (auto* error = std::get_if<ParseError>(&r)) {
    ADD_FAILURE() << "REGISTER did not build: " << error->reason;
    return Message{};
  }
  return std::get<Message>(std::move(r));
}

inline Peer udp_peer(std::string_view ip, uint16_t port) {
  Peer p;
  p.transport = Transport::Udp;
  p.remote = *SocketAddress::parse(ip, port);
  return p;
}

inline std::vector<std::string> contacts_of(const Message& response) {
  std::vector<std::string> out;
  for (std::string_view v : response.values(HeaderName::Contact)) {
    out.emplace_back(v);
  }
  return out;
}

}  // namespace sb::sip::registrar::testing
