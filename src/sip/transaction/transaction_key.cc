// sip/transaction/transaction_key.cc
#include "sip/transaction/transaction_key.h"

#include "sip/ascii.h"

namespace sb::sip {
namespace {

// Separates fields; a control character, so no SIP token or host can contain it.
constexpr char kSep = '\x1f';

void append_field(std::string& key, std::string_view field) {
  key.append(field);
  key.push_back(kSep);
}

}  // namespace

std::string server_key(const Message& request, const Via& top_via, std::string_view top_via_text,
                       std::string_view method) {
  std::string key;
  if (top_via.has_magic_cookie()) {
    key.reserve(top_via.branch.size() + top_via.host.size() + method.size() + 16);
    append_field(key, "3261");
    append_field(key, top_via.branch);
    for (char c : top_via.host) {
      key.push_back(ascii_lower(c));
    }
    key.push_back(kSep);
    append_field(key, top_via.port ? std::to_string(*top_via.port) : std::string());
    append_field(key, method);
    return key;
  }
  // RFC 3261 §17.2.3, last paragraphs: the RFC 2543 way, from the request's own fields.
  append_field(key, "2543");
  append_field(key, request.call_id());
  append_field(key, std::to_string(request.cseq()));
  append_field(key, request.from_tag());
  append_field(key, request.request_uri());
  append_field(key, top_via_text);
  append_field(key, method);
  return key;
}

std::string client_key(std::string_view branch, std::string_view method) {
  std::string key;
  key.reserve(branch.size() + method.size() + 2);
  append_field(key, branch);
  append_field(key, method);
  return key;
}

}  // namespace sb::sip
