// sip/registrar/register_request.h: reading what a REGISTER asks for (RFC 3261 §10.3 steps
// 5-7): the address-of-record, and the contacts with their expiration times after the
// registrar's defaults and limits. Nothing is changed here; binding_update.h applies it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sip/message.h"
#include "sip/registrar/aor.h"
#include "sip/registrar/refusal.h"
#include "sip/registrar/registrar_config.h"

namespace sb::sip::registrar {

// The AOR of the To header: 400 when To does not parse, 404 when it is not a sip/sips URI
// with a user or its host is not one of `domains` (any host when `domains` is empty).
std::variant<Aor, Refusal> read_aor(const Message& request,
                                    const std::vector<std::string>& domains);

inline constexpr size_t kMaxContactsPerRequest = 64;

struct ContactUpdate {
  std::string uri;                  // Contact URI text, without < >
  std::optional<uint16_t> q_milli;  // q parameter
  std::chrono::seconds expires{0};  // granted: defaults and max applied; 0 removes
  std::string instance;             // +sip.instance, raw
  std::string reg_id;               // reg-id, raw
};

struct ContactList {
  bool wildcard = false;  // Contact: * with Expires: 0, remove every binding
  // Equivalent URIs appear once (the last one of the request wins). Empty and no wildcard:
  // a query for the current bindings (§10.2.3).
  std::vector<ContactUpdate> contacts;
};

// 400 for an unparsable Contact, q or expires value, or for `*` next to other contacts or with
// an Expires other than 0 (§10.3 step 6); 403 for more than kMaxContactsPerRequest contacts
// (each is compared with every other); 423 with Min-Expires when a non-zero expiration is
// below min_expires (§10.3 step 7).
std::variant<ContactList, Refusal> read_contacts(const Message& request,
                                                 const RegistrarConfig& config);

}  // namespace sb::sip::registrar
