// call/call_input_fuzz.cc: what callers and phones send the call layer, from arbitrary bytes:
// dialled strings as feature codes and as numbers for the dial plan, Refer-To values, an
// INVITE's session timer headers, the source address against a carrier allow-list, and a
// CRM's answer read by the IVR's lookup node. None may crash, hang or read out of bounds; results must be consistent.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "call/e164.h"
#include "call/feature_codes.h"
#include "call/transfer_target.h"
#include "common/address_filter.h"
#include "ivr/lookup_response.h"
#include "sip/message_parser.h"
#include "sip/session/session_timer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t cut = text.find('\n');
  const std::string_view line = text.substr(0, cut);

  if (auto code = sb::call::parse_feature_code(line)) {
    if (sb::call::feature_kind_name(code->kind).empty()) __builtin_trap();
  }
  sb::call::DialPlan plan;
  if (auto number = sb::call::normalize_e164(line, plan)) {
    // A normalised number normalises to itself.
    if ((*number)[0] != '+' || number->size() > 16 || sb::call::normalize_e164(*number, plan) != number) {
      __builtin_trap();
    }
  }
  if (auto target = sb::call::parse_transfer_target(line)) {
    if (target->user.empty() || (target->replaces && (target->replaces->call_id.empty() ||
                                                      target->replaces->to_tag.empty() ||
                                                      target->replaces->from_tag.empty()))) {
      __builtin_trap();
    }
  }
  static const auto filter = sb::AddressFilter::parse({"192.0.2.0/24", "2001:db8::/32"});
  (void)filter->allows(line);
  (void)sb::AddressFilter::parse({std::string(line)});

  // The rest as the headers of an INVITE.
  std::string invite =
      "INVITE sip:+15550100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n"
      "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: f\r\nCSeq: 1 INVITE\r\n";
  invite += cut == std::string_view::npos ? std::string() : std::string(text.substr(cut + 1));
  invite += "\r\nContent-Length: 0\r\n\r\n";
  auto parsed = sb::sip::MessageParser().parse(std::move(invite));
  if (auto* m = std::get_if<sb::sip::Message>(&parsed)) {
    auto d = sb::sip::session::decide_session_timer(*m, {});
    if (d.timer && (d.timer->interval < std::chrono::seconds(90) || d.reject_status != 0)) __builtin_trap();
    if (d.timer) (void)d.timer->header_value();
    if (auto t = sb::sip::session::session_timer_of_answer(*m, {}); t && t->interval < std::chrono::seconds(90)) __builtin_trap();
  }

  (void)sb::ivr::read_lookup_response(text, {{"a", "/x/0"}, {"b", "tier"}, {"c", "/~1~0"}});
  return 0;
}
