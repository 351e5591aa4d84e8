// media/mixer/mixer.cc: the mixing arithmetic. Direct per-listener sums: at 16 legs x 320 samples
// this is cheap, and "total minus own" is not exact once the total has to saturate.
#include "media/mixer/mixer.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <string>

namespace sb::media::mixer {
namespace {

// int32 headroom: 17 sources of at most 32768 each cannot overflow, so clamp only at the end.
int16_t saturate(int32_t v) {
  return static_cast<int16_t>(std::clamp<int32_t>(v, std::numeric_limits<int16_t>::min(),
                                                  std::numeric_limits<int16_t>::max()));
}

}  // namespace

Result<ParticipantId> Mixer::add() {
  for (std::size_t s = 0; s < slots_.size(); ++s) {
    if (!slots_[s].used) {
      slots_[s] = Slot{};
      slots_[s].used = true;
      slots_[s].id = next_id_++;
      return slots_[s].id;
    }
  }
  return Error{"mixer full (" + std::to_string(kMaxParticipants) + " participants)", "mixer"};
}

bool Mixer::remove(ParticipantId id) {
  auto s = slot_of(id);
  if (!s) {
    return false;
  }
  slots_[*s].used = false;
  // The slot will be reused: nobody may keep hearing it.
  for (Slot& other : slots_) {
    other.hears &= ~(1u << *s);
  }
  return true;
}

std::size_t Mixer::size() const {
  return static_cast<std::size_t>(
      std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.used; }));
}

bool Mixer::set_hears(ParticipantId listener, ParticipantId speaker, bool hears) {
  auto l = slot_of(listener);
  auto s = slot_of(speaker);
  if (!l || !s || *l == *s) {
    return false;
  }
  if (hears) {
    slots_[*l].hears |= 1u << *s;
  } else {
    slots_[*l].hears &= ~(1u << *s);
  }
  return true;
}

bool Mixer::hears(ParticipantId listener, ParticipantId speaker) const {
  auto l = slot_of(listener);
  auto s = slot_of(speaker);
  return l && s && (slots_[*l].hears & (1u << *s)) != 0;
}

bool Mixer::set_input(ParticipantId id, const Frame& frame) {
  auto s = slot_of(id);
  if (!s) {
    return false;
  }
  slots_[*s].input = frame;
  slots_[*s].has_input = true;
  return true;
}

bool Mixer::inject(ParticipantId id, const Frame& frame) {
  auto s = slot_of(id);
  if (!s) {
    return false;
  }
  slots_[*s].injection = frame;
  slots_[*s].has_injection = true;
  return true;
}

void Mixer::mix() {
  std::array<int32_t, kFrameSamples> acc;
  for (Slot& listener : slots_) {
    if (!listener.used) {
      continue;
    }
    acc.fill(0);
    for (std::size_t s = 0; s < slots_.size(); ++s) {
      const Slot& speaker = slots_[s];
      if (speaker.used && speaker.has_input && (listener.hears & (1u << s)) != 0) {
        for (std::size_t n = 0; n < kFrameSamples; ++n) {
          acc[n] += speaker.input[n];
        }
      }
    }
    if (listener.has_injection) {
      for (std::size_t n = 0; n < kFrameSamples; ++n) {
        acc[n] += listener.injection[n];
      }
    }
    for (std::size_t n = 0; n < kFrameSamples; ++n) {
      listener.output[n] = saturate(acc[n]);
    }
  }
  // Inputs are per tick: a leg that sends nothing next tick is silence, not a repeat.
  for (Slot& slot : slots_) {
    slot.has_input = false;
    slot.has_injection = false;
  }
}

const Frame& Mixer::output(ParticipantId id) const {
  auto s = slot_of(id);
  assert(s && "output() of an unknown participant");
  return slots_[s.value_or(0)].output;
}

std::optional<std::size_t> Mixer::slot_of(ParticipantId id) const {
  for (std::size_t s = 0; s < slots_.size(); ++s) {
    if (slots_[s].used && slots_[s].id == id) {
      return s;
    }
  }
  return std::nullopt;
}

}  // namespace sb::media::mixer
