// sip/registrar/binding_update.cc
#include "sip/registrar/binding_update.h"

#include <algorithm>

namespace sb::sip::registrar {
namespace {

// §10.3 steps 6 and 7: within one Call-ID, a REGISTER must be newer than what it changes.
bool is_out_of_order(const Binding& stored, const RegisterFacts& facts) {
  return stored.call_id == facts.call_id && facts.cseq <= stored.cseq;
}

Refusal out_of_order(const Binding& stored, const RegisterFacts& facts) {
  return Refusal{500,
                 "Server Internal Error",
                 "out-of-order REGISTER: CSeq " + std::to_string(facts.cseq) + " not above " +
                     std::to_string(stored.cseq) + " for " + stored.contact,
                 {}};
}

}  // namespace

std::variant<std::vector<Binding>, Refusal> updated_bindings(std::vector<Binding> current,
                                                             const ContactList& request,
                                                             const RegisterFacts& facts,
                                                             TimePoint now, size_t max_contacts) {
  current.erase(std::remove_if(current.begin(), current.end(),
                               [now](const Binding& b) { return b.is_expired(now); }),
                current.end());
  if (request.wildcard) {
    for (const Binding& b : current) {
      if (is_out_of_order(b, facts)) {
        return out_of_order(b, facts);
      }
    }
    return std::vector<Binding>{};
  }

  std::vector<bool> touched(current.size(), false);
  for (const ContactUpdate& update : request.contacts) {
    const auto it = std::find_if(current.begin(), current.end(), [&](const Binding& b) {
      return same_contact(b.contact, update.uri);
    });
    if (it != current.end() && is_out_of_order(*it, facts)) {
      return out_of_order(*it, facts);
    }
    if (update.expires.count() == 0) {
      if (it != current.end()) {
        touched.erase(touched.begin() + (it - current.begin()));
        current.erase(it);
      }
      continue;
    }
    Binding* b = nullptr;
    if (it != current.end()) {
      b = &*it;
      touched[static_cast<size_t>(it - current.begin())] = true;
    } else {
      b = &current.emplace_back();
      touched.push_back(true);
    }
    b->contact = update.uri;
    b->q_milli = update.q_milli;
    b->expires_at = now + update.expires;
    b->updated_at = now;
    b->call_id = facts.call_id;
    b->cseq = facts.cseq;
    b->path = facts.path;
    b->received = facts.received;
    b->instance = update.instance;
    b->reg_id = update.reg_id;
    b->user_agent = facts.user_agent;
  }

  const auto touched_count = static_cast<size_t>(std::count(touched.begin(), touched.end(), true));
  if (touched_count > max_contacts) {
    return Refusal{403,
                   "Too Many Contacts",
                   std::to_string(touched_count) + " contacts, at most " +
                       std::to_string(max_contacts) + " per address-of-record",
                   {}};
  }
  while (current.size() > max_contacts) {
    size_t oldest = current.size();
    for (size_t i = 0; i < current.size(); ++i) {
      if (!touched[i] &&
          (oldest == current.size() || current[i].updated_at < current[oldest].updated_at)) {
        oldest = i;
      }
    }
    current.erase(current.begin() + static_cast<std::ptrdiff_t>(oldest));
    touched.erase(touched.begin() + static_cast<std::ptrdiff_t>(oldest));
  }
  return current;
}

}  // namespace sb::sip::registrar
