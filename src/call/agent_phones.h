// call/agent_phones.h: which phone each logged-in agent is on, the agents parked not ready
// because their phone cannot ring (routing.without_phone), and what the login sink last heard.
// Bookkeeping only: the call center decides with the router and keeps the facts here, in one
// place, so a login, a phone that unregisters and a restart all read the same answers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "acd/agent_state.h"
#include "acd/ids.h"
#include "sip/registrar/location_service.h"

namespace sb::call {

// An agent's login as it must survive a restart: the phone it is on, and ready or not ready
// with the reason's name. Busy, ringing and wrap-up count as ready: the calls die with the
// process, the agent's choice does not.
struct AgentLogin {
  std::string phone;  // the AOR, "sip:1001@host"
  bool ready = true;
  std::string reason;  // when not ready
  friend bool operator==(const AgentLogin&, const AgentLogin&) = default;
};

class AgentPhones {
 public:
  explicit AgentPhones(const sip::registrar::LocationService& locations) : locations_(locations) {}

  // `agent` is on phone `aor` now (one phone per agent, one agent per phone: the caller moves
  // any other agent off it first).
  void seat(acd::AgentId agent, std::string aor);
  // Logged out: its phone and its parking are forgotten.
  void unseat(acd::AgentId agent);
  void clear();

  const std::string* phone_of(acd::AgentId agent) const;
  std::optional<acd::AgentId> agent_on(std::string_view aor) const;
  // The agent on the phone whose digest user is `user` ("1001" for sip:1001@host).
  std::optional<acd::AgentId> agent_of_user(std::string_view user) const;
  // Logged-in agents and their phones, in the config's order.
  const std::map<uint32_t, std::string>& seated() const { return phone_of_; }

  // Whether `aor` has a live registration (so offering it a call can ring something).
  bool can_ring(std::string_view aor) const { return !locations_.lookup(aor).empty(); }
  // The bindings to ring for `agent`, highest q first; empty when logged out or unregistered.
  std::vector<sip::registrar::Binding> bindings_of(acd::AgentId agent) const;

  // Parked: made not ready because the phone cannot ring, to be readied when it can.
  bool parked(acd::AgentId agent) const { return parked_.count(acd::index_of(agent)) != 0; }
  void park(acd::AgentId agent) { parked_.insert(acd::index_of(agent)); }
  // True when it was parked.
  bool unpark(acd::AgentId agent) { return parked_.erase(acd::index_of(agent)) != 0; }

  // What the login sink must hear about `agent` in `state` (`reason`: the not-ready reason's
  // name), or nothing when it heard that already. A `login` of nullopt means logged out.
  struct LoginNews {
    std::optional<AgentLogin> login;
  };
  std::optional<LoginNews> login_news(acd::AgentId agent, acd::AgentState state, std::string_view reason);

 private:
  const sip::registrar::LocationService& locations_;
  std::map<uint32_t, std::string> phone_of_;  // agent index -> AOR
  std::set<uint32_t> parked_;
  std::map<uint32_t, AgentLogin> told_;  // what the sink last heard, per agent
};

}  // namespace sb::call
