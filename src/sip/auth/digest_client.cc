// sip/auth/digest_client.cc: choosing a challenge and computing the credentials for it.
#include "sip/auth/digest_client.h"

#include "sip/auth/credentials.h"
#include "sip/auth/digest.h"
#include "sip/auth/hash.h"

namespace sb::sip::auth {
namespace {

bool is_usable(const DigestChallenge& c) {
  return c.algorithm && is_available(*c.algorithm) && (c.qop_auth || !c.has_qop);
}

std::optional<ChallengeKind> kind_of(const Message& response) {
  if (response.is_request()) {
    return std::nullopt;
  }
  if (response.status() == challenge_status(ChallengeKind::Www)) {
    return ChallengeKind::Www;
  }
  if (response.status() == challenge_status(ChallengeKind::Proxy)) {
    return ChallengeKind::Proxy;
  }
  return std::nullopt;
}

}  // namespace

std::optional<DigestChallenge> choose_challenge(const Message& response) {
  const auto kind = kind_of(response);
  if (!kind) {
    return std::nullopt;
  }
  std::optional<DigestChallenge> best;
  for (std::string_view value : response.values(challenge_header(*kind))) {
    auto challenge = parse_challenge(value);
    if (!challenge || !is_usable(*challenge)) {
      continue;
    }
    if (best && challenge->realm != best->realm) {
      continue;
    }
    if (!best || algorithm_strength(*challenge->algorithm) > algorithm_strength(*best->algorithm)) {
      best = std::move(*challenge);
    }
  }
  return best;
}

std::string authorization_value(const DigestChallenge& challenge,
                                const ClientCredentials& credentials, std::string_view method,
                                std::string_view uri, std::string_view cnonce, uint32_t nc) {
  const DigestAlgorithm algorithm = challenge.algorithm.value_or(DigestAlgorithm::Md5);
  const std::string ha1 =
      digest_ha1(algorithm, credentials.user, challenge.realm, credentials.password);
  const std::string ha2 = digest_ha2(algorithm, method, uri);
  DigestCredentials out;
  out.username = credentials.user;
  out.realm = challenge.realm;
  out.nonce = challenge.nonce;
  out.uri = std::string(uri);
  out.algorithm = std::string(algorithm_name(algorithm));
  out.opaque = challenge.opaque;
  if (challenge.qop_auth) {
    out.qop = "auth";
    out.nc = format_nonce_count(nc);
    out.cnonce = std::string(cnonce);
    out.response = digest_response(algorithm, ha1, challenge.nonce, *out.nc, cnonce, "auth", ha2);
  } else {
    out.response = digest_response_without_qop(algorithm, ha1, challenge.nonce, ha2);
  }
  return format_credentials(out);
}

DigestClient::DigestClient(ClientCredentials credentials, CnonceSource cnonce)
    : credentials_(std::move(credentials)), cnonce_(std::move(cnonce)) {
  if (!cnonce_) {
    cnonce_ = [] { return to_hex(random_bytes(16)); };
  }
}

sb::Result<DigestChallenge> DigestClient::on_challenge(const Message& response) {
  const auto kind = kind_of(response);
  if (!kind) {
    return Error{"not a 401 or 407 response", "challenge"};
  }
  auto chosen = choose_challenge(response);
  if (!chosen) {
    return Error{"no usable digest challenge", "challenge"};
  }
  if (!challenge_ || challenge_->nonce != chosen->nonce || challenge_->realm != chosen->realm) {
    nc_ = 0;
  }
  kind_ = *kind;
  challenge_ = *chosen;
  return *chosen;
}

std::optional<AuthorizationValue> DigestClient::authorize(std::string_view method,
                                                          std::string_view uri) {
  if (!challenge_) {
    return std::nullopt;
  }
  ++nc_;
  return AuthorizationValue{
      credentials_header(kind_),
      authorization_value(*challenge_, credentials_, method, uri, cnonce_(), nc_)};
}

}  // namespace sb::sip::auth
