// ivr/flow.h: the IVR flow model: named nodes of a few kinds, with transitions resolved into node
// indices. Plain data, built by the config loader (app/config/ivr_section.cc) or by tests, and run
// by FlowRun (flow_run.h). It does not validate itself: the loader does that.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace sb::ivr {

using NodeIndex = uint32_t;
inline constexpr NodeIndex kNoNode = 0xffffffff;

// `variable = value`; the value may refer to other variables as ${name}.
struct Assignment {
  std::string variable;
  std::string value;
};

// Where to go next. The assignments run first, so the next node already sees them (a language menu
// sets `language` and goes on to the main menu).
struct Transition {
  NodeIndex next = kNoNode;
  std::vector<Assignment> set;
};

enum class NodeKind : uint8_t {
  Play,
  Menu,
  Collect,
  Set,
  Branch,
  Hours,
  Language,
  Lookup,
  Queue,
  Voicemail,
  Callback,
  Transfer,
  Hangup,
};

// "play", "menu", ...: the `type:` names of the config.
std::string_view node_kind_name(NodeKind kind);
// The inverse of node_kind_name(); nullopt for an unknown name.
std::optional<NodeKind> parse_node_kind(std::string_view name);
// Every kind name, comma separated, for "expected one of ..." messages.
std::string node_kind_choices();

// One node. A single struct with the fields of every kind keeps flows easy to build in code; each
// kind reads only the fields listed for it.
struct Node {
  std::string name;
  NodeKind kind = NodeKind::Play;

  // Prompt names: play, menu, collect, voicemail greeting, hangup message, callback confirmation.
  // May contain ${var}.
  std::vector<std::string> prompts;
  // Play, set, language, collect (valid input), voicemail, callback, lookup (success).
  Transition next;

  // Menu: digit -> transition.
  std::vector<std::pair<char, Transition>> options;
  // Menu and collect: how long to wait for input after the prompts, and how many tries the caller
  // gets before on_failure.
  Duration timeout = std::chrono::seconds(5);
  int retries = 3;
  // Played before a retry, after an invalid choice or after no input.
  std::vector<std::string> invalid_prompts;
  std::vector<std::string> no_input_prompts;
  // Menu/collect after the retries are used up; lookup on error, timeout or a non-2xx status.
  Transition on_failure;

  // Collect: digits into `variable`, ended by `terminator` ('\0': none), `max_digits`, or
  // `inter_digit_timeout` after the first digit.
  std::string variable;
  int min_digits = 1;
  int max_digits = 20;
  char terminator = '#';
  Duration inter_digit_timeout = std::chrono::seconds(3);
  std::string pattern;    // ECMAScript regex the whole input must match; empty: any
  std::string validator;  // a named checksum hook ("luhn"); empty: none

  // Set: uses `next.set`.
  // Branch: the value of `branch_variable` (or the expansion of it when it contains ${...})
  // compared with each case exactly; `otherwise` when none matches.
  std::string branch_variable;
  std::vector<std::pair<std::string, Transition>> cases;
  Transition otherwise;

  // Hours: a calendar name the FlowRun was given; `holiday.next == kNoNode` means closed.
  std::string calendar;
  Transition open;
  Transition closed;
  Transition holiday;

  // Language: sets the `language` variable.
  std::string language;

  // Lookup: an HTTP request whose JSON answer fills variables. `assign` maps a variable to a JSON
  // pointer ("/tier") or a top-level field name ("tier") of the response.
  std::string method = "GET";
  std::string url;
  std::string body;
  Duration lookup_timeout = std::chrono::seconds(2);
  std::vector<std::pair<std::string, std::string>> assign;

  // Queue: hands the call to the ACD with data attached to the interaction (${var} expanded).
  std::string queue;
  int priority = 0;
  std::vector<Assignment> attached;

  // Voicemail.
  std::string mailbox;
  Duration max_length = std::chrono::seconds(120);

  // Callback.
  std::string callback_queue;
  std::string callback_number = "${caller}";

  // Transfer: ${var} allowed.
  std::string number;

  // Hangup.
  std::string reason;
};

struct Flow {
  std::string name;
  std::string language = "en";
  NodeIndex start = 0;
  std::vector<Node> nodes;

  // The index of the node named `name`, or kNoNode.
  NodeIndex find(std::string_view name) const;
};

struct FlowSet {
  std::vector<Flow> flows;

  // nullptr when there is no flow of that name.
  const Flow* find(std::string_view name) const;
};

}  // namespace sb::ivr
