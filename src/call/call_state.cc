#include "call/call_state.h"

#include <array>

namespace sb::call {

namespace {

constexpr uint8_t bit(CallState s) { return static_cast<uint8_t>(1u << static_cast<unsigned>(s)); }

// Row: the states each state may move to (in CallState's order). Every state may end.
constexpr std::array<uint8_t, kCallStateCount> kAllowed = {
    // New: a flow, a queue (a route straight to one, a consultation), a phone's dial-out.
    bit(CallState::Ivr) | bit(CallState::Queued) | bit(CallState::Outside) | bit(CallState::Ending),
    // Ivr: a queue node, a voicemail node, a transfer node.
    bit(CallState::Queued) | bit(CallState::Voicemail) | bit(CallState::Outside) | bit(CallState::Ending),
    // Queued: another queue (overflow), an agent answers, voicemail overflow, a callback's dial-out.
    bit(CallState::Queued) | bit(CallState::Connected) | bit(CallState::Voicemail) | bit(CallState::Outside) |
        bit(CallState::Ending),
    // Connected: blind transfer to a queue or agent, to a number; an attended transfer.
    bit(CallState::Queued) | bit(CallState::Outside) | bit(CallState::Transferring) | bit(CallState::Ending),
    // Voicemail: the flow goes on after the message (or the message is re-started).
    bit(CallState::Voicemail) | bit(CallState::Ivr) | bit(CallState::Ending),
    // Outside: the trunk leg is replaced (a blind transfer's new number).
    bit(CallState::Outside) | bit(CallState::Ending),
    // Transferring: the consulted agent or number becomes the caller's.
    bit(CallState::Connected) | bit(CallState::Outside) | bit(CallState::Ending),
    // Ending: final.
    0,
};

}  // namespace

std::string_view call_state_name(CallState state) {
  switch (state) {
    case CallState::New: return "new";
    case CallState::Ivr: return "ivr";
    case CallState::Queued: return "queued";
    case CallState::Connected: return "connected";
    case CallState::Voicemail: return "voicemail";
    case CallState::Outside: return "outside";
    case CallState::Transferring: return "transferring";
    case CallState::Ending: return "ending";
  }
  return "?";
}

bool call_state_move_allowed(CallState from, CallState to) {
  const auto row = static_cast<std::size_t>(from);
  return row < kAllowed.size() && (kAllowed[row] & bit(to)) != 0;
}

}  // namespace sb::call
