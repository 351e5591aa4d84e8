// call/feature_codes.h: what an agent or supervisor phone means by dialling a star code.
// Desk phones can only dial digits, so the codes are digits after '*'; the argument that
// follows names the agent (its login name, which may be its extension) or a reason number.
// Pure: text in, command out.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sb::call {

enum class FeatureKind {
  Login,     // *1[agent]   log in (ready) on this phone; no agent: the phone's own user
  Logout,    // *0
  Ready,     // *2          also ends wrap-up early
  NotReady,  // *3[n]       not ready with reason code n (1-based in routing.reason_codes)
  Monitor,   // *5<agent>   supervisor listens to the agent's call
  Whisper,   // *6<agent>   supervisor talks to the agent only
  Barge,     // *7<agent>   supervisor joins the conversation
};

std::string_view feature_kind_name(FeatureKind kind);  // "login", "logout", ...

struct FeatureCode {
  FeatureKind kind = FeatureKind::Login;
  std::string argument;  // agent name or reason number; may be empty
};

// The command a dialled user part ("*1alice", "*32", "%2A5bob" already unescaped) asks for;
// nullopt when it is not a feature code, or one whose argument is missing or malformed.
std::optional<FeatureCode> parse_feature_code(std::string_view dialled);

}  // namespace sb::call
