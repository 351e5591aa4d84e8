// sip/header_name.cc: the one table of header names, long and compact (RFC 3261 §7.3.3,
// RFC 3515 for Refer-To "r", RFC 4028 for Session-Expires "x", RFC 3262 for RSeq and RAck).
#include "sip/header_name.h"

#include <array>

#include "sip/ascii.h"

namespace sb::sip {
namespace {

struct Entry {
  HeaderName name;
  std::string_view canonical;
  char compact;  // 0: none
  bool multi;
};

constexpr std::array<Entry, 40> kHeaders = {{
    {HeaderName::Via, "Via", 'v', true},
    {HeaderName::From, "From", 'f', false},
    {HeaderName::To, "To", 't', false},
    {HeaderName::CallId, "Call-ID", 'i', false},
    {HeaderName::CSeq, "CSeq", 0, false},
    {HeaderName::Contact, "Contact", 'm', true},
    {HeaderName::MaxForwards, "Max-Forwards", 0, false},
    {HeaderName::ContentLength, "Content-Length", 'l', false},
    {HeaderName::ContentType, "Content-Type", 'c', false},
    {HeaderName::Route, "Route", 0, true},
    {HeaderName::RecordRoute, "Record-Route", 0, true},
    {HeaderName::Authorization, "Authorization", 0, false},
    {HeaderName::ProxyAuthorization, "Proxy-Authorization", 0, false},
    {HeaderName::WwwAuthenticate, "WWW-Authenticate", 0, false},
    {HeaderName::ProxyAuthenticate, "Proxy-Authenticate", 0, false},
    {HeaderName::Expires, "Expires", 0, false},
    {HeaderName::MinExpires, "Min-Expires", 0, false},
    {HeaderName::Require, "Require", 0, true},
    {HeaderName::ProxyRequire, "Proxy-Require", 0, true},
    {HeaderName::Supported, "Supported", 'k', true},
    {HeaderName::Unsupported, "Unsupported", 0, true},
    {HeaderName::Allow, "Allow", 0, true},
    {HeaderName::UserAgent, "User-Agent", 0, false},
    {HeaderName::Server, "Server", 0, false},
    {HeaderName::Path, "Path", 0, true},
    {HeaderName::Event, "Event", 'o', false},
    {HeaderName::ReferTo, "Refer-To", 'r', false},
    {HeaderName::ReferredBy, "Referred-By", 'b', false},
    {HeaderName::Replaces, "Replaces", 0, false},
    {HeaderName::SessionExpires, "Session-Expires", 'x', false},
    {HeaderName::MinSe, "Min-SE", 0, false},
    {HeaderName::Subject, "Subject", 's', false},
    {HeaderName::Accept, "Accept", 0, true},
    {HeaderName::Date, "Date", 0, false},
    {HeaderName::Timestamp, "Timestamp", 0, false},
    {HeaderName::RetryAfter, "Retry-After", 0, false},
    {HeaderName::ContentEncoding, "Content-Encoding", 'e', true},
    {HeaderName::AcceptEncoding, "Accept-Encoding", 0, true},
    {HeaderName::RSeq, "RSeq", 0, false},
    {HeaderName::RAck, "RAck", 0, false},
}};

}  // namespace

HeaderName classify_header(std::string_view name) {
  if (name.size() == 1) {
    const char c = ascii_lower(name[0]);
    for (const auto& e : kHeaders) {
      if (e.compact == c) {
        return e.name;
      }
    }
    return HeaderName::Other;
  }
  const char first = ascii_lower(name[0]);
  for (const auto& e : kHeaders) {
    // Length and first letter rule out nearly every entry before a full comparison.
    if (e.canonical.size() == name.size() && ascii_lower(e.canonical[0]) == first &&
        iequals(e.canonical, name)) {
      return e.name;
    }
  }
  return HeaderName::Other;
}

std::string_view canonical_name(HeaderName h) {
  for (const auto& e : kHeaders) {
    if (e.name == h) {
      return e.canonical;
    }
  }
  return "";
}

bool is_multi_value(HeaderName h) {
  for (const auto& e : kHeaders) {
    if (e.name == h) {
      return e.multi;
    }
  }
  return false;
}

}  // namespace sb::sip
