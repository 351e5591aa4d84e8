// store/interaction_event.cc
#include "store/interaction_event.h"

#include <array>
#include <utility>

namespace sb::store {
namespace {

constexpr std::array<std::pair<InteractionEventKind, std::string_view>, 11> kNames{{
    {InteractionEventKind::Arrived, "arrived"},
    {InteractionEventKind::IvrExit, "ivr-exit"},
    {InteractionEventKind::Queued, "queued"},
    {InteractionEventKind::Offered, "offered"},
    {InteractionEventKind::Answered, "answered"},
    {InteractionEventKind::Held, "held"},
    {InteractionEventKind::Resumed, "resumed"},
    {InteractionEventKind::Transferred, "transferred"},
    {InteractionEventKind::Abandoned, "abandoned"},
    {InteractionEventKind::Ended, "ended"},
    {InteractionEventKind::WrapUpDone, "wrap-up-done"},
}};

}  // namespace

std::string_view interaction_event_name(InteractionEventKind kind) {
  for (auto [k, name] : kNames) {
    if (k == kind) return name;
  }
  return "?";
}

bool parse_interaction_event_name(std::string_view name, InteractionEventKind& out) {
  for (auto [k, n] : kNames) {
    if (n == name) {
      out = k;
      return true;
    }
  }
  return false;
}

}  // namespace sb::store
