// call/prompt_library.cc
#include "call/prompt_library.h"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace sb::call {

namespace fs = std::filesystem;

PromptLibrary::PromptLibrary(std::string dir, std::vector<std::string> languages)
    : dir_(std::move(dir)), languages_(std::move(languages)) {
  if (languages_.empty()) languages_.push_back("en");
  for (const std::string& language : languages_) {
    std::error_code ec;
    const fs::path folder = fs::path(dir_) / language;
    if (!fs::is_directory(folder, ec)) {
      spdlog::warn("prompts: no folder {} for language {}", folder.string(), language);
      continue;
    }
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      if (entry.path().extension() != ".wav") continue;
      auto prompt = media::player::Prompt::load(entry.path().string());
      if (!prompt) {
        spdlog::warn("prompts: {}", prompt.error().to_string());
        continue;
      }
      prompts_[language + "/" + entry.path().stem().string()] =
          std::make_shared<const media::player::Prompt>(std::move(*prompt));
    }
  }
}

std::shared_ptr<const media::player::Prompt> PromptLibrary::find(std::string_view name, std::string_view language) const {
  for (std::string_view lang : {language, std::string_view(languages_.front())}) {
    std::string key(lang);
    key += '/';
    key += name;
    if (auto it = prompts_.find(key); it != prompts_.end()) return it->second;
  }
  return nullptr;
}

std::vector<media::player::PlaylistItem> PromptLibrary::playlist(const std::vector<std::string>& names,
                                                                 std::string_view language) const {
  std::vector<media::player::PlaylistItem> items;
  for (const std::string& name : names) {
    if (auto prompt = find(name, language)) {
      items.push_back(media::player::PromptItem{std::move(prompt)});
    } else if (reported_missing_.insert(std::string(language) + "/" + name).second) {
      spdlog::warn("prompts: no prompt '{}' in {} or {}", name, language, languages_.front());
    }
  }
  return items;
}

std::vector<std::string> PromptLibrary::say_number(int n) {
  if (n < 0) n = 0;
  if (n >= 60) return {"number-many"};
  return {"number-" + std::to_string(n)};
}

}  // namespace sb::call
