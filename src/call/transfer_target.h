// call/transfer_target.h: what an agent's phone asks for in a REFER's Refer-To (RFC 3515): the
// target's user part (a queue, an agent or a number) and, for an attended transfer, the
// consultation dialog it replaces (RFC 3891 Replaces, carried as a URI header, RFC 5589 §7).
// Pure: header text in, target out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sb::call {

// RFC 3891 §6.1: `callid;to-tag=..;from-tag=..[;early-only]`. The tags are as the receiver of
// the Replaces sees them: to-tag is its own (local) tag, from-tag the other side's.
struct Replaces {
  std::string call_id;
  std::string to_tag;
  std::string from_tag;
  bool early_only = false;
};

struct TransferTarget {
  std::string user;  // unescaped user part: "sales", "bob", "+15559876543"
  std::optional<Replaces> replaces;
};

// Parses a Replaces header value; fails naming what is missing.
Result<Replaces> parse_replaces(std::string_view value);

// Parses a Refer-To value. Accepts the addr-spec form without angle brackets even when its URI
// carries headers (phones send it so, though RFC 3261 §20 wants brackets then).
Result<TransferTarget> parse_transfer_target(std::string_view refer_to);

}  // namespace sb::call
