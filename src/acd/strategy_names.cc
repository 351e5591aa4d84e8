// acd/strategy_names.cc: the one registry of strategy and channel names, so config validation
// can list the valid choices and explanations print the same words.
#include <array>
#include <utility>

#include "acd/config.h"

namespace sb::acd {
namespace {

constexpr std::array<std::pair<Strategy, std::string_view>, 9> kStrategies = {{
    {Strategy::LongestIdle, "longest-idle"},
    {Strategy::RoundRobin, "round-robin"},
    {Strategy::FewestInteractions, "fewest-interactions"},
    {Strategy::LeastTalkTime, "least-talk-time"},
    {Strategy::BestSkillMatch, "best-skill-match"},
    {Strategy::Linear, "linear"},
    {Strategy::RingAll, "ring-all"},
    {Strategy::Random, "random"},
    {Strategy::WeightedRandom, "weighted-random"},
}};

constexpr std::array<std::pair<Channel, std::string_view>, 3> kChannels = {{
    {Channel::Voice, "voice"},
    {Channel::Chat, "chat"},
    {Channel::Email, "email"},
}};

}  // namespace

std::string_view strategy_name(Strategy s) {
  for (const auto& [strategy, name] : kStrategies) {
    if (strategy == s) {
      return name;
    }
  }
  return "unknown";
}

std::optional<Strategy> parse_strategy(std::string_view name) {
  for (const auto& [strategy, text] : kStrategies) {
    if (text == name) {
      return strategy;
    }
  }
  return std::nullopt;
}

std::string strategy_choices() {
  std::string out;
  for (const auto& [strategy, name] : kStrategies) {
    out += out.empty() ? "" : ", ";
    out += name;
  }
  return out;
}

std::string_view channel_name(Channel c) { return kChannels[static_cast<size_t>(c)].second; }

std::optional<Channel> parse_channel(std::string_view name) {
  for (const auto& [channel, text] : kChannels) {
    if (text == name) {
      return channel;
    }
  }
  return std::nullopt;
}

}  // namespace sb::acd
