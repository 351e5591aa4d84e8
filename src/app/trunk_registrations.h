// app/trunk_registrations.h: the `sip.trunks` section at run time: one RegistrationClient per
// trunk that registers, logged as it changes, and each trunk's address for calls out. Resolving the registrar's host name
// happens once here at start-up, before the event loop serves anything.
#pragma once

#include <memory>
#include <vector>

#include "app/config/sip_settings.h"
#include "call/call_center_config.h"
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
  // Every trunk as a way out for calls (registered or not), in config order.
  const std::vector<call::OutboundTrunk>& outbound() const { return outbound_; }

 private:
  std::vector<std::unique_ptr<sip::client::RegistrationClient>> clients_;
  std::vector<call::OutboundTrunk> outbound_;
};

}  // namespace sb::app
