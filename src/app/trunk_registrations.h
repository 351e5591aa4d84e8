// app/trunk_registrations.h: the outbound registrations of the `sip.trunks` section, one
// RegistrationClient per trunk, logged as they change. Resolving the registrar's host name
// happens once here at start-up, before the event loop serves anything.
#pragma once

#include <memory>
#include <vector>

#include "app/config/sip_settings.h"
#include "common/result.h"
#include "sip/client/registration_client.h"
#include "sip/stack/sip_stack.h"

namespace sb::app {

class TrunkRegistrations {
 public:
  // Fails naming the trunk when its registrar cannot be resolved or the config cannot work.
  static Result<std::unique_ptr<TrunkRegistrations>> create(sip::SipStack& stack,
                                                            const std::vector<SipTrunkSettings>& trunks);
  void start();
  // Unregisters every trunk (Expires: 0); `done` runs once all have answered or gave up.
  void unregister_all();
  bool all_idle() const;

 private:
  std::vector<std::unique_ptr<sip::client::RegistrationClient>> clients_;
};

}  // namespace sb::app
