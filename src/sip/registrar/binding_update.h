// sip/registrar/binding_update.h: applying a REGISTER's contacts to an AOR's bindings (RFC 3261
// §10.3 steps 6-7) as a pure function: the current list in, the new list or a refusal out.
// All or nothing: a refusal leaves the stored bindings as they were.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "sip/registrar/binding.h"
#include "sip/registrar/refusal.h"
#include "sip/registrar/register_request.h"
#include "sip/transport/peer.h"

namespace sb::sip::registrar {

// What every binding written by one REGISTER shares.
struct RegisterFacts {
  std::string call_id;
  uint32_t cseq = 0;
  std::vector<std::string> path;  // stored only when the UA supports path
  Peer received;
  std::string user_agent;
};

// The bindings after the request. Expired bindings are dropped. A contact matching a binding
// with the same Call-ID and a CSeq not higher than the stored one aborts the whole request
// with 500 (§10.3 step 7: "the update MUST be aborted and the request fails"; the RFC names no
// code, and the 500 tells an out-of-order REGISTER apart from a malformed one). Over
// `max_contacts`, the least recently refreshed bindings this request did not touch are
// dropped, so a phone whose address changed is never locked out by its own stale bindings;
// 403 only when the request alone holds more.
std::variant<std::vector<Binding>, Refusal> updated_bindings(std::vector<Binding> current,
                                                             const ContactList& request,
                                                             const RegisterFacts& facts,
                                                             TimePoint now, size_t max_contacts);

}  // namespace sb::sip::registrar
