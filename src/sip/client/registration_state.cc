// sip/client/registration_state.cc
#include "sip/client/registration_state.h"

#include <chrono>

namespace sb::sip::client {
namespace {

std::string in_seconds(TimePoint at, TimePoint now) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(at - now).count()) + "s";
}

}  // namespace

std::string_view registration_status_name(RegistrationStatus status) {
  switch (status) {
    case RegistrationStatus::Idle:
      return "idle";
    case RegistrationStatus::Registering:
      return "registering";
    case RegistrationStatus::Registered:
      return "registered";
    case RegistrationStatus::Failed:
      return "failed";
    case RegistrationStatus::Unregistering:
      return "unregistering";
    case RegistrationStatus::Unregistered:
      return "unregistered";
  }
  return "unknown";
}

std::string describe(const RegistrationState& state, TimePoint now) {
  std::string out(registration_status_name(state.status));
  switch (state.status) {
    case RegistrationStatus::Registered:
      if (state.expires_at) {
        out += " until +" + in_seconds(*state.expires_at, now);
      }
      break;
    case RegistrationStatus::Failed:
      out += " " + std::to_string(state.code);
      if (!state.reason.empty()) {
        out += " " + state.reason;
      }
      out += state.retry_at ? ", retry in " + in_seconds(*state.retry_at, now) : ", no retry";
      break;
    default:
      break;
  }
  return out;
}

}  // namespace sb::sip::client
