// sip/auth/digest_authenticator.h: the server side of SIP digest authentication (RFC 3261 §22,
// RFC 7616, RFC 8760): challenges to send and the check of the credentials a request carries.
// Pure: no I/O, time from the Clock; one owner thread (verify() records nonce-counts).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "sip/auth/auth_outcome.h"
#include "sip/auth/challenge_kind.h"
#include "sip/auth/credentials.h"
#include "sip/auth/digest_account.h"
#include "sip/auth/digest_algorithm.h"
#include "sip/auth/nonce.h"
#include "sip/auth/nonce_count_table.h"
#include "sip/message.h"

namespace sb::sip::auth {

struct DigestServerConfig {
  std::string realm;
  // Offered in this order, one challenge each: RFC 8760 §2.4 puts the preferred one first, and
  // MD5 stays for the phones that know nothing else.
  std::vector<DigestAlgorithm> algorithms = {DigestAlgorithm::Sha256, DigestAlgorithm::Md5};
  Duration nonce_lifetime = std::chrono::minutes(5);
  // HMAC key of the nonces. Nodes that share it accept each other's nonces. Empty: 32 random
  // bytes, and nonces from before a restart come back stale (the phone retries silently).
  std::string secret;
  size_t max_tracked_nonces = 65536;  // bound of the nonce-count replay table
};

class DigestAuthenticator {
 public:
  DigestAuthenticator(const Clock& clock, DigestServerConfig config,
                      std::vector<DigestAccount> accounts = {});

  void set_account(DigestAccount account);  // adds or replaces
  bool remove_account(std::string_view user);
  bool has_account(std::string_view user) const;

  // Checks the Authorization (Www) or Proxy-Authorization (Proxy) credentials of `request`
  // meant for this realm: user known, uri equal to the Request-URI, algorithm offered, qop
  // auth, opaque ours, response right (compared in constant time), nonce genuine and fresh,
  // nonce-count higher than any before for that nonce.
  AuthOutcome verify(const Message& request, ChallengeKind kind = ChallengeKind::Www);

  // WWW-Authenticate / Proxy-Authenticate values, one per algorithm, sharing one fresh nonce.
  // `stale`: the previous credentials were right but their nonce was not (RFC 7616 §3.3).
  std::vector<std::string> challenges(bool stale = false);

  const std::string& realm() const { return config_.realm; }
  const std::vector<DigestAlgorithm>& algorithms() const { return config_.algorithms; }
  size_t tracked_nonces() const { return nonce_counts_.size(); }

 private:
  AuthOutcome check(const DigestCredentials& credentials, const Message& request);
  std::string ha1_for(const DigestAccount& account, DigestAlgorithm algorithm) const;
  bool is_offered(DigestAlgorithm algorithm) const;

  const Clock& clock_;
  DigestServerConfig config_;
  std::string opaque_;
  NonceIssuer nonces_;
  NonceCountTable nonce_counts_;
  std::unordered_map<std::string, DigestAccount> accounts_;
};

}  // namespace sb::sip::auth
