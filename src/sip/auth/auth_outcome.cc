// sip/auth/auth_outcome.cc
#include "sip/auth/auth_outcome.h"

namespace sb::sip::auth {

std::string_view auth_status_name(AuthStatus status) {
  switch (status) {
    case AuthStatus::Ok:
      return "ok";
    case AuthStatus::Challenge:
      return "challenge";
    case AuthStatus::Stale:
      return "stale";
    case AuthStatus::Failed:
      return "failed";
  }
  return "failed";
}

}  // namespace sb::sip::auth
