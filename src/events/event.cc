// events/event.cc: the names of event kinds and topics.
#include "events/event.h"

#include <array>
#include <utility>

namespace sb::events {
namespace {

constexpr std::array<std::pair<EventKind, std::string_view>, 20> kNames{{
    {EventKind::Arrived, "arrived"},
    {EventKind::IvrExit, "ivr-exit"},
    {EventKind::Queued, "queued"},
    {EventKind::Offered, "offered"},
    {EventKind::Answered, "answered"},
    {EventKind::Held, "held"},
    {EventKind::Resumed, "resumed"},
    {EventKind::Transferred, "transferred"},
    {EventKind::Abandoned, "abandoned"},
    {EventKind::Ended, "ended"},
    {EventKind::WrapUpDone, "wrap-up-done"},
    {EventKind::AgentLogin, "agent-login"},
    {EventKind::AgentLogout, "agent-logout"},
    {EventKind::AgentReady, "agent-ready"},
    {EventKind::AgentNotReady, "agent-not-ready"},
    {EventKind::AgentOffered, "agent-offered"},
    {EventKind::AgentMissed, "agent-missed"},
    {EventKind::AgentBusy, "agent-busy"},
    {EventKind::AgentWrapUp, "agent-wrap-up"},
    {EventKind::LegQuality, "leg-quality"},
}};

}  // namespace

std::string_view event_kind_name(EventKind kind) {
  for (auto [k, name] : kNames) {
    if (k == kind) {
      return name;
    }
  }
  return "?";
}

std::optional<EventKind> parse_event_kind(std::string_view name) {
  for (auto [k, n] : kNames) {
    if (n == name) {
      return k;
    }
  }
  return std::nullopt;
}

Topic topic_of(EventKind kind) {
  if (kind == EventKind::LegQuality) {
    return Topic::Quality;
  }
  return kind >= EventKind::AgentLogin ? Topic::Agent : Topic::Interaction;
}

std::string_view topic_name(Topic topic) {
  switch (topic) {
    case Topic::Interaction: return "interaction";
    case Topic::Agent: return "agent";
    case Topic::Quality: return "quality";
  }
  return "interaction";
}

}  // namespace sb::events
