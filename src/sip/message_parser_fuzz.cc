// sip/message_parser_fuzz.cc: libFuzzer target for everything that reads SIP bytes off the
// network: datagram and stream parsing, stream framing, and the serializer's round trip.
// Built with clang, ASan and UBSan by scripts/fuzz.sh; `make test` runs it for a bounded time.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "sip/message_builder.h"
#include "sip/message_parser.h"
#include "sip/parse/auth.h"
#include "sip/parse/cseq.h"
#include "sip/parse/name_addr.h"
#include "sip/parse/uri.h"
#include "sip/parse/via.h"
#include "sip/request_check.h"

namespace {

void check(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sb::sip;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const ParseLimits limits{.max_message_size = 4096, .max_headers = 64, .max_start_line = 1024};
  const MessageParser parser(limits);

  auto framed = frame_length(input, limits);
  if (const auto* frame = std::get_if<Frame>(&framed)) {
    check(frame->keepalive_bytes + frame->length <= input.size());
    if (frame->length > 0) {
      parser.parse(input.substr(frame->keepalive_bytes, frame->length), /*datagram=*/false);
    }
  }

  ParseResult result = parser.parse(input, /*datagram=*/true);
  if (const auto* message = std::get_if<Message>(&result)) {
    // Touch every view: they must lie inside the buffer.
    size_t total = message->body().size() + message->call_id().size();
    for (const auto& h : message->headers()) {
      total += message->name_of(h).size() + message->value_of(h).size();
    }
    for (const auto name : {HeaderName::Via, HeaderName::Contact, HeaderName::Route}) {
      for (auto v : message->values(name)) {
        total += v.size();
      }
    }
    check(total <= 4 * input.size() + 64);
    // What we accept we can write out, and what we write out we accept again, unchanged.
    const std::string wire = serialize(*message);
    ParseResult again = MessageParser(ParseLimits{}).parse(wire, /*datagram=*/true);
    check(std::holds_alternative<Message>(again));
    check(serialize(std::get<Message>(again)) == wire);
    if (message->is_request()) {
      make_response(*message, 200, "OK", "tag");
      (void)parse_uri(message->request_uri());
      check_request(*message, UasCapabilities{});
    }
    // The typed headers the message keeps: never a throw, a crash or a view outside it.
    if (const auto& via = message->top_via()) {
      check(via->host.data() >= message->bytes().data() &&
            via->host.data() + via->host.size() <= message->bytes().data() + message->bytes().size());
    }
    total = message->from_tag().size() + message->to_tag().size();
    check(total <= input.size());
    check(message->request_uri_parsed().has_value() ? message->is_request() : true);
    // The typed parsers read what the network sent, too.
    for (const auto& h : message->headers()) {
      const std::string_view value = message->value_of(h);
      switch (h.name) {
        case HeaderName::Via:
          for (auto v : message->values(HeaderName::Via)) (void)parse_via(v);
          break;
        case HeaderName::From:
        case HeaderName::To:
        case HeaderName::ReferTo:
          (void)parse_name_addr(value);
          break;
        case HeaderName::Contact:
        case HeaderName::Route:
        case HeaderName::RecordRoute:
        case HeaderName::Path:
          for (auto v : message->values(h.name)) {
            (void)parse_name_addr(v, h.name == HeaderName::Contact);
          }
          break;
        case HeaderName::CSeq:
          (void)parse_cseq(value);
          break;
        case HeaderName::Authorization:
        case HeaderName::ProxyAuthorization:
        case HeaderName::WwwAuthenticate:
        case HeaderName::ProxyAuthenticate:
          (void)parse_auth(value);
          break;
        default:
          break;
      }
    }
  }
  return 0;
}
