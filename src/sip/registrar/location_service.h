// sip/registrar/location_service.h: address-of-record → bindings, the registrar's store and the
// router's look-up (RFC 3261 §10.2, "location service"). In memory, one owner thread, time
// from the Clock: an expired binding is invisible at once and freed by purge().
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "sip/registrar/binding.h"

namespace sb::sip::registrar {

class LocationService {
 public:
  // Hears an AOR's unexpired bindings after every change: a REGISTER that added, refreshed or
  // removed some, and purge() finding the last ones expired (so up to one purge period late).
  using Observer = std::function<void(std::string_view aor, const std::vector<Binding>& bindings)>;

  explicit LocationService(const Clock& clock) : clock_(clock) {}
  void add_observer(Observer observer) { observers_.push_back(std::move(observer)); }

  // For routing: the unexpired bindings of `aor` (canonical, see aor.h), highest q first;
  // equal q, the most recently refreshed first (the phone most likely still there).
  std::vector<Binding> lookup(std::string_view aor) const;

  // The unexpired bindings of `aor` in registration order, for the registrar.
  std::vector<Binding> bindings(std::string_view aor) const;

  // Replaces every binding of `aor`; an empty list removes the AOR.
  void set_bindings(std::string_view aor, std::vector<Binding> bindings);

  // Frees expired bindings and AORs left empty; returns how many bindings went. Call it from
  // a periodic timer: correctness does not depend on it, memory does.
  size_t purge();

  size_t aor_count() const { return by_aor_.size(); }
  size_t binding_count() const;  // stored, expired-but-not-purged included

 private:
  // Heterogeneous look-up: find by string_view without building a std::string per request.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };

  const Clock& clock_;
  std::vector<Observer> observers_;
  void tell(std::string_view aor, const std::vector<Binding>& bindings) const {
    for (const Observer& o : observers_) o(aor, bindings);
  }
  std::unordered_map<std::string, std::vector<Binding>, KeyHash, std::equal_to<>> by_aor_;
};

}  // namespace sb::sip::registrar
