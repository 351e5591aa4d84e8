#include "call/agent_phones.h"

namespace sb::call {

void AgentPhones::seat(acd::AgentId agent, std::string aor) { phone_of_[acd::index_of(agent)] = std::move(aor); }

void AgentPhones::unseat(acd::AgentId agent) {
  phone_of_.erase(acd::index_of(agent));
  parked_.erase(acd::index_of(agent));
}

void AgentPhones::clear() {
  phone_of_.clear();
  parked_.clear();
}

const std::string* AgentPhones::phone_of(acd::AgentId agent) const {
  auto it = phone_of_.find(acd::index_of(agent));
  return it == phone_of_.end() ? nullptr : &it->second;
}

std::optional<acd::AgentId> AgentPhones::agent_on(std::string_view aor) const {
  for (const auto& [agent, phone] : phone_of_) {
    if (phone == aor) return acd::AgentId(agent);
  }
  return std::nullopt;
}

std::optional<acd::AgentId> AgentPhones::agent_of_user(std::string_view user) const {
  const std::string prefix = "sip:" + std::string(user) + "@";
  for (const auto& [agent, phone] : phone_of_) {
    if (phone.rfind(prefix, 0) == 0) return acd::AgentId(agent);
  }
  return std::nullopt;
}

std::vector<sip::registrar::Binding> AgentPhones::bindings_of(acd::AgentId agent) const {
  const std::string* phone = phone_of(agent);
  return phone == nullptr ? std::vector<sip::registrar::Binding>{} : locations_.lookup(*phone);
}

std::optional<AgentPhones::LoginNews> AgentPhones::login_news(acd::AgentId agent, acd::AgentState state,
                                                              std::string_view reason) {
  const uint32_t index = acd::index_of(agent);
  const std::string* phone = phone_of(agent);
  if (state == acd::AgentState::LoggedOut || phone == nullptr) {
    if (told_.erase(index) == 0) return std::nullopt;
    return LoginNews{};
  }
  AgentLogin login;
  login.phone = *phone;
  // Parked for want of a phone, the agent's own choice was ready.
  login.ready = state != acd::AgentState::NotReady || parked(agent);
  if (!login.ready) login.reason = std::string(reason);
  auto told = told_.find(index);
  if (told != told_.end() && told->second == login) return std::nullopt;
  told_[index] = login;
  return LoginNews{std::move(login)};
}

}  // namespace sb::call
