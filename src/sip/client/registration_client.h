// sip/client/registration_client.h: outbound registration of one SIP trunk (RFC 3261 §10.2):
// REGISTER through the Uac (which answers the digest challenge), refresh before expiry, 423
// and failure handling, and removal at shutdown. Pure: no I/O, time from the Clock, timers on
// the TimerQueue. Not DNS (the destination comes resolved), not RFC 5626 outbound flows.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "common/timer_queue.h"
#include "sip/client/registration_config.h"
#include "sip/client/registration_state.h"
#include "sip/client/registration_timing.h"
#include "sip/client/uac.h"
#include "sip/message.h"

namespace sb::sip::client {

// Single-threaded, on the Uac's thread. The Uac, clock and timer queue must outlive it;
// destroying it cancels its timer and abandons a REGISTER in flight (no unregistration: call
// unregister() and wait for Unregistered first).
//
// Every REGISTER shares one Call-ID and From tag and raises the CSeq (RFC 3261 §10.2.4), the
// authorized re-sends of the Uac included; a new REGISTER never goes out before the previous
// one has its final response (§10.2). What happens:
//   200  -> Registered(expires_at); refresh after refresh_delay(granted), where granted is the
//           expires of our Contact in the 200, else its Expires header, else what we asked.
//   423  -> asks again at once with the Min-Expires when it is above what we asked (§10.2.8),
//           else as a failure.
//   else -> (401/407 the Uac gave up on, 408 timeout, 503 transport, any 3xx-6xx) Failed(code,
//           reason, retry_at); the next attempt after RetryBackoff, at least Retry-After.
class RegistrationClient {
 public:
  // Called on every change: Registering when an attempt starts from Idle, Failed or
  // Unregistered (not on refreshes, not on the 423 retry), Registered after every 200 (new
  // expires_at), Failed after every failed attempt, then Unregistering and Unregistered (or
  // Failed without retry_at) for unregister().
  using StateCallback = std::function<void(const RegistrationState& state)>;

  RegistrationClient(Uac& uac, const Clock& clock, TimerQueue& timers, RegistrationConfig config,
                     StateCallback on_state = {});
  ~RegistrationClient();
  RegistrationClient(const RegistrationClient&) = delete;
  RegistrationClient& operator=(const RegistrationClient&) = delete;

  // Sends the first REGISTER now. Fails, sending nothing, for an invalid config (validate()),
  // or while unregister() still waits for its answer. Once running: a no-op returning the status.
  Result<RegistrationStatus> start();

  // For shutdown: stops refreshing and retrying and removes the binding with a REGISTER of
  // Expires: 0 (after the final response of one in flight). Nothing is sent when no binding
  // is known to exist (Unregistered at once). Ends in Unregistered on a 2xx, in Failed without
  // retry_at otherwise; start() registers again afterwards.
  void unregister();

  const RegistrationState& state() const { return state_; }
  const std::string& call_id() const { return call_id_; }
  // What the next REGISTER asks for: the configured expires, or a 423's Min-Expires.
  std::chrono::seconds requested_expires() const { return requested_; }

 private:
  void send_register(bool removal);
  void on_final(uint64_t attempt, const Message& response);
  void on_success(const Message& ok);
  void on_failure(int code, std::string reason, std::optional<std::chrono::seconds> retry_after);
  void finish_removal(const Message& response);
  bool binding_alive() const;
  void arm(TimePoint at, void (RegistrationClient::*action)());
  void refresh();
  void set_state(RegistrationState state);

  Uac& uac_;
  const Clock& clock_;
  TimerQueue& timers_;
  RegistrationConfig config_;
  StateCallback on_state_;
  std::string call_id_;
  std::string from_tag_;
  uint32_t next_cseq_ = 1;
  std::chrono::seconds requested_;
  RetryBackoff backoff_;
  RegistrationState state_;
  bool running_ = false;   // started, and unregister() not called since
  bool stopping_ = false;  // unregister() called
  UacRequestId in_flight_;
  bool in_flight_removal_ = false;
  uint64_t attempt_ = 0;
  TimerId timer_ = 0;
  std::optional<TimePoint> binding_until_;  // the binding of the last 200, if any
};

}  // namespace sb::sip::client
