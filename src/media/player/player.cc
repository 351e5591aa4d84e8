// media/player/player.cc: walking the playlist sample by sample.
#include "media/player/player.h"

#include <algorithm>
#include <string>

namespace sb::media::player {
namespace {

constexpr std::uint64_t kSamplesPerMs = kMixRateHz / 1000;

bool is_dtmf_digit(char c) {
  return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
}

}  // namespace

Result<Player> Player::create(std::vector<PlaylistItem> playlist, PlayerOptions options) {
  if (playlist.empty()) {
    return Error{"empty playlist", "playlist"};
  }
  for (std::size_t i = 0; i < playlist.size(); ++i) {
    const std::string where = "item " + std::to_string(i);
    if (const auto* p = std::get_if<PromptItem>(&playlist[i]); p != nullptr && !p->prompt) {
      return Error{"prompt item without a prompt", where};
    }
    if (const auto* t = std::get_if<ToneItem>(&playlist[i])) {
      if (t->max_ms < 0) {
        return Error{"negative tone duration", where};
      }
      if (auto ok = tone::validate(t->spec); !ok) {
        return Error{ok.error().where + ": " + ok.error().message, where};
      }
    }
    if (const auto* s = std::get_if<SilenceItem>(&playlist[i]); s != nullptr && s->ms < 0) {
      return Error{"negative silence duration", where};
    }
  }
  return Player(std::move(playlist), options);
}

Player::Player(std::vector<PlaylistItem> playlist, PlayerOptions options)
    : playlist_(std::move(playlist)), options_(options) {
  start_item(0);
}

void Player::start_item(std::size_t index) {
  position_.item = index;
  position_.item_sample = 0;
  tone_.reset();
  if (const auto* t = std::get_if<ToneItem>(&playlist_[index])) {
    // Validated in create(), so this cannot fail.
    tone_.emplace(std::move(tone::ToneGenerator::create(t->spec)).value());
  }
}

std::size_t Player::fill_from_item(std::span<int16_t> out) {
  const PlaylistItem& item = playlist_[position_.item];
  const std::uint64_t done = position_.item_sample;
  std::size_t n = 0;
  if (const auto* p = std::get_if<PromptItem>(&item)) {
    const auto& s = p->prompt->samples();
    n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), s.size() - done));
    std::copy_n(s.begin() + static_cast<std::ptrdiff_t>(done), n, out.begin());
  } else if (const auto* t = std::get_if<ToneItem>(&item)) {
    std::size_t room = out.size();
    if (t->max_ms > 0) {
      const std::uint64_t limit = static_cast<std::uint64_t>(t->max_ms) * kSamplesPerMs;
      room = static_cast<std::size_t>(std::min<std::uint64_t>(room, limit - done));
    }
    n = tone_->fill(out.first(room));
  } else {
    const auto& s = std::get<SilenceItem>(item);
    const std::uint64_t length = static_cast<std::uint64_t>(s.ms) * kSamplesPerMs;
    n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), length - done));
    std::fill_n(out.begin(), n, int16_t{0});
  }
  position_.item_sample += n;
  return n;
}

bool Player::next_frame(Frame& out) {
  std::size_t n = 0;
  while (n < out.size() && state_ == PlayerState::Playing) {
    const std::size_t got = fill_from_item(std::span(out).subspan(n));
    n += got;
    samples_this_pass_ += got;
    if (n == out.size()) {
      break;  // the item may have more; it is asked again next frame
    }
    // The current item is over: next item, next pass, or the end.
    if (position_.item + 1 < playlist_.size()) {
      start_item(position_.item + 1);
    } else if (options_.loop && samples_this_pass_ > 0) {
      ++position_.loops;
      samples_this_pass_ = 0;
      start_item(0);
    } else {
      state_ = PlayerState::Finished;
    }
  }
  position_.total_samples += n;
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), int16_t{0});
  return n > 0;
}

bool Player::on_dtmf(char digit) {
  if (!options_.barge_in || state_ != PlayerState::Playing || !is_dtmf_digit(digit)) {
    return false;
  }
  state_ = PlayerState::Interrupted;
  interrupted_by_ = digit;
  return true;
}

}  // namespace sb::media::player
