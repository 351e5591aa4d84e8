// sip/message.cc: header look-ups on a parsed or built message, the typed headers it keeps
// once parsed, and the in-place splice of the top Via.
#include "sip/message.h"

#include <algorithm>
#include <limits>

#include "sip/parse/split.h"

namespace sb::sip {
namespace {

Error missing(std::string_view header) {
  return Error{"missing " + std::string(header), std::string(header), ErrorCode::NotFound};
}

// From or To: the parser's message, the header's name as where.
sb::Result<NameAddr> parse_address(std::optional<std::string_view> value, HeaderName name) {
  const std::string_view header = canonical_name(name);
  if (!value) {
    return missing(header);
  }
  sb::Result<NameAddr> parsed = parse_name_addr(*value);
  if (!parsed) {
    return Error{parsed.error().message, std::string(header)};
  }
  return parsed;
}

std::string_view tag_of(const sb::Result<NameAddr>& address) {
  return address ? address->tag().value_or(std::string_view{}) : std::string_view{};
}

}  // namespace

namespace detail {

ParsedHeaders& ParsedHeadersCache::at(const char* base) {
  return parsed_ && parsed_->base == base ? *parsed_ : fresh(base);
}

ParsedHeaders& ParsedHeadersCache::fresh(const char* base) {
  if (parsed_) {
    *parsed_ = ParsedHeaders{};
  } else {
    parsed_ = std::make_unique<ParsedHeaders>();
  }
  parsed_->base = base;
  return *parsed_;
}

}  // namespace detail

std::optional<std::string_view> Message::first(HeaderName name) const {
  for (const auto& h : headers_) {
    if (h.name == name) {
      return view(h.value);
    }
  }
  return std::nullopt;
}

std::vector<std::string_view> Message::values(HeaderName name) const {
  std::vector<std::string_view> out;
  const bool split = is_multi_value(name);
  for (const auto& h : headers_) {
    if (h.name != name) {
      continue;
    }
    if (split) {
      split_comma_list(view(h.value), out);
    } else {
      out.push_back(view(h.value));
    }
  }
  return out;
}

size_t Message::count(HeaderName name) const {
  size_t n = 0;
  for (const auto& h : headers_) {
    n += h.name == name ? 1 : 0;
  }
  return n;
}

std::string_view Message::top_via_text() const {
  detail::ParsedHeaders& p = parsed();
  if (!p.top_via_text) {
    const std::optional<std::string_view> line = first(HeaderName::Via);
    p.top_via_text = line ? first_list_element(*line) : std::string_view{};
  }
  return *p.top_via_text;
}

const sb::Result<Via>& Message::top_via() const {
  detail::ParsedHeaders& p = parsed();
  if (!p.top_via) {
    const std::string_view text = top_via_text();
    if (text.empty()) {
      p.top_via.emplace(missing("Via"));
    } else {
      p.top_via.emplace(parse_via(text));  // fails with "Via" as where
    }
  }
  return *p.top_via;
}

const sb::Result<NameAddr>& Message::from() const {
  detail::ParsedHeaders& p = parsed();
  if (!p.from) {
    p.from.emplace(parse_address(first(HeaderName::From), HeaderName::From));
  }
  return *p.from;
}

const sb::Result<NameAddr>& Message::to() const {
  detail::ParsedHeaders& p = parsed();
  if (!p.to) {
    p.to.emplace(parse_address(first(HeaderName::To), HeaderName::To));
  }
  return *p.to;
}

std::string_view Message::from_tag() const { return tag_of(from()); }
std::string_view Message::to_tag() const { return tag_of(to()); }

const sb::Result<Uri>& Message::request_uri_parsed() const {
  detail::ParsedHeaders& p = parsed();
  if (!p.request_uri) {
    if (!request_) {
      p.request_uri.emplace(missing("Request-URI"));
    } else if (sb::Result<Uri> uri = parse_uri(request_uri())) {
      p.request_uri.emplace(std::move(uri));
    } else {
      p.request_uri.emplace(Error{uri.error().message, "Request-URI"});
    }
  }
  return *p.request_uri;
}

sb::Result<void> Message::replace_top_via(std::string_view element) {
  const std::string_view old = top_via_text();
  if (old.empty()) {
    return missing("Via");
  }
  // One element on one line: no line break or NUL to end the header, nothing that would start
  // another element or swallow the next one (see is_one_list_element).
  const bool ends_header = std::any_of(element.begin(), element.end(), [](char c) {
    return c == '\r' || c == '\n' || c == '\0';
  });
  if (ends_header || !is_one_list_element(element)) {
    return Error{"not one Via element", "Via"};
  }
  if (buffer_.size() - old.size() + element.size() > std::numeric_limits<uint32_t>::max()) {
    return Error{"message too large", "Via"};
  }
  const auto at = static_cast<uint32_t>(old.data() - buffer_.data());
  splice(at, static_cast<uint32_t>(old.size()), element);
  // The buffer may have moved and the top Via is another one: nothing parsed before holds. The
  // new text is the top element without a scan: before it in the line are only LWS and commas
  // (the old one was the first element), after it LWS and a comma or the end, and it is
  // balanced itself.
  parsed_.fresh(buffer_.data()).top_via_text =
      std::string_view(buffer_).substr(at, element.size());
  return {};
}

void Message::splice(uint32_t at, uint32_t length, std::string_view text) {
  const uint32_t end = at + length;
  const auto grown = static_cast<uint32_t>(text.size());
  // Slices after the range move by the difference; the one holding it (the Via line's value)
  // grows by it; those before it stay. No slice straddles the range: it lies inside one value.
  auto shift = [&](Slice& s) {
    if (s.offset >= end) {
      s.offset = s.offset - length + grown;
    } else if (s.offset <= at && end <= s.offset + s.length) {
      s.length = s.length - length + grown;
    }
  };
  for (Slice& s : start_) {
    shift(s);
  }
  for (HeaderField& h : headers_) {
    shift(h.raw_name);
    shift(h.value);
  }
  shift(body_);
  shift(call_id_);
  shift(cseq_method_text_);
  buffer_.replace(at, length, text);
}

}  // namespace sb::sip
