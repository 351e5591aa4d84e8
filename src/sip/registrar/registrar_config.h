// sip/registrar/registrar_config.h: what an operator sets for the registrar. A plain struct:
// loading it from YAML and validating ranges is the config loader's job.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "sip/auth/digest_algorithm.h"

namespace sb::sip::registrar {

struct RegistrarAccount {
  std::string user;  // also the AOR user part this account may register
  std::string password;
};

struct RegistrarConfig {
  std::string realm = "switchboard";  // digest realm of the challenges
  // Hosts of the AORs this registrar serves ("pbx.example.com", "192.0.2.5"), compared
  // case-insensitively. Empty: any host (a single-tenant box reached by IP).
  std::vector<std::string> domains;
  // Users that may register. Empty with require_auth off: anyone. Not empty: an AOR whose
  // user is not listed gets 404.
  std::vector<RegistrarAccount> accounts;
  // Off for benchmarks and closed lab networks: REGISTER is accepted without credentials.
  bool require_auth = true;

  std::chrono::seconds default_expires{3600};  // neither Contact expires nor Expires given
  std::chrono::seconds min_expires{60};        // shorter non-zero requests get 423
  std::chrono::seconds max_expires{7200};      // longer requests are cut to this
  size_t max_contacts_per_aor = 10;

  std::chrono::seconds nonce_lifetime{300};
  // Offered in this order (RFC 8760 §2.4: preferred first).
  std::vector<auth::DigestAlgorithm> algorithms = {auth::DigestAlgorithm::Sha256,
                                                   auth::DigestAlgorithm::Md5};
  // Signs nonces; nodes sharing it accept each other's. Empty: random at start.
  std::string nonce_secret;
  size_t max_tracked_nonces = 65536;
};

}  // namespace sb::sip::registrar
