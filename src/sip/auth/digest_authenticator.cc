// sip/auth/digest_authenticator.cc: checking digest credentials. The order of the checks
// matters: the response is verified before the nonce is judged, because "stale" may only be
// said to a client that proved it knows the password (RFC 7616 §3.3), and before the
// nonce-count is recorded, so a forged request cannot burn a legitimate client's counts.
#include "sip/auth/digest_authenticator.h"

#include <algorithm>
#include <optional>

#include "sip/ascii.h"
#include "sip/auth/challenge.h"
#include "sip/auth/digest.h"
#include "sip/auth/hash.h"
#include "sip/parse/auth.h"
#include "sip/parse/uri.h"

namespace sb::sip::auth {
namespace {

DigestServerConfig with_usable_settings(DigestServerConfig config) {
  if (config.secret.empty()) {
    config.secret = random_bytes(32);
  }
  // Drop what this OpenSSL cannot compute and repeats: each would be a challenge no one can pass.
  std::vector<DigestAlgorithm> usable;
  for (DigestAlgorithm a : config.algorithms) {
    if (is_available(a) && std::find(usable.begin(), usable.end(), a) == usable.end()) {
      usable.push_back(a);
    }
  }
  config.algorithms = std::move(usable);
  return config;
}

AuthOutcome failed(std::string user, std::string reason) {
  return AuthOutcome{AuthStatus::Failed, std::move(user), std::move(reason)};
}

AuthOutcome stale(std::string user, std::string reason) {
  return AuthOutcome{AuthStatus::Stale, std::move(user), std::move(reason)};
}

// The digest-uri must name the request's own Request-URI (RFC 7616 §3.4.6), so credentials
// captured from one request cannot be replayed against another target. Clients rewrite
// neither, but an equivalent form (case of the host, parameter order) is accepted.
bool same_uri(std::string_view digest_uri, const Message& request) {
  if (digest_uri == request.request_uri()) {
    return true;
  }
  auto a = parse_uri(digest_uri);
  const sb::Result<Uri>& b = request.request_uri_parsed();
  return a && b && uri_equivalent(*a, *b);
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = ascii_lower(c);
  }
  return out;
}

}  // namespace

DigestAuthenticator::DigestAuthenticator(const Clock& clock, DigestServerConfig config,
                                         std::vector<DigestAccount> accounts)
    : clock_(clock),
      config_(with_usable_settings(std::move(config))),
      // Derived from the secret, so every node sharing the secret sends the same opaque.
      opaque_(to_hex(hmac_sha256(config_.secret, "opaque:" + config_.realm)).substr(0, 32)),
      nonces_(config_.secret, config_.realm, config_.nonce_lifetime),
      nonce_counts_(config_.max_tracked_nonces) {
  for (auto& account : accounts) {
    set_account(std::move(account));
  }
}

void DigestAuthenticator::set_account(DigestAccount account) {
  std::string user = account.user;
  accounts_.insert_or_assign(std::move(user), std::move(account));
}

bool DigestAuthenticator::remove_account(std::string_view user) {
  return accounts_.erase(std::string(user)) > 0;
}

bool DigestAuthenticator::has_account(std::string_view user) const {
  return accounts_.count(std::string(user)) > 0;
}

std::vector<std::string> DigestAuthenticator::challenges(bool stale_nonce) {
  DigestChallenge challenge;
  challenge.realm = config_.realm;
  challenge.nonce = nonces_.issue(clock_.now());
  challenge.opaque = opaque_;
  challenge.qop_auth = true;
  challenge.has_qop = true;
  challenge.stale = stale_nonce;
  std::vector<std::string> out;
  for (DigestAlgorithm a : config_.algorithms) {
    challenge.algorithm = a;
    out.push_back(format_challenge(challenge));
  }
  return out;
}

AuthOutcome DigestAuthenticator::verify(const Message& request, ChallengeKind kind) {
  std::optional<DigestCredentials> ours;
  std::string other_realm;
  std::string claimed_user;
  std::string malformed;
  // RFC 3261 §22.3: a request may carry credentials for several realms (proxies on the way);
  // only the ones for this realm are ours to check.
  for (std::string_view value : request.values(credentials_header(kind))) {
    auto header = parse_auth(value);
    if (header && !iequals(header->scheme, "Digest")) {
      continue;
    }
    auto credentials = parse_credentials(value);
    if (!credentials) {
      malformed = credentials.error().message;
      continue;
    }
    if (credentials->realm == config_.realm) {
      ours = std::move(*credentials);
      break;
    }
    other_realm = credentials->realm;
    claimed_user = credentials->username;
  }
  if (ours) {
    return check(*ours, request);
  }
  if (!other_realm.empty()) {
    return failed(claimed_user, "realm mismatch: \"" + other_realm + "\"");
  }
  if (!malformed.empty()) {
    return failed("", "malformed credentials: " + malformed);
  }
  return AuthOutcome{AuthStatus::Challenge, "", ""};
}

AuthOutcome DigestAuthenticator::check(const DigestCredentials& c, const Message& request) {
  const std::string& user = c.username;
  const std::string algorithm_text = c.algorithm.value_or("MD5");
  const auto algorithm = parse_algorithm(algorithm_text);
  if (!algorithm || !is_offered(*algorithm)) {
    return failed(user, "unsupported algorithm " + algorithm_text);
  }
  // Every challenge offers qop="auth"; RFC 7616 §3.4 makes qop mandatory, and without it there
  // is no nonce-count to stop replays.
  if (!c.qop) {
    return failed(user, "qop missing");
  }
  if (!iequals(*c.qop, "auth")) {
    return failed(user, "unsupported qop " + *c.qop);
  }
  const auto nc = parse_nonce_count(c.nc.value_or(""));
  if (!nc) {
    return failed(user, "bad nonce-count");
  }
  if (!c.cnonce || c.cnonce->empty()) {
    return failed(user, "cnonce missing");
  }
  if (!same_uri(c.uri, request)) {
    return failed(user, "uri mismatch: " + c.uri);
  }
  if (c.opaque && *c.opaque != opaque_) {
    return failed(user, "opaque mismatch");
  }
  const auto account = accounts_.find(user);
  if (account == accounts_.end()) {
    return failed(user, "unknown user");
  }
  const std::string ha1 = ha1_for(account->second, *algorithm);
  if (ha1.empty()) {
    return failed(user, "no secret for " + algorithm_text);
  }
  const std::string expected =
      digest_response(*algorithm, ha1, c.nonce, *c.nc, *c.cnonce, *c.qop,
                      digest_ha2(*algorithm, request.method_text(), c.uri));
  if (!constant_time_equals(lowercase(c.response), expected)) {
    return failed(user, "wrong response");
  }

  const TimePoint now = clock_.now();
  const NonceCheck nonce = nonces_.check(c.nonce, now);
  if (nonce.state == NonceState::Invalid) {
    // Right password, nonce not ours: typically signed before a restart with another secret.
    return stale(user, "unknown nonce");
  }
  if (nonce.state == NonceState::Expired) {
    return stale(user, "nonce expired");
  }
  switch (nonce_counts_.record(c.nonce, *nc, nonce.issued_at,
                               nonce.issued_at + config_.nonce_lifetime, now)) {
    case NonceCountVerdict::Replayed:
      return failed(user, "replayed nonce-count " + *c.nc);
    case NonceCountVerdict::Forgotten:
      return stale(user, "nonce no longer tracked");
    case NonceCountVerdict::Accepted:
      break;
  }
  return AuthOutcome{AuthStatus::Ok, user, ""};
}

std::string DigestAuthenticator::ha1_for(const DigestAccount& account,
                                         DigestAlgorithm algorithm) const {
  if (auto it = account.ha1.find(algorithm); it != account.ha1.end()) {
    return lowercase(it->second);
  }
  if (account.password.empty()) {
    return {};
  }
  return digest_ha1(algorithm, account.user, config_.realm, account.password);
}

bool DigestAuthenticator::is_offered(DigestAlgorithm algorithm) const {
  return std::find(config_.algorithms.begin(), config_.algorithms.end(), algorithm) !=
         config_.algorithms.end();
}

}  // namespace sb::sip::auth
