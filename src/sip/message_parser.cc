// sip/message_parser.cc: the start line, the header block (folding joined in place), the body
// by Content-Length, and the checks every message must pass (RFC 3261 §7, §8.1.1, §18.3).
#include "sip/message_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

#include "sip/ascii.h"
#include "sip/parse/split.h"

namespace sb::sip {
namespace {

constexpr std::string_view kVersion = "SIP/2.0";

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (RFC 3261 §25.1). Only a well-formed version
// other than 2.0 earns 505 (§21.5.7); "SIP/2.0<HTAB>" or "SIP/two" is a malformed line, 400.
bool is_sip_version(std::string_view v) {
  if (!istarts_with(v, "SIP/")) {
    return false;
  }
  v.remove_prefix(4);
  const size_t dot = v.find('.');
  return dot != std::string_view::npos && is_digits(v.substr(0, dot)) &&
         is_digits(v.substr(dot + 1));
}

std::optional<uint64_t> parse_digits(std::string_view s, uint64_t max) {
  if (s.empty() || s.size() > 19) {
    return std::nullopt;
  }
  uint64_t value = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || p != s.data() + s.size() || value > max) {
    return std::nullopt;
  }
  return value;
}

Slice slice(size_t begin, size_t end) {
  return Slice{static_cast<uint32_t>(begin), static_cast<uint32_t>(end - begin)};
}

// Index of the '\n' ending the line that starts at `from`, or npos.
size_t line_end(const std::string& b, size_t from) { return b.find('\n', from); }

// The line's content end: before a CR that precedes the LF (bare LF is accepted, a robustness
// allowance many stacks make; RFC 3261 only produces CRLF).
size_t content_end(const std::string& b, size_t from, size_t lf) {
  return lf > from && b[lf - 1] == '\r' ? lf - 1 : lf;
}

ParseError error(bool request, std::string reason, int status = 400) {
  return ParseError{status, std::move(reason), request};
}

}  // namespace

ParseResult MessageParser::parse(std::string data, bool datagram) const {
  const bool looks_like_response = istarts_with(data, "SIP/");
  const bool request = !looks_like_response;
  if (data.size() > limits_.max_message_size) {
    return error(request, "Message Too Large", 413);
  }
  Message m;
  m.buffer_ = std::move(data);
  std::string& b = m.buffer_;
  size_t pos = 0;
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  while (pos < b.size() && (b[pos] == '\r' || b[pos] == '\n')) {
    ++pos;
  }

  // Start line.
  const size_t lf = line_end(b, pos);
  if (lf == std::string::npos) {
    return error(request, "Bad Request: incomplete start line");
  }
  const size_t end = content_end(b, pos, lf);
  if (end - pos > limits_.max_start_line) {
    return error(request, "Bad Request: start line too long");
  }
  const std::string_view line(b.data() + pos, end - pos);
  m.request_ = !istarts_with(line, "SIP/");
  if (m.request_) {
    // Request-Line = Method SP Request-URI SP SIP-Version (RFC 3261 §7.1): single spaces.
    const size_t sp1 = line.find(' ');
    const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos ||
        sp2 == sp1 + 1) {
      return error(true, "Bad Request: malformed Request-Line");
    }
    const std::string_view method = line.substr(0, sp1);
    const std::string_view version = line.substr(sp2 + 1);
    if (!is_token(method)) {
      return error(true, "Bad Request: bad method");
    }
    if (!iequals(version, kVersion)) {
      if (is_sip_version(version)) {
        return error(true, "SIP Version Not Supported", 505);
      }
      return error(true, "Bad Request: bad SIP-Version");
    }
    m.start_[0] = slice(pos, pos + sp1);
    m.start_[1] = slice(pos + sp1 + 1, pos + sp2);
    m.start_[2] = slice(pos + sp2 + 1, end);
    m.method_ = parse_method(method);
  } else {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (the phrase may be empty).
    const size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos || !iequals(line.substr(0, sp1), kVersion)) {
      return error(false, "bad Status-Line");
    }
    const std::string_view code = line.substr(sp1 + 1, 3);
    const auto status = parse_digits(code, 699);
    if (code.size() != 3 || !status || *status < 100 ||
        (line.size() > sp1 + 4 && line[sp1 + 4] != ' ')) {
      return error(false, "bad Status-Code");
    }
    m.status_ = static_cast<int>(*status);
    m.start_[0] = slice(pos, pos + sp1);
    m.start_[1] = slice(pos + sp1 + 1, pos + sp1 + 4);
    const size_t reason = std::min(end, pos + sp1 + 5);
    m.start_[2] = slice(reason, end);
  }
  pos = lf + 1;

  // Header block, up to the empty line.
  bool blank_line = false;
  while (pos < b.size()) {
    const size_t hlf = line_end(b, pos);
    if (hlf == std::string::npos) {
      return error(m.request_, "Bad Request: unterminated header line");
    }
    const size_t hend = content_end(b, pos, hlf);
    if (hend == pos) {
      pos = hlf + 1;
      blank_line = true;
      break;
    }
    if (b[pos] == ' ' || b[pos] == '\t') {
      // Folding (RFC 3261 §7.3.1): the line continues the previous value. Join in place by
      // turning the line break into spaces, so the value stays one contiguous slice.
      if (m.headers_.empty()) {
        return error(m.request_, "Bad Request: folded line without a header");
      }
      HeaderField& last = m.headers_.back();
      const size_t break_at = pos >= 2 && b[pos - 2] == '\r' ? pos - 2 : pos - 1;
      std::fill(b.begin() + static_cast<long>(break_at), b.begin() + static_cast<long>(pos), ' ');
      const size_t colon = b.find(':', last.raw_name.offset + last.raw_name.length);
      const std::string_view value =
          trim_lws(std::string_view(b.data() + colon + 1, hend - colon - 1));
      const size_t value_at = value.empty() ? hend : static_cast<size_t>(value.data() - b.data());
      last.value = slice(value_at, value_at + value.size());
      pos = hlf + 1;
      continue;
    }
    const size_t colon = b.find(':', pos);
    if (colon == std::string::npos || colon > hend) {
      return error(m.request_, "Bad Request: header line without a colon");
    }
    std::string_view name(b.data() + pos, colon - pos);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) {
      name.remove_suffix(1);  // RFC 3261 §7.3.1: whitespace may precede the colon
    }
    if (!is_token(name)) {
      return error(m.request_, "Bad Request: bad header name");
    }
    if (m.headers_.size() >= limits_.max_headers) {
      return error(m.request_, "Bad Request: too many headers");
    }
    const std::string_view value = trim_lws(std::string_view(b.data() + colon + 1, hend - colon - 1));
    const size_t value_at = value.empty() ? hend : static_cast<size_t>(value.data() - b.data());
    m.headers_.push_back(HeaderField{classify_header(name), slice(pos, pos + name.size()),
                                     slice(value_at, value_at + value.size())});
    pos = hlf + 1;
  }
  if (!blank_line) {
    return error(m.request_, "Bad Request: no empty line after the headers");
  }

  // Body by Content-Length (RFC 3261 §18.3, §20.14).
  std::optional<uint64_t> content_length;
  for (const auto& h : m.headers_) {
    if (h.name != HeaderName::ContentLength) {
      continue;
    }
    const auto value = parse_digits(m.view(h.value), limits_.max_message_size);
    if (!value) {
      return error(m.request_, "Bad Request: bad Content-Length");
    }
    if (content_length && *content_length != *value) {
      return error(m.request_, "Bad Request: conflicting Content-Length headers");
    }
    content_length = value;
  }
  const size_t available = b.size() - pos;
  if (content_length) {
    if (*content_length > available) {
      return error(m.request_, "Bad Request: body shorter than Content-Length");
    }
    m.body_ = slice(pos, pos + *content_length);  // extra datagram bytes are discarded
  } else if (datagram) {
    m.body_ = slice(pos, b.size());
  } else if (available > 0) {
    return error(m.request_, "Bad Request: Content-Length required on a stream");
  } else {
    m.body_ = slice(pos, pos);
  }

  // What every message needs (RFC 3261 §8.1.1): one Call-ID, CSeq, From, To; at least one Via.
  struct Single {
    HeaderName name;
    std::string_view label;
  };
  for (const Single s : {Single{HeaderName::CallId, "Call-ID"}, Single{HeaderName::CSeq, "CSeq"},
                         Single{HeaderName::From, "From"}, Single{HeaderName::To, "To"}}) {
    const size_t n = m.count(s.name);
    if (n == 0) {
      return error(m.request_, "Bad Request: missing " + std::string(s.label));
    }
    if (n > 1) {
      return error(m.request_, "Bad Request: more than one " + std::string(s.label));
    }
  }
  if (m.count(HeaderName::Via) == 0) {
    return error(m.request_, "Bad Request: missing Via");
  }
  for (const auto& h : m.headers_) {
    if (h.name == HeaderName::CallId) {
      if (h.value.length == 0) {
        return error(m.request_, "Bad Request: empty Call-ID");
      }
      m.call_id_ = h.value;
    } else if (h.name == HeaderName::CSeq) {
      // CSeq = 1*DIGIT LWS Method; the number is below 2**31 (RFC 3261 §8.1.1.5).
      const std::string_view v = m.view(h.value);
      size_t digits = 0;
      while (digits < v.size() && std::isdigit(static_cast<unsigned char>(v[digits]))) {
        ++digits;
      }
      const auto number = parse_digits(v.substr(0, digits), 0x7fffffffu);
      const std::string_view method = trim_lws(v.substr(digits));
      if (!number || method.size() == v.size() - digits || !is_token(method)) {
        return error(m.request_, "Bad Request: bad CSeq");
      }
      m.cseq_ = static_cast<uint32_t>(*number);
      m.cseq_method_ = parse_method(method);
      const size_t at = static_cast<size_t>(method.data() - b.data());
      m.cseq_method_text_ = slice(at, at + method.size());
    } else if (h.name == HeaderName::MaxForwards) {
      if (!parse_digits(m.view(h.value), 255)) {
        return error(m.request_, "Bad Request: bad Max-Forwards");
      }
    }
  }
  if (m.request_ && m.cseq_method_text() != m.method_text()) {
    return error(true, "Bad Request: CSeq method does not match the request");
  }
  return m;
}

std::variant<Frame, ParseError> frame_length(std::string_view stream, const ParseLimits& limits) {
  Frame frame;
  // RFC 5626 §3.5.1 keep-alives: a CRLF (or double CRLF) between messages.
  while (frame.keepalive_bytes < stream.size() &&
         (stream[frame.keepalive_bytes] == '\r' || stream[frame.keepalive_bytes] == '\n')) {
    ++frame.keepalive_bytes;
  }
  const std::string_view rest = stream.substr(frame.keepalive_bytes);
  size_t header_end = std::string_view::npos;
  size_t separator = 0;
  for (size_t i = 0; i + 1 < rest.size(); ++i) {
    if (rest[i] == '\n' && rest[i + 1] == '\n') {
      header_end = i;
      separator = 2;
      break;
    }
    if (rest[i] == '\n' && rest[i + 1] == '\r' && i + 2 < rest.size() && rest[i + 2] == '\n') {
      header_end = i;
      separator = 3;
      break;
    }
  }
  if (header_end == std::string_view::npos) {
    if (rest.size() > limits.max_message_size) {
      return ParseError{413, "Message Too Large", !istarts_with(rest, "SIP/")};
    }
    return frame;  // need more bytes
  }
  // Content-Length from the header block; mandatory on streams (RFC 3261 §18.3).
  std::optional<uint64_t> content_length;
  size_t line = rest.find('\n') + 1;
  while (line < header_end + 1) {
    size_t next = rest.find('\n', line);
    if (next == std::string_view::npos || next > header_end + 1) {
      next = header_end + 1;
    }
    std::string_view text = rest.substr(line, next - line);
    const size_t colon = text.find(':');
    // A line starting with SP or HTAB continues the previous value (RFC 3261 §7.3.1), as the
    // parser reads it: " Content-Length: 5" there is text, not a header.
    const bool folded = !text.empty() && (text.front() == ' ' || text.front() == '\t');
    if (colon != std::string_view::npos && !folded) {
      const std::string_view name = trim_lws(text.substr(0, colon));
      if (classify_header(name) == HeaderName::ContentLength) {
        content_length = parse_digits(trim_lws(text.substr(colon + 1)), limits.max_message_size);
        if (!content_length) {
          return ParseError{400, "Bad Request: bad Content-Length", !istarts_with(rest, "SIP/")};
        }
      }
    }
    line = next + 1;
  }
  if (!content_length) {
    return ParseError{400, "Bad Request: Content-Length required on a stream",
                      !istarts_with(rest, "SIP/")};
  }
  const size_t total = header_end + separator + *content_length;
  if (total > limits.max_message_size) {
    return ParseError{413, "Message Too Large", !istarts_with(rest, "SIP/")};
  }
  if (rest.size() >= total) {
    frame.length = total;
  }
  return frame;
}

}  // namespace sb::sip
