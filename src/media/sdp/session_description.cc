// media/sdp/session_description.cc: SDP parser and serializer (RFC 8866 §5).
#include "media/sdp/session_description.h"

#include "media/sdp/sdp_text.h"

#include <charconv>

namespace sb::media::sdp {
namespace {

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}



class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<SessionDescription> run();

 private:
  Error fail(std::string message) const {
    return Error{std::move(message), "line " + std::to_string(line_no_)};
  }
  std::optional<Error> session_line(char type, std::string_view value);
  std::optional<Error> media_line(char type, std::string_view value);
  Result<Connection> connection(std::string_view value, std::string_view what) const;
  Result<Bandwidth> bandwidth(std::string_view value) const;
  Result<Attribute> attribute(std::string_view value) const;
  Result<Media> media(std::string_view value) const;

  std::string_view text_;
  size_t line_no_ = 0;
  SessionDescription sdp_;
  bool have_origin_ = false;
  bool have_name_ = false;
};

Result<Connection> Parser::connection(std::string_view value, std::string_view what) const {
  auto f = split_blanks(value);
  if (f.size() != 3) {
    return fail(std::string(what) + " needs <nettype> <addrtype> <address>, got " +
                std::to_string(f.size()) + " fields");
  }
  return Connection{std::string(f[0]), std::string(f[1]), std::string(f[2])};
}

Result<Bandwidth> Parser::bandwidth(std::string_view value) const {
  size_t colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return fail("b= line needs <bwtype>:<bandwidth>");
  }
  auto n = parse_number<uint64_t>(value.substr(colon + 1));
  if (!n) {
    return fail("b= line: bandwidth '" + std::string(value.substr(colon + 1)) +
                "' is not a number");
  }
  return Bandwidth{std::string(value.substr(0, colon)), *n};
}

Result<Attribute> Parser::attribute(std::string_view value) const {
  size_t colon = value.find(':');
  std::string_view name = value.substr(0, colon);
  if (name.empty()) {
    return fail("a= line has an empty attribute name");
  }
  Attribute a{std::string(name), std::nullopt};
  if (colon != std::string_view::npos) {
    a.value = std::string(value.substr(colon + 1));
  }
  return a;
}

Result<Media> Parser::media(std::string_view value) const {
  auto f = split_blanks(value);
  if (f.size() < 3) {
    return fail("m= line needs <media> <port> <proto> <fmt>...");
  }
  Media m;
  m.media = std::string(f[0]);
  std::string_view port = f[1];
  size_t slash = port.find('/');
  if (slash != std::string_view::npos) {
    auto count = parse_number<uint32_t>(port.substr(slash + 1));
    if (!count) {
      return fail("m= line: port count '" + std::string(port.substr(slash + 1)) +
                  "' is not a number");
    }
    m.port_count = *count;
    port = port.substr(0, slash);
  }
  auto p = parse_number<uint32_t>(port);
  if (!p || *p > 65535) {
    return fail("m= line: port '" + std::string(port) + "' is not a number from 0 to 65535");
  }
  m.port = static_cast<uint16_t>(*p);
  m.proto = std::string(f[2]);
  for (size_t i = 3; i < f.size(); ++i) {
    m.formats.emplace_back(f[i]);
  }
  return m;
}

std::optional<Error> Parser::session_line(char type, std::string_view value) {
  switch (type) {
    case 'v':
      return fail("duplicate v= line");
    case 'o': {
      if (have_origin_) {
        return fail("duplicate o= line");
      }
      auto f = split_blanks(value);
      if (f.size() != 6) {
        return fail("o= line needs 6 fields, got " + std::to_string(f.size()));
      }
      auto version = parse_number<uint64_t>(f[2]);
      if (f[1].find_first_not_of("0123456789") != std::string_view::npos) {
        return fail("o= line: session id '" + std::string(f[1]) + "' is not numeric");
      }
      if (!version) {
        return fail("o= line: session version '" + std::string(f[2]) + "' is not a number");
      }
      sdp_.origin = Origin{std::string(f[0]), std::string(f[1]), *version,
                           Connection{std::string(f[3]), std::string(f[4]), std::string(f[5])}};
      have_origin_ = true;
      return std::nullopt;
    }
    case 's':
      if (have_name_) {
        return fail("duplicate s= line");
      }
      sdp_.session_name = std::string(value);
      have_name_ = true;
      return std::nullopt;
    case 'i':
      if (sdp_.info) {
        return fail("duplicate session i= line");
      }
      sdp_.info = std::string(value);
      return std::nullopt;
    case 'u':
      if (sdp_.uri) {
        return fail("duplicate u= line");
      }
      sdp_.uri = std::string(value);
      return std::nullopt;
    case 'e':
      sdp_.emails.emplace_back(value);
      return std::nullopt;
    case 'p':
      sdp_.phones.emplace_back(value);
      return std::nullopt;
    case 'c': {
      if (sdp_.connection) {
        return fail("duplicate session c= line");
      }
      auto c = connection(value, "c= line");
      if (!c) {
        return c.error();
      }
      sdp_.connection = std::move(*c);
      return std::nullopt;
    }
    case 'b': {
      auto b = bandwidth(value);
      if (!b) {
        return b.error();
      }
      sdp_.bandwidths.push_back(std::move(*b));
      return std::nullopt;
    }
    case 't': {
      auto f = split_blanks(value);
      if (f.size() != 2) {
        return fail("t= line needs <start-time> <stop-time>");
      }
      auto start = parse_number<uint64_t>(f[0]);
      auto stop = parse_number<uint64_t>(f[1]);
      if (!start || !stop) {
        return fail("t= line: times must be numbers");
      }
      sdp_.timings.push_back(Timing{*start, *stop, {}});
      return std::nullopt;
    }
    case 'r':
      if (sdp_.timings.empty()) {
        return fail("r= line without a preceding t= line");
      }
      sdp_.timings.back().repeats.emplace_back(value);
      return std::nullopt;
    case 'z':
      if (sdp_.zone) {
        return fail("duplicate z= line");
      }
      sdp_.zone = std::string(value);
      return std::nullopt;
    case 'k':
      if (sdp_.key) {
        return fail("duplicate session k= line");
      }
      sdp_.key = std::string(value);
      return std::nullopt;
    case 'a': {
      auto a = attribute(value);
      if (!a) {
        return a.error();
      }
      sdp_.attributes.push_back(std::move(*a));
      return std::nullopt;
    }
    default:
      sdp_.other_lines.push_back(OtherLine{type, std::string(value)});
      return std::nullopt;
  }
}

std::optional<Error> Parser::media_line(char type, std::string_view value) {
  Media& m = sdp_.media.back();
  switch (type) {
    case 'i':
      if (m.title) {
        return fail("duplicate media i= line");
      }
      m.title = std::string(value);
      return std::nullopt;
    case 'c': {
      auto c = connection(value, "c= line");
      if (!c) {
        return c.error();
      }
      m.connections.push_back(std::move(*c));
      return std::nullopt;
    }
    case 'b': {
      auto b = bandwidth(value);
      if (!b) {
        return b.error();
      }
      m.bandwidths.push_back(std::move(*b));
      return std::nullopt;
    }
    case 'k':
      if (m.key) {
        return fail("duplicate media k= line");
      }
      m.key = std::string(value);
      return std::nullopt;
    case 'a': {
      auto a = attribute(value);
      if (!a) {
        return a.error();
      }
      m.attributes.push_back(std::move(*a));
      return std::nullopt;
    }
    case 'v':
    case 'o':
    case 's':
    case 'u':
    case 'e':
    case 'p':
    case 't':
    case 'r':
    case 'z':
      return fail(std::string(1, type) + "= line is session-level but appears after m=");
    default:
      m.other_lines.push_back(OtherLine{type, std::string(value)});
      return std::nullopt;
  }
}

Result<SessionDescription> Parser::run() {
  bool have_version = false;
  size_t pos = 0;
  while (pos < text_.size()) {
    size_t nl = text_.find('\n', pos);
    std::string_view line =
        text_.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text_.size() : nl + 1;
    ++line_no_;
    line = trim_right(line);
    if (line.empty()) {
      continue;  // blank lines, and the empty line some stacks append
    }
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
      return fail("expected <type>=<value> with a lower-case type letter");
    }
    char type = line[0];
    std::string_view value = line.substr(2);
    if (!have_version) {
      if (type != 'v') {
        return fail("SDP must start with v=0");
      }
      if (value != "0") {
        return fail("unsupported SDP version '" + std::string(value) + "', expected v=0");
      }
      have_version = true;
      continue;
    }
    if (type == 'm') {
      auto m = media(value);
      if (!m) {
        return m.error();
      }
      sdp_.media.push_back(std::move(*m));
      continue;
    }
    auto err = sdp_.media.empty() ? session_line(type, value) : media_line(type, value);
    if (err) {
      return *err;
    }
  }
  ++line_no_;  // errors about what is missing point past the end
  if (!have_version) {
    return fail("empty SDP: v=0 missing");
  }
  if (!have_origin_) {
    return fail("missing o= line");
  }
  if (!have_name_) {
    return fail("missing s= line");
  }
  if (sdp_.timings.empty()) {
    return fail("missing t= line");
  }
  return std::move(sdp_);
}

void line(std::string& out, char type, std::string_view value) {
  out += type;
  out += '=';
  out += value;
  out += "\r\n";
}

std::string connection_text(const Connection& c) {
  return c.net_type + ' ' + c.addr_type + ' ' + c.address;
}

void write_attributes(std::string& out, const std::vector<Attribute>& attributes) {
  for (const auto& a : attributes) {
    out += "a=";
    out += a.name;
    if (a.value) {
      out += ':';
      out += *a.value;
    }
    out += "\r\n";
  }
}

void write_other(std::string& out, const std::vector<OtherLine>& others) {
  for (const auto& o : others) {
    line(out, o.type, o.value);
  }
}

}  // namespace

Result<SessionDescription> parse(std::string_view text) { return Parser(text).run(); }

std::string serialize(const SessionDescription& sdp) {
  std::string out;
  out.reserve(512);
  line(out, 'v', "0");
  const Origin& o = sdp.origin;
  line(out, 'o',
       o.username + ' ' + o.session_id + ' ' + std::to_string(o.session_version) + ' ' +
           connection_text(o.address));
  // RFC 8866 §5.3: a single space when there is no session name.
  line(out, 's', sdp.session_name.empty() ? std::string(" ") : sdp.session_name);
  if (sdp.info) {
    line(out, 'i', *sdp.info);
  }
  if (sdp.uri) {
    line(out, 'u', *sdp.uri);
  }
  for (const auto& e : sdp.emails) {
    line(out, 'e', e);
  }
  for (const auto& p : sdp.phones) {
    line(out, 'p', p);
  }
  if (sdp.connection) {
    line(out, 'c', connection_text(*sdp.connection));
  }
  for (const auto& b : sdp.bandwidths) {
    line(out, 'b', b.type + ':' + std::to_string(b.value));
  }
  for (const auto& t : sdp.timings) {
    line(out, 't', std::to_string(t.start) + ' ' + std::to_string(t.stop));
    for (const auto& r : t.repeats) {
      line(out, 'r', r);
    }
  }
  if (sdp.zone) {
    line(out, 'z', *sdp.zone);
  }
  if (sdp.key) {
    line(out, 'k', *sdp.key);
  }
  write_attributes(out, sdp.attributes);
  write_other(out, sdp.other_lines);
  for (const auto& m : sdp.media) {
    std::string ml = m.media + ' ' + std::to_string(m.port);
    if (m.port_count) {
      ml += '/' + std::to_string(*m.port_count);
    }
    ml += ' ' + m.proto;
    for (const auto& f : m.formats) {
      ml += ' ' + f;
    }
    line(out, 'm', ml);
    if (m.title) {
      line(out, 'i', *m.title);
    }
    for (const auto& c : m.connections) {
      line(out, 'c', connection_text(c));
    }
    for (const auto& b : m.bandwidths) {
      line(out, 'b', b.type + ':' + std::to_string(b.value));
    }
    if (m.key) {
      line(out, 'k', *m.key);
    }
    write_attributes(out, m.attributes);
    write_other(out, m.other_lines);
  }
  return out;
}

}  // namespace sb::media::sdp
