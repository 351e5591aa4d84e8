// sip/dialog/route_set.cc
#include "sip/dialog/route_set.h"

#include <algorithm>

#include "sip/ascii.h"
#include "sip/parse/name_addr.h"

namespace sb::sip {
namespace {

sb::Result<RouteSet> record_routes(const Message& message) {
  RouteSet out;
  for (const std::string_view value : message.values(HeaderName::RecordRoute)) {
    sb::Result<NameAddr> parsed = parse_name_addr(value);
    if (!parsed) {
      return Error{parsed.error().message, "Record-Route"};
    }
    if (parsed->uri.scheme != UriScheme::Sip && parsed->uri.scheme != UriScheme::Sips) {
      return Error{"not a SIP URI", "Record-Route"};
    }
    out.emplace_back(value);
  }
  return out;
}

// The URI of a validated route set entry, and whether it is a loose router.
struct RouteUri {
  std::string_view text;
  bool loose = false;
};

sb::Result<RouteUri> route_uri(std::string_view entry) {
  sb::Result<NameAddr> parsed = parse_name_addr(entry);
  if (!parsed) {
    return Error{parsed.error().message, "route set"};
  }
  return RouteUri{parsed->uri_text, parsed->uri.has_param("lr")};
}

}  // namespace

sb::Result<RouteSet> route_set_of_request(const Message& request) { return record_routes(request); }

sb::Result<RouteSet> route_set_of_response(const Message& response) {
  sb::Result<RouteSet> routes = record_routes(response);
  if (routes) {
    std::reverse(routes->begin(), routes->end());
  }
  return routes;
}

std::string request_uri_form(std::string_view uri) {
  sb::Result<Uri> parsed = parse_uri(uri);
  if (!parsed || (parsed->scheme != UriScheme::Sip && parsed->scheme != UriScheme::Sips)) {
    return std::string(uri);
  }
  // The parser's views point into `uri`, so offsets tell what to cut. The headers start one
  // past the '?'; the method parameter one past its ';'.
  size_t end = uri.size();
  if (!parsed->headers.empty()) {
    end = static_cast<size_t>(parsed->headers.front().name.data() - uri.data()) - 1;
  }
  std::string out;
  size_t copied = 0;
  for (const UriParam& p : parsed->params) {
    if (!iequals(percent_decode(p.name), "method")) {
      continue;
    }
    const size_t start = static_cast<size_t>(p.name.data() - uri.data()) - 1;
    const std::string_view last = p.has_value ? p.value : p.name;
    const size_t stop = static_cast<size_t>(last.data() - uri.data()) + last.size();
    out.append(uri.substr(copied, start - copied));
    copied = stop;
  }
  out.append(uri.substr(copied, end - copied));
  return out;
}

sb::Result<RequestTarget> request_target(const RouteSet& route_set,
                                         std::string_view remote_target) {
  if (sb::Result<Uri> target = parse_uri(remote_target); !target) {
    return Error{target.error().message, "remote target"};
  }
  RequestTarget out;
  if (route_set.empty()) {
    out.request_uri = request_uri_form(remote_target);
    out.next_hop = out.request_uri;
    return out;
  }
  sb::Result<RouteUri> first = route_uri(route_set.front());
  if (!first) {
    return first.error();
  }
  if (first->loose) {
    out.request_uri = request_uri_form(remote_target);
    out.routes = route_set;
    out.next_hop = std::string(first->text);
    return out;
  }
  // RFC 3261 §12.2.1.1, strict router: the first route becomes the Request-URI and the remote
  // target rides along as the last Route, for the strict router to put back (§16.12).
  out.request_uri = request_uri_form(first->text);
  out.routes.assign(route_set.begin() + 1, route_set.end());
  out.routes.push_back("<" + std::string(remote_target) + ">");
  out.next_hop = out.request_uri;
  return out;
}

}  // namespace sb::sip
