// sip/request_check.cc
#include "sip/request_check.h"

#include <algorithm>

#include "sip/ascii.h"
#include "sip/parse/split.h"
#include "sip/parse/uri.h"

namespace sb::sip {
namespace {

std::string_view trim_lws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "application/SDP ; charset=x" -> "application/SDP": the media type without parameters.
std::string_view media_type(std::string_view value) {
  return trim_lws(value.substr(0, value.find(';')));
}

std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::string_view i : items) {
    out += out.empty() ? "" : ", ";
    out += i;
  }
  return out;
}

// Does the Accept media-range (`*/*`, `application/*`, `application/sdp`) cover `type`?
bool range_covers(std::string_view range, std::string_view type) {
  range = media_type(range);
  if (range == "*/*") return true;
  const size_t slash = type.find('/');
  if (range.size() >= 2 && range.substr(range.size() - 2) == "/*") {
    return iequals(range.substr(0, range.size() - 1), type.substr(0, slash + 1));
  }
  return iequals(range, type);
}

// §8.2.3: a body whose type or encoding we cannot read is refused with 415 and the Accept (or
// Accept-Encoding) that says what we can. BYE and CANCEL are exempt: ending a call must never
// fail on a body we do not read (carriers put ISUP in BYE), and the call ends either way.
std::optional<Rejection> check_body(const Message& request) {
  const Method method = request.method();
  if (method == Method::Bye || method == Method::Cancel) return std::nullopt;
  for (std::string_view coding : request.values(HeaderName::ContentEncoding)) {
    if (!iequals(trim_lws(coding), "identity")) {
      return Rejection{415, "Unsupported Media Type", {{HeaderName::AcceptEncoding, "identity"}}};
    }
  }
  if (request.body().empty()) return std::nullopt;
  const auto type = request.first(HeaderName::ContentType);
  if (!type) return Rejection{400, "Bad Request: body without Content-Type", {}};
  const std::vector<std::string_view> accepted = accepted_body_types(method);
  for (std::string_view a : accepted) {
    if (iequals(a, media_type(*type))) return std::nullopt;
  }
  return Rejection{415, "Unsupported Media Type", {{HeaderName::Accept, join(accepted)}}};
}

// §21.4.7: 406 when the request's Accept rules out the SDP our answer would carry: every
// INVITE's 2xx has SDP (an answer, or our offer when the INVITE had none), an UPDATE's only when
// it carried an offer. No Accept header means application/sdp (§20.1); an empty one accepts none.
std::optional<Rejection> check_accept(const Message& request) {
  constexpr std::string_view kSdp = "application/sdp";
  const bool answers_with_sdp = request.method() == Method::Invite ||
                                (request.method() == Method::Update && !request.body().empty());
  if (!answers_with_sdp || request.count(HeaderName::Accept) == 0) return std::nullopt;
  for (std::string_view range : request.values(HeaderName::Accept)) {
    if (range_covers(range, kSdp)) return std::nullopt;
  }
  return Rejection{406, "Not Acceptable", {{HeaderName::Accept, std::string(kSdp)}}};
}

}  // namespace

std::vector<std::string_view> accepted_body_types(Method method) {
  switch (method) {
    case Method::Invite:
    case Method::Ack:
    case Method::Update:
    case Method::Prack:
    case Method::Options:  // RFC 3261 §11.2: an OPTIONS may carry the offer it would make
      return {"application/sdp"};
    case Method::Info:
      return {"application/dtmf-relay", "application/dtmf"};
    case Method::Notify:
      return {"message/sipfrag"};
    case Method::Message:
      return {"text/plain"};
    default:
      return {};
  }
}

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
  const sb::Result<Uri>& uri = request.request_uri_parsed();
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
  if (auto refused = check_body(request)) return refused;
  return check_accept(request);
}

}  // namespace sb::sip
