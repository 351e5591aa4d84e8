// sip/registrar/register_request.cc
#include "sip/registrar/register_request.h"

#include <algorithm>
#include <limits>
#include <string_view>

#include "sip/ascii.h"
#include "sip/parse/name_addr.h"
#include "sip/parse/split.h"
#include "sip/registrar/q_value.h"

namespace sb::sip::registrar {
namespace {

Refusal bad_request(std::string log_reason) {
  return Refusal{400, "Bad Request", std::move(log_reason), {}};
}

// delta-seconds (RFC 3261 §25.1). §10.2.1: a value above 2^32-1 means 2^32-1; the max_expires
// clamp then cuts it down anyway.
std::optional<uint64_t> parse_delta_seconds(std::string_view text) {
  text = trim_lws(text);
  if (text.empty()) {
    return std::nullopt;
  }
  constexpr uint64_t kMax = std::numeric_limits<uint32_t>::max();
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = std::min<uint64_t>(value * 10 + static_cast<uint64_t>(c - '0'), kMax);
  }
  return value;
}

bool is_served(std::string_view host, const std::vector<std::string>& domains) {
  if (domains.empty()) {
    return true;
  }
  for (const std::string& d : domains) {
    if (iequals(d, host)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::variant<Aor, Refusal> read_aor(const Message& request,
                                    const std::vector<std::string>& domains) {
  const sb::Result<NameAddr>& address = request.to();
  if (!address && address.error().code == ErrorCode::NotFound) {
    return bad_request("no To header");
  }
  if (!address) {
    return bad_request("bad To header: " + address.error().message);
  }
  auto aor = aor_from_uri(address->uri);
  if (!aor) {
    return Refusal{404, "Not Found", aor.error().message, {}};
  }
  if (!is_served(aor->host, domains)) {
    return Refusal{404, "Not Found", "domain not served: " + aor->host, {}};
  }
  return std::move(*aor);
}

std::variant<ContactList, Refusal> read_contacts(const Message& request,
                                                 const RegistrarConfig& config) {
  ContactList out;
  const std::vector<std::string_view> values = request.values(HeaderName::Contact);
  if (values.size() > kMaxContactsPerRequest) {
    return Refusal{
        403, "Too Many Contacts", std::to_string(values.size()) + " contacts in one REGISTER", {}};
  }
  std::optional<uint64_t> header_expires;
  if (const auto expires = request.first(HeaderName::Expires)) {
    header_expires = parse_delta_seconds(*expires);
    if (!header_expires) {
      return bad_request("bad Expires header: " + std::string(*expires));
    }
  }

  std::vector<NameAddr> contacts;
  for (std::string_view value : values) {
    auto contact = parse_name_addr(value, /*allow_wildcard=*/true);
    if (!contact) {
      return bad_request("bad Contact: " + contact.error().message);
    }
    out.wildcard = out.wildcard || contact->wildcard;
    contacts.push_back(std::move(*contact));
  }
  // RFC 3261 §10.3 step 6: "*" stands alone, and only with Expires: 0.
  if (out.wildcard) {
    if (contacts.size() != 1) {
      return bad_request("Contact * together with other contacts");
    }
    if (header_expires != 0u) {
      return bad_request("Contact * without Expires: 0");
    }
    return out;
  }

  const auto min = static_cast<uint64_t>(config.min_expires.count());
  const auto max = static_cast<uint64_t>(config.max_expires.count());
  for (size_t i = 0; i < contacts.size(); ++i) {
    const NameAddr& c = contacts[i];
    // Equivalent URIs later in the request supersede this one.
    bool superseded = false;
    for (size_t j = i + 1; j < contacts.size() && !superseded; ++j) {
      superseded = uri_equivalent(c.uri, contacts[j].uri) || c.uri_text == contacts[j].uri_text;
    }
    if (superseded) {
      continue;
    }
    ContactUpdate update;
    update.uri = std::string(c.uri_text);
    if (const auto q = c.param("q")) {
      update.q_milli = parse_q(*q);
      if (!update.q_milli) {
        return bad_request("bad q value: " + std::string(*q));
      }
    }
    // §10.3 step 7: the Contact's expires parameter, else the Expires header, else the default.
    uint64_t expires = static_cast<uint64_t>(config.default_expires.count());
    if (const auto param = c.param("expires")) {
      const auto value = parse_delta_seconds(*param);
      if (!value) {
        return bad_request("bad expires parameter: " + std::string(*param));
      }
      expires = *value;
    } else if (header_expires) {
      expires = *header_expires;
    }
    if (expires != 0 && expires < min) {
      return Refusal{423,
                     "Interval Too Brief",
                     "expires " + std::to_string(expires) + " below " + std::to_string(min),
                     {{HeaderName::MinExpires, std::to_string(min)}}};
    }
    update.expires =
        std::chrono::seconds(static_cast<std::chrono::seconds::rep>(std::min(expires, max)));
    update.instance = std::string(c.param("+sip.instance").value_or(""));
    update.reg_id = std::string(c.param("reg-id").value_or(""));
    out.contacts.push_back(std::move(update));
  }
  return out;
}

}  // namespace sb::sip::registrar
