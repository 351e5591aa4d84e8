// sip/dialog/route_set.h: a dialog's route set (RFC 3261 §12.1.1, §12.1.2) and where an
// in-dialog request goes from it (§12.2.1.1: loose routing, and the strict-routing rewrite).
// Text in, text out; no DNS (RFC 3263 resolution of the next hop is the caller's business).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sip/message.h"

namespace sb::sip {

// Route set entries are the Record-Route elements as received ("<sip:p1.example;lr>;x=y"),
// header parameters included, which is what Route headers carry.
using RouteSet = std::vector<std::string>;

// The UAS view (§12.1.1): the request's Record-Route values in the order they appear.
// The UAC view (§12.1.2): the Record-Route values of the 1xx/2xx response, reversed.
// Fails when an element does not parse as a name-addr with a SIP or SIPS URI.
sb::Result<RouteSet> route_set_of_request(const Message& request);
sb::Result<RouteSet> route_set_of_response(const Message& response);

// What an in-dialog request carries and where it is sent first.
struct RequestTarget {
  std::string request_uri;          // the Request-URI
  std::vector<std::string> routes;  // Route header values, in order
  std::string next_hop;             // the URI the request is sent to (RFC 3263 input)
};

// RFC 3261 §12.2.1.1. Empty route set: Request-URI is the remote target, no Route. First route
// with lr (loose): Request-URI is the remote target, Route is the whole set. First route without
// lr (strict, RFC 2543): Request-URI is the first route's URI minus what a Request-URI may not
// hold, Route is the rest of the set and then the remote target. Fails when the remote target
// or a route does not parse.
sb::Result<RequestTarget> request_target(const RouteSet& route_set, std::string_view remote_target);

// `uri` without what RFC 3261 §19.1.1 (Table 1) forbids in a Request-URI: the method
// parameter and the ?headers. A URI that does not parse comes back unchanged.
std::string request_uri_form(std::string_view uri);

}  // namespace sb::sip
