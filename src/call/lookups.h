// call/lookups.h: the IVR's data lookups (a CRM asked over HTTP) as call/ sees them. The
// server uses HttpLookups (http_lookup.h); the call tests answer with a fake.
#pragma once

#include <functional>
#include <string>

#include "common/clock.h"
#include "ivr/flow_run.h"

namespace sb::call {

class Lookups {
 public:
  virtual ~Lookups() = default;
  using Done = std::function<void(const ivr::LookupResult&)>;
  // Runs `done` exactly once on the loop thread: with the status and body, or ok=false after
  // `timeout`, a refused connection or a bad URL.
  virtual void start(const std::string& method, const std::string& url, const std::string& body, Duration timeout,
                     Done done) = 0;
  // Abandons every lookup in flight: their `done` never runs (the calls may be gone).
  virtual void cancel_all() = 0;
};

}  // namespace sb::call
