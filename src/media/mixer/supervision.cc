// media/mixer/supervision.cc: the supervision modes as tables of hearing edges.
#include "media/mixer/supervision.h"

namespace sb::media::mixer {

bool apply_supervision(Mixer& mixer, const SupervisedCall& call, SupervisionMode mode) {
  const auto [c, a, s] = call;
  if (!mixer.contains(c) || !mixer.contains(a) || !mixer.contains(s) || c == a || c == s ||
      a == s) {
    return false;
  }
  const bool agent_hears_sup = mode != SupervisionMode::Monitor;
  const bool caller_hears_sup = mode == SupervisionMode::Barge;
  mixer.set_hears(c, a, true);
  mixer.set_hears(a, c, true);
  mixer.set_hears(s, c, true);
  mixer.set_hears(s, a, true);
  mixer.set_hears(a, s, agent_hears_sup);
  mixer.set_hears(c, s, caller_hears_sup);
  return true;
}

bool apply_conference(Mixer& mixer, std::span<const ParticipantId> members) {
  for (ParticipantId id : members) {
    if (!mixer.contains(id)) {
      return false;
    }
  }
  for (ParticipantId listener : members) {
    for (ParticipantId speaker : members) {
      if (listener != speaker) {
        mixer.set_hears(listener, speaker, true);
      }
    }
  }
  return true;
}

}  // namespace sb::media::mixer
