// call/prompt_library.h: the center's recorded prompts by name and language, laid out as
// <dir>/<language>/<name>.wav (the demo's are spoken by espeak-ng at build time). Everything is
// loaded once at start-up, so playing a prompt never reads a file on the control thread; a
// prompt missing in the caller's language falls back to the default language.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "media/player/player.h"
#include "media/player/prompt.h"

namespace sb::call {

class PromptLibrary {
 public:
  // `languages.front()` is the default. Loads every WAV under <dir>/<language>/ now; a missing
  // directory is not an error (the prompts just are not there), a broken file is logged.
  PromptLibrary(std::string dir, std::vector<std::string> languages);

  std::shared_ptr<const media::player::Prompt> find(std::string_view name, std::string_view language) const;
  bool has(std::string_view name, std::string_view language) const { return find(name, language) != nullptr; }
  size_t size() const { return prompts_.size(); }

  // A playlist of the named prompts; a missing one is skipped (and logged once).
  std::vector<media::player::PlaylistItem> playlist(const std::vector<std::string>& names,
                                                    std::string_view language) const;

  // Prompt names that say a whole number: "number-0" .. "number-59", then "number-many".
  static std::vector<std::string> say_number(int n);

 private:
  std::string dir_;
  std::vector<std::string> languages_;
  std::map<std::string, std::shared_ptr<const media::player::Prompt>, std::less<>> prompts_;  // "<lang>/<name>"
  mutable std::set<std::string, std::less<>> reported_missing_;
};

}  // namespace sb::call
