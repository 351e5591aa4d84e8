// call/call_state.h: where a call is, as one state with the moves allowed between states. The
// call center changes a call's state only through CallStates::move (call_center.h), which
// refuses and counts a move this table does not allow: a bug shows as a counted error in the
// log and `admin status`, never as a call stuck half-way between two states.
#pragma once

#include <cstdint>
#include <string_view>

namespace sb::call {

enum class CallState : uint8_t {
  New,        // answered (or in early media), nothing decided yet
  Ivr,        // in its flow: prompts, menus, lookups
  Queued,     // waiting for an agent (also a callback's kept place, the caller gone)
  Connected,  // talking to an agent (held or not)
  Voicemail,  // leaving a message
  Outside,    // talking to, or ringing, a number through the trunk
  // An attended transfer in progress: the transferring agent has left, the consulted party
  // is not yet the caller's. The router's actions must not touch it meanwhile.
  Transferring,
  Ending,  // every leg being released; nothing may move it again
};
inline constexpr int kCallStateCount = 8;

std::string_view call_state_name(CallState state);  // "new", "ivr", ...

// Whether a call may go from `from` to `to`. Staying in Queued (moved to another queue),
// Connected (another agent after an attended transfer), Voicemail and Outside is a move too.
bool call_state_move_allowed(CallState from, CallState to);

}  // namespace sb::call
