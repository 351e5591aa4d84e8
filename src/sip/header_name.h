// sip/header_name.h: the headers the stack reads, recognised by long or compact name
// (RFC 3261 §7.3.3), case-insensitively. Everything else is HeaderName::Other and is carried
// through untouched.
#pragma once

#include <cstdint>
#include <string_view>

namespace sb::sip {

enum class HeaderName : uint8_t {
  Via, From, To, CallId, CSeq, Contact, MaxForwards, ContentLength, ContentType, Route,
  RecordRoute, Authorization, ProxyAuthorization, WwwAuthenticate, ProxyAuthenticate, Expires,
  MinExpires, Require, ProxyRequire, Supported, Unsupported, Allow, UserAgent, Server, Path,
  Event, ReferTo, ReferredBy, Replaces, SessionExpires, MinSe, Subject, Accept, Date, Timestamp,
  RetryAfter, ContentEncoding, AcceptEncoding, RSeq, RAck, Other,
};

HeaderName classify_header(std::string_view name);  // long or compact form, any case
std::string_view canonical_name(HeaderName h);      // "Call-ID"; "" for Other
bool is_multi_value(HeaderName h);  // comma-separated lists may be split (RFC 3261 §7.3.1)

}  // namespace sb::sip
