// sip/method.h: SIP request methods (RFC 3261 and the extensions a call center meets).
// Unknown methods parse fine (they are extension-method tokens); the UAS core answers 501.
#pragma once

#include <cstdint>
#include <string_view>

namespace sb::sip {

enum class Method : uint8_t {
  Invite, Ack, Bye, Cancel, Register, Options, Info, Update, Prack, Subscribe, Notify, Refer,
  Message, Publish, Unknown,
};

std::string_view method_name(Method m);        // "INVITE"; "" for Unknown
Method parse_method(std::string_view token);   // case-sensitive, as RFC 3261 §7.1 says

}  // namespace sb::sip
