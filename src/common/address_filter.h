// common/address_filter.h: which source addresses a carrier's calls may come from: a list of
// networks in CIDR notation ("203.0.113.0/24", "2001:db8::/32", a bare address for one
// host). Pure: parsed once from the config, asked with the numeric source of each INVITE.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace sb {

class AddressFilter {
 public:
  // Fails naming the entry that is not an address or network.
  static Result<AddressFilter> parse(const std::vector<std::string>& networks);

  bool empty() const { return networks_.empty(); }
  // True when `ip` ("192.0.2.7", "::1") is in one of the networks.
  bool allows(std::string_view ip) const;

 private:
  struct Network {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};
    int prefix = 0;
  };
  static std::optional<Network> parse_address(std::string_view text);
  std::vector<Network> networks_;
};

}  // namespace sb
