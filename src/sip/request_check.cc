// sip/request_check.cc
#include "sip/request_check.h"

#include <algorithm>

#include "sip/ascii.h"
#include "sip/parse/split.h"
#include "sip/parse/uri.h"

namespace sb::sip {
std::string allow_header(const UasCapabilities& caps) {
  std::string out;
  for (Method m : caps.allowed) {
    out += out.empty() ? "" : ", ";
    out += method_name(m);
  }
  return out;
}

std::optional<Rejection> check_request(const Message& request, const UasCapabilities& caps) {
  if (!request.is_request() || request.method() == Method::Ack) {
    return std::nullopt;
  }
  // §8.2.1: an unknown method is 501; a known one this UAS does not serve is 405 with Allow.
  if (request.method() == Method::Unknown) {
    return Rejection{501, "Not Implemented", {}};
  }
  if (std::find(caps.allowed.begin(), caps.allowed.end(), request.method()) == caps.allowed.end()) {
    return Rejection{405, "Method Not Allowed", {{HeaderName::Allow, allow_header(caps)}}};
  }
  // §8.2.2.1: a Request-URI scheme we do not understand is 416; one we cannot parse is 400.
  const auto uri = parse_uri(request.request_uri());
  if (!uri) {
    return Rejection{400, "Bad Request: bad Request-URI (" + uri.error().message + ")", {}};
  }
  if (uri->scheme == UriScheme::Other) {
    return Rejection{416, "Unsupported URI Scheme", {}};
  }
  // §8.2.2.3: every Require option tag must be supported; CANCEL is exempt.
  if (request.method() != Method::Cancel) {
    std::string unsupported;
    for (std::string_view tag : request.values(HeaderName::Require)) {
      const bool known = std::any_of(caps.supported.begin(), caps.supported.end(),
                                     [&](const std::string& s) { return iequals(s, tag); });
      if (!known) {
        unsupported += unsupported.empty() ? "" : ", ";
        unsupported += tag;
      }
    }
    if (!unsupported.empty()) {
      return Rejection{420, "Bad Extension", {{HeaderName::Unsupported, unsupported}}};
    }
  }
  return std::nullopt;
}

}  // namespace sb::sip
