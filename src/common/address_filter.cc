// common/address_filter.cc
#include "common/address_filter.h"

#include <arpa/inet.h>

#include <charconv>

namespace sb {

std::optional<AddressFilter::Network> AddressFilter::parse_address(std::string_view text) {
  Network n;
  std::string ip(text);
  if (inet_pton(AF_INET, ip.c_str(), n.bytes.data()) == 1) {
    n.prefix = 32;
    return n;
  }
  if (inet_pton(AF_INET6, ip.c_str(), n.bytes.data()) == 1) {
    n.v6 = true;
    n.prefix = 128;
    return n;
  }
  return std::nullopt;
}

Result<AddressFilter> AddressFilter::parse(const std::vector<std::string>& networks) {
  AddressFilter out;
  for (const std::string& entry : networks) {
    const size_t slash = entry.find('/');
    auto network = parse_address(std::string_view(entry).substr(0, slash));
    if (!network) return Error{"not an IP address or network: \"" + entry + "\"", entry};
    if (slash != std::string::npos) {
      int prefix = -1;
      const char* begin = entry.data() + slash + 1;
      const char* end = entry.data() + entry.size();
      auto [at, ec] = std::from_chars(begin, end, prefix);
      if (ec != std::errc() || at != end || prefix < 0 || prefix > network->prefix) {
        return Error{"bad prefix length in \"" + entry + "\"", entry};
      }
      network->prefix = prefix;
    }
    out.networks_.push_back(*network);
  }
  return out;
}

bool AddressFilter::allows(std::string_view ip) const {
  auto source = parse_address(ip);
  if (!source) return false;
  for (const Network& n : networks_) {
    if (n.v6 != source->v6) continue;
    int bits = n.prefix;
    bool match = true;
    for (size_t i = 0; bits > 0 && match; ++i, bits -= 8) {
      const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
      match = (n.bytes[i] & mask) == (source->bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

}  // namespace sb
