// sip/registrar/location_service.cc
#include "sip/registrar/location_service.h"

#include <algorithm>

namespace sb::sip::registrar {

std::vector<Binding> LocationService::lookup(std::string_view aor) const {
  std::vector<Binding> out = bindings(aor);
  std::stable_sort(out.begin(), out.end(), [](const Binding& a, const Binding& b) {
    if (a.q() != b.q()) {
      return a.q() > b.q();
    }
    return a.updated_at > b.updated_at;
  });
  return out;
}

std::vector<Binding> LocationService::bindings(std::string_view aor) const {
  std::vector<Binding> out;
  const auto it = by_aor_.find(aor);
  if (it == by_aor_.end()) {
    return out;
  }
  const TimePoint now = clock_.now();
  for (const Binding& b : it->second) {
    if (!b.is_expired(now)) {
      out.push_back(b);
    }
  }
  return out;
}

void LocationService::set_bindings(std::string_view aor, std::vector<Binding> bindings) {
  const auto it = by_aor_.find(aor);
  if (bindings.empty()) {
    if (it != by_aor_.end()) {
      by_aor_.erase(it);
    }
  } else if (it != by_aor_.end()) {
    it->second = std::move(bindings);
  } else {
    by_aor_.emplace(std::string(aor), std::move(bindings));
  }
  if (!observers_.empty()) tell(aor, this->bindings(aor));
}

size_t LocationService::purge() {
  const TimePoint now = clock_.now();
  size_t removed = 0;
  for (auto it = by_aor_.begin(); it != by_aor_.end();) {
    auto& list = it->second;
    const auto expired = std::remove_if(list.begin(), list.end(),
                                        [now](const Binding& b) { return b.is_expired(now); });
    removed += static_cast<size_t>(list.end() - expired);
    list.erase(expired, list.end());
    if (list.empty()) {
      const std::string aor = it->first;
      it = by_aor_.erase(it);
      tell(aor, {});
    } else {
      it = std::next(it);
    }
  }
  return removed;
}

size_t LocationService::binding_count() const {
  size_t n = 0;
  for (const auto& [aor, list] : by_aor_) {
    n += list.size();
  }
  return n;
}

}  // namespace sb::sip::registrar
