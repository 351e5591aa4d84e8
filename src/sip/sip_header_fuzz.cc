// sip/sip_header_fuzz.cc: libFuzzer target for the typed readers of network input: the header
// parsers, digest challenges and credentials, stream framing, the transport's raw error response
// and Via stamping, the registrar's REGISTER reading and the dialog layer's request matching.
// The first input byte picks the reader (see Reader), the rest is its input. Built with clang,
// ASan and UBSan by scripts/fuzz.sh; `make test` runs it for a bounded time.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sip/ascii.h"
#include "sip/auth/challenge.h"
#include "sip/auth/credentials.h"
#include "sip/dialog/dialog_set.h"
#include "sip/message_parser.h"
#include "sip/parse/auth.h"
#include "sip/parse/cseq.h"
#include "sip/parse/name_addr.h"
#include "sip/parse/params.h"
#include "sip/parse/split.h"
#include "sip/parse/uri.h"
#include "sip/parse/via.h"
#include "sip/registrar/register_request.h"
#include "sip/transport/response_route.h"
#include "sip/transport/transport_layer.h"

namespace {

using namespace sb::sip;

// The first byte modulo kReaders: 'A' (65 = 5 * 13) is Uri, 'B' Via, ... 'M' Dialog, so the seed
// corpus can be plain text files.
enum Reader : uint8_t {
  kUri,          // A: parse_uri, equivalence with itself and with a second URI after a NUL
  kVia,          // B: parse_via, then stamp_via with an IPv4 and an IPv6 source
  kNameAddr,     // C: parse_name_addr, a lone * allowed when byte / 13 is odd ('C' yes, 'P' no)
  kParams,       // D: parse_params, scan_quoted_string, unquote, split_comma_list
  kCSeq,         // E: parse_cseq
  kAuth,         // F: parse_auth
  kChallenge,    // G: auth::parse_challenge and format_challenge
  kCredentials,  // H: auth::parse_credentials and format_credentials
  kFrame,        // I: frame_length, then the parser on the frame
  kRawError,     // J: raw_error_response for a request the parser refuses
  kStamp,        // K: the typed headers, replace_top_via with the body as the element, then
                 //    stamp_received on copies of a parsed request, from several sources
  kRegister,     // L: registrar::read_aor and read_contacts on a parsed REGISTER
  kDialog,       // M: DialogSet::receive on NUL-separated requests (create_uas for INVITEs);
                 //    byte / 13 % 3 picks the answer to the INVITE ('M' 200, 'Z' none, 'g' 180)
  kReaders,
};

const ParseLimits kLimits{.max_message_size = 4096, .max_headers = 64, .max_start_line = 1024};

void check(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

// Where touch() leaves its sums, so the optimiser cannot drop the reads.
volatile size_t g_sink = 0;

// Reads every byte of a view so ASan sees one that reaches outside its buffer, and checks it
// lies inside `within` (the text the parser was given) when that is set.
size_t touch(std::string_view v, std::string_view within = {}) {
  if (within.data() != nullptr && !v.empty()) {
    check(v.data() >= within.data() && v.data() + v.size() <= within.data() + within.size());
  }
  size_t sum = 0;
  for (char c : v) {
    sum += static_cast<unsigned char>(c);
  }
  g_sink = g_sink + sum;
  return sum;
}

size_t touch(const std::vector<UriParam>& params, std::string_view within) {
  size_t sum = 0;
  for (const UriParam& p : params) {
    sum += touch(p.name, within) + touch(p.value, within);
  }
  return sum;
}

size_t touch(const Uri& uri, std::string_view within) {
  return touch(uri.scheme_text, within) + touch(uri.user, within) + touch(uri.password, within) +
         touch(uri.host, within) + touch(uri.params, within) + touch(uri.headers, within);
}

size_t touch(const Message& m) {
  size_t sum = touch(m.bytes()) + touch(m.body(), m.bytes()) + touch(m.call_id(), m.bytes());
  for (const HeaderField& h : m.headers()) {
    sum += touch(m.name_of(h), m.bytes()) + touch(m.value_of(h), m.bytes());
  }
  return sum;
}

size_t touch(const NameAddr& address, std::string_view within) {
  return touch(address.display_name, within) + touch(address.uri_text, within) +
         touch(address.uri, within) + touch(address.params, within);
}

// The typed headers a Message keeps (parse once): every view inside the message's own bytes,
// the tags those of from() and to(), and the same objects handed back on a second call.
size_t touch_typed(const Message& m) {
  const std::string_view bytes = m.bytes();
  size_t sum = touch(m.top_via_text(), bytes);
  if (const auto& via = m.top_via()) {
    sum += touch(via->transport, bytes) + touch(via->host, bytes) + touch(via->branch, bytes) +
           touch(via->params, bytes);
    check(!m.top_via_text().empty());
  } else {
    touch(via.error().message);
  }
  check(&m.top_via() == &m.top_via());
  for (const sb::Result<NameAddr>* address : {&m.from(), &m.to()}) {
    if (*address) {
      sum += touch(**address, bytes);
    }
  }
  check(m.from_tag() == (m.from() ? m.from()->tag().value_or("") : std::string_view{}));
  check(m.to_tag() == (m.to() ? m.to()->tag().value_or("") : std::string_view{}));
  sum += touch(m.from_tag(), bytes) + touch(m.to_tag(), bytes);
  if (const auto& uri = m.request_uri_parsed()) {
    check(m.is_request());
    sum += touch(*uri, bytes);
  }
  return sum;
}

std::optional<Message> parse_message(std::string_view text, bool datagram = true) {
  ParseResult r = MessageParser(kLimits).parse(std::string(text), datagram);
  if (auto* m = std::get_if<Message>(&r)) {
    return std::move(*m);
  }
  return std::nullopt;
}

Peer peer(Transport transport, std::string_view ip, uint16_t port) {
  Peer p;
  p.transport = transport;
  p.remote = *SocketAddress::parse(ip, port);
  p.local = *SocketAddress::parse(p.remote.is_v6() ? "2001:db8::4" : "192.0.2.4", 5060);
  p.connection = transport == Transport::Udp ? 0 : 7;
  return p;
}

// `text` split at each NUL byte.
std::vector<std::string_view> split_nul(std::string_view text) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t nul = text.find('\0', start);
    parts.push_back(text.substr(start, nul == std::string_view::npos ? nul : nul - start));
    if (nul == std::string_view::npos) {
      return parts;
    }
    start = nul + 1;
  }
}

bool has_repeated_param(const Uri& uri) {
  std::vector<std::string> names;
  for (const UriParam& p : uri.params) {
    std::string name = percent_decode(p.name);
    for (char& c : name) {
      c = ascii_lower(c);
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      return true;
    }
    names.push_back(std::move(name));
  }
  return false;
}

void read_uri(std::string_view in) {
  const std::vector<std::string_view> parts = split_nul(in);
  auto a = parse_uri(parts[0]);
  if (!a) {
    touch(a.error().message);
    return;
  }
  touch(*a, parts[0]);
  a->param("transport");
  a->has_param("lr");
  touch(percent_decode(a->user));
  touch(percent_decode(a->host));
  if (a->scheme != UriScheme::Other && !has_repeated_param(*a)) {
    // RFC 3261 §19.1.4 is an equivalence relation. Not with a parameter named twice with two
    // values (;p=1;p=2), which the comparison matches by first occurrence.
    check(uri_equivalent(*a, *a));
  }
  is_ipv4_address(parts[0]);
  is_ipv6_address(parts[0]);
  is_hostname(parts[0]);
  parse_port(parts[0]);
  if (parts.size() > 1) {
    if (auto b = parse_uri(parts[1])) {
      touch(*b, parts[1]);
      check(uri_equivalent(*a, *b) == uri_equivalent(*b, *a));
    }
  }
}

void read_via(std::string_view in) {
  auto via = parse_via(in);
  if (!via) {
    return;
  }
  touch(via->protocol_name, in);
  touch(via->protocol_version, in);
  touch(via->transport, in);
  touch(via->host, in);
  touch(via->branch, in);
  if (via->received) {
    touch(*via->received, in);
  }
  touch(via->params, in);
  via->has_magic_cookie();
  for (const auto& [ip, port] : {std::pair{"192.0.2.1", 5062}, std::pair{"2001:db8::1", 40000}}) {
    const std::string stamped = stamp_via(in, *via, *SocketAddress::parse(ip, port));
    // What was a Via element still is one after the stamp, carrying the source's address.
    auto again = parse_via(stamped);
    check(again.has_value());
    check(again->host == via->host);
    if (via->rport) {
      check(again->rport_value == port);
    }
    response_destination(*via, peer(Transport::Udp, ip, port));
  }
}

void read_name_addr(std::string_view in, bool allow_wildcard) {
  auto a = parse_name_addr(in, allow_wildcard);
  if (!a) {
    return;
  }
  touch(a->display_name, in);
  touch(a->uri_text, in);
  touch(a->uri, in);
  touch(a->params, in);
  if (auto tag = a->tag()) {
    touch(*tag, in);
  }
  touch(unquote(a->display_name));
}

void read_params(std::string_view in) {
  if (auto params = parse_params(in)) {
    touch(*params, in);
    for (const UriParam& p : *params) {
      touch(unquote(p.value));
    }
    find_param(*params, "tag");
  }
  for (size_t i = in.find('"'); i != std::string_view::npos; i = in.find('"', i + 1)) {
    const size_t end = scan_quoted_string(in, i);
    check(end == std::string_view::npos || (end > i && end <= in.size()));
  }
  touch(unquote(in));
  std::vector<std::string_view> parts;
  split_comma_list(in, parts);
  for (std::string_view p : parts) {
    touch(p, in);
  }
  touch(trim_lws(in), in);
}

void read_cseq(std::string_view in) {
  if (auto cseq = parse_cseq(in)) {
    check(cseq->number < (uint32_t{1} << 31));
    touch(cseq->method, in);
  }
}

void read_auth(std::string_view in) {
  if (auto header = parse_auth(in)) {
    touch(header->scheme, in);
    for (const auto& [name, value] : header->params) {
      touch(name, in);
      touch(value);
    }
    header->get("realm");
  }
}

void read_challenge(std::string_view in) {
  if (auto challenge = auth::parse_challenge(in)) {
    touch(challenge->realm);
    touch(challenge->nonce);
    touch(challenge->algorithm_text);
    (void)auth::parse_challenge(auth::format_challenge(*challenge));
  }
}

void read_credentials(std::string_view in) {
  if (auto credentials = auth::parse_credentials(in)) {
    touch(credentials->username);
    touch(credentials->uri);
    touch(credentials->response);
    (void)auth::parse_credentials(auth::format_credentials(*credentials));
  }
}

void read_frame(std::string_view in) {
  auto framed = frame_length(in, kLimits);
  const auto* frame = std::get_if<Frame>(&framed);
  if (frame == nullptr) {
    touch(std::get<ParseError>(framed).reason);
    return;
  }
  check(frame->keepalive_bytes + frame->length <= in.size());
  check(frame->length <= kLimits.max_message_size);
  if (frame->length == 0) {
    return;
  }
  if (auto m = parse_message(in.substr(frame->keepalive_bytes, frame->length), false)) {
    touch(*m);
    // Framing and parsing agree on where the message ends: its body is the frame's last bytes.
    // Otherwise bytes of the stream would be swallowed or split off as the next message.
    check(m->body().data() + m->body().size() == m->bytes().data() + m->bytes().size());
  }
}

void read_raw_error(std::string_view in) {
  ParseResult r = MessageParser(kLimits).parse(std::string(in), /*datagram=*/true);
  const auto* error = std::get_if<ParseError>(&r);
  if (error == nullptr || !error->is_request) {
    return;
  }
  auto response = raw_error_response(in, error->status, error->reason);
  if (!response) {
    return;
  }
  // Whatever came in, what goes out is one well-formed head: CRLF line ends only.
  const std::string& out = *response;
  check(out.starts_with("SIP/2.0 ") && out.ends_with("\r\n\r\n"));
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\r') {
      check(i + 1 < out.size() && out[i + 1] == '\n');
    } else if (out[i] == '\n') {
      check(i > 0 && out[i - 1] == '\r');
    }
  }
}

// Each stamp is made in place on a copy: the copy reads as the original but for its top Via,
// whatever typed header was read before, and serializes to text that parses back the same.
void read_stamp(std::string_view in) {
  auto request = parse_message(in);
  if (!request) {
    return;
  }
  touch_typed(*request);
  // Any text as the new top Via element (the body, whatever it holds): refused, changing
  // nothing, or taken so that a fresh parse of the bytes reads it as the top element.
  {
    Message spliced = *request;
    touch_typed(spliced);
    const std::string element(request->body());
    if (spliced.replace_top_via(element)) {
      check(spliced.top_via_text() == element);
      touch(spliced);
      touch_typed(spliced);
      const std::string wire = serialize(spliced);
      ParseResult again = MessageParser(ParseLimits{}).parse(wire, /*datagram=*/true);
      check(std::holds_alternative<Message>(again));
      check(std::get<Message>(again).top_via_text() == element);
      check(std::get<Message>(again).body() == spliced.body());
    } else {
      check(spliced.bytes() == request->bytes());
    }
  }
  for (const Peer& from :
       {peer(Transport::Udp, "192.0.2.1", 5060), peer(Transport::Tcp, "198.51.100.7", 33000),
        peer(Transport::Udp, "2001:db8::1", 5060)}) {
    Message stamped = *request;
    touch_typed(stamped);  // filled before the stamp: the stamp must drop what it invalidates
    if (!stamp_received(stamped, from)) {
      check(stamped.bytes() == request->bytes());
      continue;
    }
    touch(stamped);
    touch_typed(stamped);
    check(stamped.top_via().has_value());
    const std::string ip = from.remote.ip();
    check(stamped.top_via()->received == std::optional<std::string_view>(ip));
    check(stamped.body() == request->body());
    check(stamped.call_id() == request->call_id() && stamped.cseq() == request->cseq());
    check(stamped.request_uri() == request->request_uri());
    check(stamped.headers().size() == request->headers().size());
    bool top = true;
    for (size_t i = 0; i < stamped.headers().size(); ++i) {
      const HeaderField& a = stamped.headers()[i];
      const HeaderField& b = request->headers()[i];
      check(a.name == b.name && stamped.name_of(a) == request->name_of(b));
      if (a.name == HeaderName::Via && top) {
        top = false;
        continue;
      }
      check(stamped.value_of(a) == request->value_of(b));
    }
    // Default limits: the stamp may take the request past kLimits' 4096 bytes. A datagram: the
    // input may carry a body without Content-Length.
    const std::string wire = serialize(stamped);
    ParseResult again = MessageParser(ParseLimits{}).parse(wire, /*datagram=*/true);
    check(std::holds_alternative<Message>(again));
    check(serialize(std::get<Message>(again)) == wire);
    check(std::get<Message>(again).top_via_text() == stamped.top_via_text());
  }
}

void read_register(std::string_view in) {
  auto request = parse_message(in);
  if (!request) {
    return;
  }
  using namespace sb::sip::registrar;
  for (const std::vector<std::string>& domains :
       {std::vector<std::string>{}, std::vector<std::string>{"example.com", "192.0.2.4"}}) {
    auto aor = read_aor(*request, domains);
    if (auto* a = std::get_if<Aor>(&aor)) {
      touch(a->text);
      touch(a->user);
      touch(a->host);
    }
  }
  RegistrarConfig config;
  auto contacts = read_contacts(*request, config);
  if (auto* list = std::get_if<ContactList>(&contacts)) {
    check(list->contacts.size() <= kMaxContactsPerRequest);
    for (const ContactUpdate& c : list->contacts) {
      touch(c.uri);
      touch(c.instance);
      touch(c.reg_id);
      check(c.expires <= config.max_expires);
      check(!c.q_milli || *c.q_milli <= 1000);
    }
  } else {
    touch(std::get<Refusal>(contacts).log_reason);
  }
}

// Requests separated by NUL bytes go to one DialogSet in turn. An INVITE outside a dialog makes
// a UAS dialog, answered per `answer` (0: not yet, 1: 180, 2: 180 then 200); "$tag" in later
// requests stands for that dialog's local tag, which the fuzzer cannot guess.
void read_dialog(std::string_view in, int answer) {
  DialogSet set(/*seed=*/1);
  const Peer from = peer(Transport::Udp, "192.0.2.1", 5060);
  std::string local_tag = "none";
  const std::vector<std::string_view> parts = split_nul(in);
  for (size_t n = 0; n < parts.size() && n < 8; ++n) {
    std::string text(parts[n]);
    for (size_t at = text.find("$tag"); at != std::string::npos; at = text.find("$tag", at)) {
      text.replace(at, 4, local_tag);
      at += local_tag.size();
    }
    auto request = parse_message(text);
    if (!request) {
      continue;
    }
    touch_typed(*request);
    Incoming incoming = set.receive(*request);
    if (std::holds_alternative<OutOfDialog>(incoming) && request->method() == Method::Invite) {
      auto dialog = set.create_uas(*request, from, "<sip:sb@192.0.2.4:5060>");
      if (!dialog) {
        touch(dialog.error().message);
        continue;
      }
      local_tag = (*dialog)->id().local_tag;
      for (int status : {180, 200}) {
        if (answer >= (status == 180 ? 1 : 2)) {
          if (auto response = (*dialog)->respond(*request, status, "x")) {
            touch(*response);
          }
        }
      }
    } else if (auto* in_dialog = std::get_if<InDialog>(&incoming)) {
      if (auto response = in_dialog->dialog->respond(*request, 200, "OK")) {
        touch(*response);
      }
    } else if (auto* reply = std::get_if<Reply>(&incoming)) {
      touch(reply->response);
    } else if (auto* ended = std::get_if<DialogEnded>(&incoming)) {
      touch(ended->response);
    } else if (auto* discard = std::get_if<Discard>(&incoming)) {
      touch(discard->why);
    }
  }
  set.erase_terminated();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  // The rest is read where libFuzzer put it: an exact heap allocation, so a read one past its
  // end is an ASan report.
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const uint8_t extra = data[0] / kReaders;  // more choices for some readers
  switch (static_cast<Reader>(data[0] % kReaders)) {
    case kUri:
      read_uri(in);
      break;
    case kVia:
      read_via(in);
      break;
    case kNameAddr:
      read_name_addr(in, extra % 2 == 1);
      break;
    case kParams:
      read_params(in);
      break;
    case kCSeq:
      read_cseq(in);
      break;
    case kAuth:
      read_auth(in);
      break;
    case kChallenge:
      read_challenge(in);
      break;
    case kCredentials:
      read_credentials(in);
      break;
    case kFrame:
      read_frame(in);
      break;
    case kRawError:
      read_raw_error(in);
      break;
    case kStamp:
      read_stamp(in);
      break;
    case kRegister:
      read_register(in);
      break;
    case kDialog:
      read_dialog(in, extra % 3);
      break;
    case kReaders:
      break;
  }
  return 0;
}
