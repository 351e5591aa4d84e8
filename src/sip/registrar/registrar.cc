// sip/registrar/registrar.cc: RFC 3261 §10.3 in its order: authenticate (step 3), find the
// AOR (5), authorize (4, once the AOR is known), read the contacts (6, 7), apply them all or
// none, answer with every current binding (8).
#include "sip/registrar/registrar.h"

#include <chrono>
#include <functional>

#include "sip/ascii.h"
#include "sip/auth/hash.h"
#include "sip/registrar/binding_update.h"
#include "sip/registrar/http_date.h"
#include "sip/registrar/q_value.h"
#include "sip/registrar/register_request.h"
#include "sip/registrar/reply.h"

namespace sb::sip::registrar {
namespace {

std::unique_ptr<auth::DigestAuthenticator> make_authenticator(const Clock& clock,
                                                              const RegistrarConfig& config) {
  if (!config.require_auth) {
    return nullptr;
  }
  auth::DigestServerConfig server;
  server.realm = config.realm;
  server.algorithms = config.algorithms;
  server.nonce_lifetime = config.nonce_lifetime;
  server.secret = config.nonce_secret;
  server.max_tracked_nonces = config.max_tracked_nonces;
  std::vector<auth::DigestAccount> accounts;
  for (const RegistrarAccount& a : config.accounts) {
    accounts.push_back(auth::DigestAccount{a.user, a.password, {}});
  }
  return std::make_unique<auth::DigestAuthenticator>(clock, std::move(server), std::move(accounts));
}

bool supports_path(const Message& request) {
  for (std::string_view tag : request.values(HeaderName::Supported)) {
    if (iequals(tag, "path")) {
      return true;
    }
  }
  return false;
}

// One Contact of the 200: the URI, the time left, and what the UA sent that it may look for
// (RFC 5626 §6 expects +sip.instance and reg-id back).
std::string contact_value(const Binding& b, TimePoint now) {
  const auto left = std::chrono::ceil<std::chrono::seconds>(b.expires_at - now).count();
  std::string out = "<" + b.contact + ">;expires=" + std::to_string(left);
  if (b.q_milli) {
    out += ";q=" + format_q(*b.q_milli);
  }
  if (!b.instance.empty()) {
    out += ";+sip.instance=" + b.instance;
  }
  if (!b.reg_id.empty()) {
    out += ";reg-id=" + b.reg_id;
  }
  return out;
}

}  // namespace

std::string_view outcome_name(RegisterOutcome outcome) {
  switch (outcome) {
    case RegisterOutcome::Registered:
      return "registered";
    case RegisterOutcome::Removed:
      return "removed";
    case RegisterOutcome::Queried:
      return "queried";
    case RegisterOutcome::Challenged:
      return "challenged";
    case RegisterOutcome::AuthFailed:
      return "auth-failed";
    case RegisterOutcome::Refused:
      return "refused";
  }
  return "refused";
}

Registrar::Registrar(const Clock& clock, RegistrarConfig config, LocationService& locations)
    : clock_(clock),
      config_(std::move(config)),
      locations_(locations),
      authenticator_(make_authenticator(clock_, config_)) {}

RegisterResult Registrar::handle(const Message& request, const Peer& source) {
  if (!request.is_request() || request.method() != Method::Register) {
    return refuse(request, 405, "Method Not Allowed", "not a REGISTER",
                  {{HeaderName::Allow, "REGISTER"}});
  }
  std::string user;
  if (authenticator_) {
    const auth::AuthOutcome outcome = authenticator_->verify(request, auth::ChallengeKind::Www);
    if (!outcome.ok()) {
      return challenge(request, outcome);
    }
    user = outcome.user;
  }

  auto read = read_aor(request, config_.domains);
  if (auto* refusal = std::get_if<Refusal>(&read)) {
    RegisterResult r = refuse(request, refusal->status, refusal->reason_phrase,
                              std::move(refusal->log_reason), refusal->headers);
    r.user = user;
    return r;
  }
  const Aor aor = std::get<Aor>(std::move(read));
  const auto refused = [&](int status, std::string_view phrase, std::string reason,
                           const HeaderList& headers = {}) {
    RegisterResult r = refuse(request, status, phrase, std::move(reason), headers);
    r.aor = aor.text;
    r.user = user;
    return r;
  };
  // §10.3 step 4: an authenticated user registers its own AOR only.
  if (authenticator_ && user != aor.user) {
    return refused(403, "Forbidden", "user " + user + " may not register " + aor.text);
  }
  if (!authenticator_ && !config_.accounts.empty() && !is_account(aor.user)) {
    return refused(404, "Not Found", "unknown user " + aor.user);
  }

  auto contacts = read_contacts(request, config_);
  if (auto* refusal = std::get_if<Refusal>(&contacts)) {
    return refused(refusal->status, refusal->reason_phrase, std::move(refusal->log_reason),
                   refusal->headers);
  }
  const ContactList& list = std::get<ContactList>(contacts);
  const TimePoint now = clock_.now();
  const bool path = supports_path(request);

  std::vector<Binding> bindings;
  RegisterOutcome outcome = RegisterOutcome::Queried;
  if (list.wildcard || !list.contacts.empty()) {
    RegisterFacts facts;
    facts.call_id = std::string(request.call_id());
    facts.cseq = request.cseq();
    // RFC 3327 §5.3: Path is for routing towards a UA that said it supports it.
    if (path) {
      for (std::string_view p : request.values(HeaderName::Path)) {
        facts.path.emplace_back(p);
      }
    }
    facts.received = source;
    facts.user_agent = std::string(request.first(HeaderName::UserAgent).value_or(""));
    auto updated = updated_bindings(locations_.bindings(aor.text), list, facts, now,
                                    config_.max_contacts_per_aor);
    if (auto* refusal = std::get_if<Refusal>(&updated)) {
      return refused(refusal->status, refusal->reason_phrase, std::move(refusal->log_reason),
                     refusal->headers);
    }
    bindings = std::get<std::vector<Binding>>(std::move(updated));
    locations_.set_bindings(aor.text, bindings);
    outcome = RegisterOutcome::Removed;
    for (const ContactUpdate& c : list.contacts) {
      if (c.expires.count() > 0) {
        outcome = RegisterOutcome::Registered;
      }
    }
  } else {
    bindings = locations_.bindings(aor.text);
  }

  // §10.3 step 8: every current binding, with its time left, and a Date.
  HeaderList headers;
  for (const Binding& b : bindings) {
    headers.emplace_back(HeaderName::Contact, contact_value(b, now));
  }
  headers.emplace_back(HeaderName::Date, http_date(now));
  if (path) {
    for (std::string_view p : request.values(HeaderName::Path)) {
      headers.emplace_back(HeaderName::Path, std::string(p));
    }
  }
  RegisterResult r;
  r.outcome = outcome;
  r.status = 200;
  r.response = build_reply(request, 200, "OK", next_to_tag(request.call_id()), headers);
  r.aor = aor.text;
  r.user = user;
  return r;
}

RegisterResult Registrar::refuse(const Message& request, int status, std::string_view phrase,
                                 std::string reason, const HeaderList& headers) {
  RegisterResult r;
  r.outcome = RegisterOutcome::Refused;
  r.status = status;
  r.response = build_reply(request, status, phrase, next_to_tag(request.call_id()), headers);
  r.reason = std::move(reason);
  return r;
}

RegisterResult Registrar::challenge(const Message& request, const auth::AuthOutcome& outcome) {
  HeaderList headers;
  // RFC 2617 §3.2.2 / RFC 7616 §3.3: credentials that do not pass get a fresh challenge (401,
  // not 403), so a phone whose nonce died, or whose user fixed a typo, can try again.
  const bool stale = outcome.status == auth::AuthStatus::Stale;
  for (std::string& value : authenticator_->challenges(stale)) {
    headers.emplace_back(auth::challenge_header(auth::ChallengeKind::Www), std::move(value));
  }
  RegisterResult r;
  r.outcome = outcome.status == auth::AuthStatus::Failed ? RegisterOutcome::AuthFailed
                                                         : RegisterOutcome::Challenged;
  r.status = 401;
  r.response = build_reply(request, 401, "Unauthorized", next_to_tag(request.call_id()), headers);
  r.user = outcome.user;
  r.reason = outcome.reason;
  return r;
}

std::string Registrar::next_to_tag(std::string_view call_id) {
  // Unique enough for a To tag (RFC 3261 §19.3 asks for 32 random bits; REGISTER creates no
  // dialog) and deterministic under test.
  const uint64_t mixed =
      std::hash<std::string_view>{}(call_id) ^ (++tags_issued_ * 0x9e3779b97f4a7c15ULL);
  std::string bytes(8, '\0');
  for (size_t i = 0; i < 8; ++i) {
    bytes[i] = static_cast<char>(mixed >> (8 * i));
  }
  return auth::to_hex(bytes);
}

bool Registrar::is_account(std::string_view user) const {
  for (const RegistrarAccount& a : config_.accounts) {
    if (a.user == user) {
      return true;
    }
  }
  return false;
}

}  // namespace sb::sip::registrar
