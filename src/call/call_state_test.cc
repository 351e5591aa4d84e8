#include "call/call_state.h"

#include <gtest/gtest.h>

namespace sb::call {
namespace {

constexpr CallState kAll[] = {CallState::New,       CallState::Ivr,     CallState::Queued,       CallState::Connected,
                              CallState::Voicemail, CallState::Outside, CallState::Transferring, CallState::Ending};

TEST(CallState, EveryStateButEndingMayEndAndEndingIsFinal) {
  for (CallState s : kAll) {
    EXPECT_EQ(call_state_move_allowed(s, CallState::Ending), s != CallState::Ending) << call_state_name(s);
    EXPECT_FALSE(call_state_move_allowed(CallState::Ending, s)) << call_state_name(s);
  }
}

TEST(CallState, NothingGoesBackToNew) {
  for (CallState s : kAll) EXPECT_FALSE(call_state_move_allowed(s, CallState::New)) << call_state_name(s);
}

TEST(CallState, TheMovesACallMakes) {
  // A caller through the menu to a queue, an agent, a blind transfer to another queue.
  EXPECT_TRUE(call_state_move_allowed(CallState::New, CallState::Ivr));
  EXPECT_TRUE(call_state_move_allowed(CallState::Ivr, CallState::Queued));
  EXPECT_TRUE(call_state_move_allowed(CallState::Queued, CallState::Connected));
  EXPECT_TRUE(call_state_move_allowed(CallState::Connected, CallState::Queued));
  // Overflow to voicemail, then the flow goes on.
  EXPECT_TRUE(call_state_move_allowed(CallState::Queued, CallState::Voicemail));
  EXPECT_TRUE(call_state_move_allowed(CallState::Voicemail, CallState::Ivr));
  // A blind transfer to a number; an attended one gives the caller the consulted agent.
  EXPECT_TRUE(call_state_move_allowed(CallState::Connected, CallState::Outside));
  EXPECT_TRUE(call_state_move_allowed(CallState::Connected, CallState::Transferring));
  EXPECT_TRUE(call_state_move_allowed(CallState::Transferring, CallState::Connected));
}

TEST(CallState, MovesThatWouldLoseTheCaller) {
  // An agent's call does not go back to the menu, nor a queue straight back into it.
  EXPECT_FALSE(call_state_move_allowed(CallState::Connected, CallState::Ivr));
  EXPECT_FALSE(call_state_move_allowed(CallState::Queued, CallState::Ivr));
  // A message is not left while talking to an agent or a number.
  EXPECT_FALSE(call_state_move_allowed(CallState::Connected, CallState::Voicemail));
  EXPECT_FALSE(call_state_move_allowed(CallState::Outside, CallState::Voicemail));
  // Nobody is connected to an agent before being queued.
  EXPECT_FALSE(call_state_move_allowed(CallState::New, CallState::Connected));
  EXPECT_FALSE(call_state_move_allowed(CallState::Ivr, CallState::Connected));
  // Only a call talking to an agent transfers.
  EXPECT_FALSE(call_state_move_allowed(CallState::Queued, CallState::Transferring));
}

TEST(CallState, NamesAreTheLogsWords) {
  EXPECT_EQ(call_state_name(CallState::Connected), "connected");
  EXPECT_EQ(call_state_name(CallState::Ending), "ending");
}

}  // namespace
}  // namespace sb::call
