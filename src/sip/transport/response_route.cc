// sip/transport/response_route.cc
#include "sip/transport/response_route.h"

#include <algorithm>

#include "sip/ascii.h"

namespace sb::sip {

std::string stamp_via(std::string_view element, const Via& parsed, const SocketAddress& source) {
  const std::string ip = source.ip();
  const bool add_received = parsed.host != ip || parsed.rport;  // RFC 3581 §4: always with rport
  std::string out;
  out.reserve(element.size() + 48);
  // Rebuild the parameters: drop any received/rport the element already had, then append ours.
  // The parameters are views into `element`, in order, so text before the first one is kept as is.
  size_t params_start = element.size();
  for (const UriParam& p : parsed.params) {
    params_start = std::min(params_start, static_cast<size_t>(p.name.data() - element.data()));
  }
  // params_start points at a name; step back over the ';' and any space before it.
  size_t head_end = params_start;
  while (head_end > 0 && element[head_end - 1] != ';') --head_end;
  if (head_end > 0) --head_end;
  if (parsed.params.empty()) head_end = element.size();
  out.append(element.substr(0, head_end));
  for (const UriParam& p : parsed.params) {
    if (iequals(p.name, "received") || iequals(p.name, "rport")) continue;
    out.push_back(';');
    out.append(p.name);
    if (p.has_value) {
      out.push_back('=');
      out.append(p.value);
    }
  }
  if (add_received) out.append(";received=").append(ip);
  if (parsed.rport) out.append(";rport=").append(std::to_string(source.port()));
  return out;
}

bool stamp_received(Message& request, const Peer& source) {
  const sb::Result<Via>& via = request.top_via();
  if (!via) return false;
  if (!via->rport && via->host == source.remote.ip()) return false;
  const std::string_view element = request.top_via_text();
  const std::string stamped = stamp_via(element, *via, source.remote);
  if (stamped == element) return false;
  // `via` and `element` point into the message, which the splice changes: not used after it.
  return request.replace_top_via(stamped).has_value();
}

Peer response_destination(const Via& via, const Peer& source) {
  Peer to = source;
  if (is_reliable(source.transport)) return to;
  if (!via.rport) to.remote.set_port(via.port.value_or(5060));
  return to;
}

}  // namespace sb::sip
