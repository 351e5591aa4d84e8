// ivr/flow.cc: the node kind registry (names as the config spells them) and name look-ups.
#include "ivr/flow.h"

#include <array>

namespace sb::ivr {
namespace {

// Every kind, in NodeKind order: the one list that config validation and messages use.
constexpr std::array<std::string_view, 13> kKindNames = {
    "play",   "menu",  "collect",   "set",      "branch",   "hours",  "language",
    "lookup", "queue", "voicemail", "callback", "transfer", "hangup",
};

}  // namespace

std::string_view node_kind_name(NodeKind kind) {
  const auto i = static_cast<size_t>(kind);
  return i < kKindNames.size() ? kKindNames[i] : std::string_view("unknown");
}

std::optional<NodeKind> parse_node_kind(std::string_view name) {
  for (size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) {
      return static_cast<NodeKind>(i);
    }
  }
  return std::nullopt;
}

std::string node_kind_choices() {
  std::string out;
  for (std::string_view name : kKindNames) {
    out += out.empty() ? "" : ", ";
    out += name;
  }
  return out;
}

NodeIndex Flow::find(std::string_view node_name) const {
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].name == node_name) {
      return static_cast<NodeIndex>(i);
    }
  }
  return kNoNode;
}

const Flow* FlowSet::find(std::string_view flow_name) const {
  for (const Flow& flow : flows) {
    if (flow.name == flow_name) {
      return &flow;
    }
  }
  return nullptr;
}

}  // namespace sb::ivr
