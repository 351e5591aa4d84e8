// call/transfer_target.cc: Refer-To and Replaces parsing for transfers.
#include "call/transfer_target.h"

#include <string>

#include "sip/ascii.h"
#include "sip/parse/name_addr.h"
#include "sip/parse/params.h"
#include "sip/parse/uri.h"

namespace sb::call {

Result<Replaces> parse_replaces(std::string_view value) {
  const size_t semi = value.find(';');
  Replaces out;
  std::string_view call_id = value.substr(0, semi);
  while (!call_id.empty() && (call_id.back() == ' ' || call_id.back() == '\t')) call_id.remove_suffix(1);
  while (!call_id.empty() && (call_id.front() == ' ' || call_id.front() == '\t')) call_id.remove_prefix(1);
  if (call_id.empty()) return Error{"no Call-ID", "Replaces"};
  out.call_id = std::string(call_id);
  if (semi == std::string_view::npos) return Error{"no to-tag and from-tag", "Replaces"};
  auto params = sip::parse_params(value.substr(semi));
  if (!params) return Error{params.error().message, "Replaces"};
  auto to_tag = sip::find_param(*params, "to-tag");
  auto from_tag = sip::find_param(*params, "from-tag");
  if (!to_tag || to_tag->empty()) return Error{"no to-tag", "Replaces"};
  if (!from_tag || from_tag->empty()) return Error{"no from-tag", "Replaces"};
  out.to_tag = std::string(*to_tag);
  out.from_tag = std::string(*from_tag);
  out.early_only = sip::find_param(*params, "early-only").has_value();
  return out;
}

Result<TransferTarget> parse_transfer_target(std::string_view refer_to) {
  auto target = sip::parse_name_addr(refer_to);
  std::string bracketed;
  if (!target && refer_to.find('<') == std::string_view::npos && refer_to.find('?') != std::string_view::npos) {
    // An addr-spec with URI headers, unbracketed: read it as if it were bracketed (its
    // header parameters, if any, start after the URI headers' first ';' -- there are none
    // in practice: Replaces escapes its own).
    std::string_view trimmed = refer_to;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) trimmed.remove_suffix(1);
    bracketed = "<" + std::string(trimmed) + ">";
    target = sip::parse_name_addr(bracketed);
  }
  if (!target) return Error{target.error().message, "Refer-To"};
  TransferTarget out;
  out.user = sip::percent_decode(target->uri.user);
  if (out.user.empty()) return Error{"no user part", "Refer-To"};
  for (const sip::UriParam& header : target->uri.headers) {
    if (!sip::iequals(sip::percent_decode(header.name), "replaces")) continue;
    auto replaces = parse_replaces(sip::percent_decode(header.value));
    if (!replaces) return replaces.error();
    out.replaces = std::move(*replaces);
  }
  return out;
}

}  // namespace sb::call
