// sip/parse/cseq.cc: CSeq values, RFC 3261 §20.16.
#include "sip/parse/cseq.h"

#include "sip/parse/params.h"
#include "sip/parse/split.h"

namespace sb::sip {
namespace {

Error fail(std::string message) { return Error{std::move(message), "CSeq"}; }

}  // namespace

sb::Result<CSeq> parse_cseq(std::string_view value) {
  const std::string_view v = trim_lws(value);
  size_t i = 0;
  uint64_t number = 0;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') {
    number = number * 10 + static_cast<uint64_t>(v[i] - '0');
    // RFC 3261 §8.1.1.5: the sequence number MUST be less than 2^31. Stopping here also keeps
    // the accumulator from overflowing on RFC 4475 §3.1.2.3's 36893488147419103232.
    if (number >= (uint64_t{1} << 31)) {
      return fail("CSeq number too large");
    }
    ++i;
  }
  if (i == 0) {
    return fail("bad CSeq number");
  }
  const size_t method_start = i;
  while (i < v.size() && is_lws_char(v[i])) {
    ++i;
  }
  if (i == v.size()) {
    return fail("missing CSeq method");
  }
  if (i == method_start) {
    return fail("bad CSeq number");
  }
  const std::string_view method = v.substr(i);
  if (!is_token(method)) {
    return fail("bad CSeq method");
  }
  return CSeq{static_cast<uint32_t>(number), method};
}

}  // namespace sb::sip
