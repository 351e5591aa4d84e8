// media/mixer/supervision.h: who hears whom in a supervised call (monitor, whisper, barge) and in
// a plain conference, as edits to a Mixer's hearing matrix. Not here: who may supervise whom.
#pragma once

#include <span>

#include "media/mixer/mixer.h"

namespace sb::media::mixer {

enum class SupervisionMode {
  Monitor,  // supervisor hears caller and agent; nobody hears the supervisor
  Whisper,  // supervisor hears both; the agent hears the supervisor, the caller does not
  Barge,    // all three hear each other
};

struct SupervisedCall {
  ParticipantId caller = 0;
  ParticipantId agent = 0;
  ParticipantId supervisor = 0;
};

// Sets all six edges among the three legs, so calling it again switches mode mid-call with no
// leftover edge from the previous mode. Caller and agent always hear each other. Edges to other
// participants are left alone. False (mixer unchanged) when an id is unknown or two ids are equal.
bool apply_supervision(Mixer& mixer, const SupervisedCall& call, SupervisionMode mode);

// Everyone in `members` hears everyone else in `members`. False (mixer unchanged) when an id is
// unknown.
bool apply_conference(Mixer& mixer, std::span<const ParticipantId> members);

}  // namespace sb::media::mixer
