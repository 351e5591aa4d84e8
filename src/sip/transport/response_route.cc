#include "sip/transport/response_route.h"

#include <algorithm>

#include "sip/ascii.h"
#include "sip/message_parser.h"
#include "sip/parse/split.h"

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

std::optional<Message> stamp_received(const Message& request, const Peer& source) {
  // The first Via header line and, in it, the first element.
  const HeaderField* via_line = nullptr;
  for (const HeaderField& h : request.headers()) {
    if (h.name == HeaderName::Via) {
      via_line = &h;
      break;
    }
  }
  if (via_line == nullptr) return std::nullopt;
  const std::string_view first = first_list_element(request.value_of(*via_line));
  auto via = parse_via(first);
  if (!via) return std::nullopt;
  const std::string ip = source.remote.ip();
  if (!via->rport && via->host == ip) return std::nullopt;
  std::string stamped = stamp_via(first, *via, source.remote);
  if (stamped == first) return std::nullopt;
  std::string_view bytes = request.bytes();
  const size_t at = static_cast<size_t>(first.data() - bytes.data());
  std::string text;
  text.reserve(bytes.size() + 64);
  text.append(bytes.substr(0, at)).append(stamped).append(bytes.substr(at + first.size()));
  // The body's length is unchanged, so the stream and datagram readings agree.
  ParseResult reparsed = MessageParser().parse(std::move(text), source.transport == Transport::Udp);
  if (auto* m = std::get_if<Message>(&reparsed)) return std::move(*m);
  return std::nullopt;
}

Peer response_destination(const Via& via, const Peer& source) {
  Peer to = source;
  if (is_reliable(source.transport)) return to;
  if (!via.rport) to.remote.set_port(via.port.value_or(5060));
  return to;
}

}  // namespace sb::sip
