// media/mixer/mixer.h: an N-way audio mixer driven one 20 ms tick at a time, with a per-listener
// hearing matrix. Pure: no I/O, no threads, no clock; not here: decoding, timing, gain control.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/result.h"
#include "media/frame.h"

namespace sb::media::mixer {

// Assigned by the Mixer, never reused within one Mixer, so a stale id cannot hit a newcomer.
using ParticipantId = uint32_t;

// Mixes up to kMaxParticipants legs. Per tick the owner calls set_input() for every leg that
// produced audio (a leg without input counts as silence, e.g. a lost packet), optionally
// inject() for a listener-only source (a prompt), then mix(), then reads output(). Each output
// is the saturating sum of the inputs its listener hears (never its own) plus its injection.
// Not thread-safe: one owner (the call's media thread).
class Mixer {
 public:
  static constexpr std::size_t kMaxParticipants = 16;

  // Adds a participant that hears nobody and is heard by nobody until set_hears() says so.
  // Fails when the mixer is full.
  Result<ParticipantId> add();
  // Removes a participant and every hearing edge to or from it. False for an unknown id.
  bool remove(ParticipantId id);
  bool contains(ParticipantId id) const { return slot_of(id).has_value(); }
  std::size_t size() const;

  // Whether `listener` hears `speaker`. False (and no change) for an unknown id or when
  // listener == speaker: nobody hears themselves.
  bool set_hears(ParticipantId listener, ParticipantId speaker, bool hears);
  bool hears(ParticipantId listener, ParticipantId speaker) const;

  // This tick's audio from `id`, and an extra source only `id` hears. Both last until mix().
  // False for an unknown id.
  bool set_input(ParticipantId id, const Frame& frame);
  bool inject(ParticipantId id, const Frame& frame);

  // Computes every output for this tick and clears the inputs and injections for the next.
  void mix();

  // The output mix() last computed for `id` (silence before the first mix). Needs a known id.
  const Frame& output(ParticipantId id) const;

 private:
  struct Slot {
    bool used = false;
    ParticipantId id = 0;
    uint32_t hears = 0;  // bit s set: this listener hears slot s
    bool has_input = false;
    bool has_injection = false;
    Frame input{};
    Frame injection{};
    Frame output{};
  };
  static_assert(kMaxParticipants <= 32, "hearing mask is a uint32_t");

  std::optional<std::size_t> slot_of(ParticipantId id) const;

  std::array<Slot, kMaxParticipants> slots_{};
  ParticipantId next_id_ = 1;
};

}  // namespace sb::media::mixer
