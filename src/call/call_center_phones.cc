// call/call_center_phones.cc: calls from the center's own phones. They prove who they are
// with the registrar's digest accounts (407, RFC 3261 §22.3), then a star code logs an agent
// in or out, changes its state, or puts a supervisor on an agent's call. The phone hears a
// short confirmation and the call ends.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "call/call_center.h"
#include "sip/error_status.h"
#include "call/feature_codes.h"
#include "media/engine/player_source.h"
#include "media/tone/tone_presets.h"
#include "sip/auth/challenge_kind.h"
#include "sip/parse/name_addr.h"
#include "sip/parse/uri.h"
#include "sip/registrar/aor.h"

namespace sb::call {

namespace {

// The AOR a phone registered under, from the From of its INVITE ("sip:1001@switchboard.demo").
std::optional<std::string> aor_of_from(const sip::Message& invite) {
  auto from = invite.first(sip::HeaderName::From);
  if (!from) return std::nullopt;
  auto addr = sip::parse_name_addr(*from);
  if (!addr) return std::nullopt;
  auto aor = sip::registrar::aor_from_uri(addr->uri);
  if (!aor) return std::nullopt;
  return aor->text;
}

}  // namespace

std::optional<acd::AgentId> CallCenter::agent_named(std::string_view name) const {
  for (size_t i = 0; i < routing_.agents.size(); ++i) {
    if (routing_.agents[i].name == name) return acd::AgentId(static_cast<uint32_t>(i));
  }
  return std::nullopt;
}

acd::QueueId CallCenter::home_queue_of(acd::AgentId agent) const {
  const auto& theirs = router_.queues_of(agent);
  return theirs.empty() ? acd::QueueId(0) : theirs.front();
}

void CallCenter::park_without_phone(acd::AgentId agent, const std::string& why) {
  const std::string& name = routing_.agents[acd::index_of(agent)].name;
  if (routing_.without_phone.log_out) {
    spdlog::warn("agent {}: logged out: {}", name, why);
    apply(router_.on_agent_logout(agent));
    phones_.unseat(agent);
    return;
  }
  spdlog::warn("agent {}: not ready until the phone can ring: {}", name, why);
  phones_.park(agent);
  apply(router_.on_agent_not_ready(agent, routing_.without_phone.reason));
}

// The registrar changed the bindings of `aor`: an agent on that phone loses or regains the
// means to be offered calls (a call in progress goes on; not ready applies after it).
void CallCenter::on_phone_bindings(std::string_view aor, bool can_ring) {
  if (shutting_down_) return;
  auto agent = phones_.agent_on(aor);
  if (!agent) return;
  if (!can_ring) {
    if (!phones_.parked(*agent)) park_without_phone(*agent, "its phone unregistered or expired");
    return;
  }
  if (!phones_.parked(*agent)) return;
  // Back to ready only if nobody changed the state since (the agent chose not ready, say). In
  // wrap-up the not ready is still pending: on_agent_state readies the agent when it lands.
  const acd::AgentState state = router_.agent_state(*agent);
  if (state == acd::AgentState::WrapUp) return;
  phones_.unpark(*agent);
  const bool still_parked = state == acd::AgentState::NotReady && router_.agent_reason(*agent) == routing_.without_phone.reason;
  if (still_parked || state == acd::AgentState::Busy) {  // busy: cancels the pending not ready
    spdlog::info("agent {}: the phone can ring again", routing_.agents[acd::index_of(*agent)].name);
    apply(router_.on_agent_ready(*agent));
  }
}

// After a wrap-up that ended in the pending not ready of a phone that has since come back.
void CallCenter::ready_if_phone_returned(acd::AgentId agent) {
  const std::string* phone = phones_.phone_of(agent);
  if (!phones_.parked(agent) || phone == nullptr || !phones_.can_ring(*phone)) return;
  phones_.unpark(agent);
  ports_.loop.post([this, agent] {
    if (router_.agent_state(agent) == acd::AgentState::NotReady &&
        router_.agent_reason(agent) == routing_.without_phone.reason) {
      apply(router_.on_agent_ready(agent));
    }
  });
}

void CallCenter::tell_login(acd::AgentId agent, acd::AgentState state, acd::ReasonCode reason) {
  if (!login_sink_) return;
  const std::string& reason_name = routing_.reason_codes[acd::index_of(reason)];
  if (auto news = phones_.login_news(agent, state, reason_name)) {
    login_sink_(routing_.agents[acd::index_of(agent)].name, news->login);
  }
}

bool CallCenter::restore_login(const std::string& name, const AgentLogin& login) {
  const auto agent = agent_named(name);
  if (!agent || login.phone.empty()) return false;
  if (auto other = phones_.agent_on(login.phone); other && *other != *agent) return false;  // the phone went to another
  phones_.seat(*agent, login.phone);
  const bool can_ring = phones_.can_ring(login.phone);
  std::optional<acd::ReasonCode> reason;
  if (!login.ready) reason = routing_.find_reason(login.reason);
  spdlog::info("agent {}: login restored on {} ({}{})", name, login.phone, login.ready ? "ready" : "not ready",
               login.ready ? "" : ", " + login.reason);
  apply(router_.on_agent_login(*agent, login.ready && can_ring));
  if (!login.ready) {
    apply(router_.on_agent_not_ready(*agent, reason.value_or(acd::ReasonCode{})));
  } else if (!can_ring) {
    park_without_phone(*agent, "its phone's registration did not survive the restart");
  }
  return true;
}

bool CallCenter::authenticate(sip::ServerTransactionId tx, const sip::Message& invite, std::string& user) {
  sip::auth::AuthOutcome outcome = phone_auth_.verify(invite, sip::auth::ChallengeKind::Proxy);
  if (outcome.ok()) {
    user = outcome.user;
    return true;
  }
  if (outcome.status == sip::auth::AuthStatus::Failed) {
    spdlog::warn("call: INVITE from {} refused: {}", outcome.user, outcome.reason);
    ports_.sip.reply(tx, 403, "Forbidden");
    return false;
  }
  sip::ResponseParts parts;
  for (std::string& value : phone_auth_.challenges(outcome.status == sip::auth::AuthStatus::Stale)) {
    parts.headers.emplace_back("Proxy-Authenticate", std::move(value));
  }
  ports_.sip.reply(tx, 407, "Proxy Authentication Required", std::move(parts));
  return false;
}

void CallCenter::on_phone_invite(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source) {
  std::string user;
  if (!authenticate(tx, invite, user)) return;
  auto uri = sip::parse_uri(invite.request_uri());
  auto code = uri ? parse_feature_code(uri->user) : std::nullopt;
  if (!code) {
    const std::string dialled = uri ? sip::percent_decode(uri->user) : std::string();
    // A colleague or a queue by name (a consultation), else a number through the trunk.
    if (auto queue = queue_named(dialled)) return consult_from_phone(tx, invite, source, user, queue, std::nullopt);
    if (auto agent = agent_named(dialled)) return consult_from_phone(tx, invite, source, user, std::nullopt, agent);
    if (!dialled.empty() && dialled[0] != '*' && normalize_e164(dialled, config_.dialplan)) {
      return dial_from_phone(tx, invite, source, user, dialled);
    }
    ports_.sip.reply(tx, 404, "Not Found");
    return;
  }
  ++stats_.feature_codes;
  run_feature(tx, invite, source, user, *code);
}

void CallCenter::run_feature(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                             const std::string& user, const FeatureCode& code) {
  auto aor = aor_of_from(invite);
  if (!aor) {
    ports_.sip.reply(tx, 400, "Bad From");
    return;
  }
  // The agent this is about: named in a login, else the one logged in on this phone.
  std::optional<acd::AgentId> agent;
  if (code.kind == FeatureKind::Login) {
    agent = agent_named(code.argument.empty() ? user : code.argument);
  } else {
    agent = phones_.agent_on(*aor);
  }
  const std::string agent_name = agent ? routing_.agents[acd::index_of(*agent)].name : std::string();
  spdlog::info("phone {} ({}): {} {}", *aor, user, feature_kind_name(code.kind), code.argument);
  switch (code.kind) {
    case FeatureKind::Login: {
      if (!agent) {
        ports_.sip.reply(tx, 404, "No Such Agent");
        return;
      }
      const bool can_ring = phones_.can_ring(*aor);
      if (!can_ring && routing_.without_phone.log_out) {
        // Nobody could reach this agent: no login (routing.without_phone: logged-out).
        ports_.sip.reply(tx, 480, "Phone Not Registered");
        return;
      }
      // One phone per agent, one agent per phone: a login moves the agent here.
      if (auto other = phones_.agent_on(*aor); other && *other != *agent) {
        apply(router_.on_agent_logout(*other));
        phones_.unseat(*other);
      }
      const bool was_in = router_.agent_state(*agent) != acd::AgentState::LoggedOut;
      phones_.seat(*agent, *aor);
      if (!was_in) apply(router_.on_agent_login(*agent, can_ring));
      if (!can_ring) {
        park_without_phone(*agent, "logged in from a phone that is not registered");
        return answer_service_call(tx, invite, source, {"agent-logged-in", "agent-not-ready"});
      }
      return answer_service_call(tx, invite, source, {"agent-logged-in"});
    }
    case FeatureKind::Logout:
      if (!agent) break;
      apply(router_.on_agent_logout(*agent));
      phones_.unseat(*agent);
      return answer_service_call(tx, invite, source, {"agent-logged-out"});
    case FeatureKind::Ready:
      if (!agent) break;
      if (!phones_.can_ring(*aor)) {
        // Ready on a phone nobody can call would offer callers to nobody.
        ports_.sip.reply(tx, 480, "Phone Not Registered");
        return;
      }
      phones_.unpark(*agent);
      apply(router_.on_agent_ready(*agent));
      return answer_service_call(tx, invite, source, {"agent-ready"});
    case FeatureKind::NotReady: {
      if (!agent) break;
      int n = code.argument.empty() ? 1 : std::stoi(code.argument);
      // reason_codes[0] is "none"; *31 is the first configured reason.
      if (n < 1 || static_cast<size_t>(n) >= routing_.reason_codes.size()) n = routing_.reason_codes.size() > 1 ? 1 : 0;
      apply(router_.on_agent_not_ready(*agent, acd::ReasonCode(static_cast<uint16_t>(n))));
      return answer_service_call(tx, invite, source, {"agent-not-ready"});
    }
    case FeatureKind::Monitor:
    case FeatureKind::Whisper:
    case FeatureKind::Barge:
      return supervise(tx, invite, source, user, code);
  }
  ports_.sip.reply(tx, 403, "Not Logged In");
}

std::optional<CallCenter::AcceptedPhone> CallCenter::accept_phone(sip::ServerTransactionId tx,
                                                                  const sip::Message& invite, const sip::Peer& source,
                                                                  uint64_t owner) {
  auto answered = answer_offer(ports_.media, config_.media, invite.body(), owner);
  if (!answered) {
    const sip::StatusLine refusal = sip::status_for(answered.error());
    ports_.sip.reply(tx, refusal.status, refusal.reason);
    return std::nullopt;
  }
  sip::ResponseParts parts;
  parts.content_type = "application/sdp";
  parts.body = answered->answer_text;
  sip::Dialog* dialog = ports_.sip.accept_invite(tx, source, 200, "OK", parts);
  if (dialog == nullptr) {
    ports_.media.destroy(answered->leg.endpoint);
    return std::nullopt;
  }
  return AcceptedPhone{dialog->id(), std::move(answered->leg)};
}

// Answers a phone's feature-code call on an endpoint of its own, plays the confirmation and
// hangs up when it has been said (on_media_event sees the PlaybackDone). A phone whose offer
// we cannot meet gets 488: the action is done, the confirmation just cannot be heard.
void CallCenter::answer_service_call(sip::ServerTransactionId tx, const sip::Message& invite, const sip::Peer& source,
                                     std::vector<std::string> prompts) {
  auto accepted = accept_phone(tx, invite, source, next_call_++);
  if (!accepted) return;
  ServiceCall service{accepted->dialog, std::move(accepted->leg)};
  auto items = prompts_->playlist(prompts, config_.default_language);
  media::player::ToneItem beep;
  beep.spec = media::tone::presets::call_waiting_us();
  if (items.empty()) items.push_back(beep);
  auto player = media::player::Player::create(std::move(items));
  if (player) ports_.media.play(service.media.endpoint, std::make_unique<media::engine::PlayerSource>(std::move(*player)));
  service_calls_[service.dialog] = std::move(service);
}

}  // namespace sb::call
