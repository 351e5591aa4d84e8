// acd/ids.h: strongly typed identifiers. Agents, queues, skills and reason codes are dense
// indexes into the RoutingConfig's vectors; interactions carry the global 64-bit id.
#pragma once

#include <cstdint>
#include <functional>

namespace sb::acd {

enum class AgentId : uint32_t {};
enum class QueueId : uint32_t {};
enum class SkillId : uint16_t {};
enum class TeamId : uint16_t {};
enum class ReasonCode : uint16_t {};  // index into RoutingConfig::reason_codes; 0 is "none"
enum class InteractionId : uint64_t {};

template <typename Id>
constexpr auto index_of(Id id) {
  return static_cast<std::underlying_type_t<Id>>(id);
}

enum class Channel : uint8_t { Voice, Chat, Email };
inline constexpr int kChannelCount = 3;

}  // namespace sb::acd
