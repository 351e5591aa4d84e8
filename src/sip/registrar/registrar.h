// sip/registrar/registrar.h: the REGISTER handler of RFC 3261 §10.3, with digest
// authentication (RFC 3261 §22) and Path (RFC 3327). Pure: a request and its source in, the
// response and what happened out; time from the Clock, state in the LocationService. One
// owner thread (the control loop).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "sip/auth/digest_authenticator.h"
#include "sip/message.h"
#include "sip/registrar/location_service.h"
#include "sip/registrar/registrar_config.h"
#include "sip/registrar/reply.h"
#include "sip/transport/peer.h"

namespace sb::sip::registrar {

enum class RegisterOutcome : uint8_t {
  Registered,  // at least one binding added or refreshed
  Removed,     // bindings removed only (expires=0 or Contact: *)
  Queried,     // no Contact: the current bindings were listed
  Challenged,  // 401 sent: no credentials yet, or right ones with a stale nonce
  AuthFailed,  // 401 sent after wrong credentials: count these per source
  Refused,     // 400, 403, 404, 423, 500...: `reason` says why
};

std::string_view outcome_name(RegisterOutcome outcome);  // "registered", "auth-failed", ...

struct RegisterResult {
  RegisterOutcome outcome = RegisterOutcome::Refused;
  int status = 500;
  std::optional<Message> response;  // nullopt only if it did not build (a bug; send nothing)
  std::string aor;                  // canonical AOR, once known
  std::string user;                 // authenticated user; for AuthFailed the claimed one
  std::string reason;               // for the log: why refused or failed
};

class Registrar {
 public:
  // `locations` must outlive the registrar; the router reads it too.
  Registrar(const Clock& clock, RegistrarConfig config, LocationService& locations);

  // Handles one REGISTER (a retransmission never gets here: the transaction layer absorbs
  // it). `source`: where it came from, stored so the phone can be reached behind NAT.
  RegisterResult handle(const Message& request, const Peer& source);

  const RegistrarConfig& config() const { return config_; }
  // The authenticator built from the config's realm and accounts; nullptr with require_auth off.
  auth::DigestAuthenticator* authenticator() { return authenticator_.get(); }

 private:
  RegisterResult refuse(const Message& request, int status, std::string_view phrase,
                        std::string reason, const HeaderList& headers = {});
  RegisterResult challenge(const Message& request, const auth::AuthOutcome& outcome);
  std::string next_to_tag(std::string_view call_id);
  bool is_account(std::string_view user) const;

  const Clock& clock_;
  RegistrarConfig config_;
  LocationService& locations_;
  std::unique_ptr<auth::DigestAuthenticator> authenticator_;
  uint64_t tags_issued_ = 0;
};

}  // namespace sb::sip::registrar
