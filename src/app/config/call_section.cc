// app/config/call_section.cc: a queue's call handling keys (`recording`, `music_on_hold`,
// `callback_offer`, `callback_confirmed`) next to its routing keys, and the `store:` section.
#include <fmt/format.h>

#include "app/config/section.h"
#include "app/config/sections.h"

namespace sb::app {
namespace {

// A prompt list: one name or a list of names.
void read_prompts(YamlReader& reader, const Section& s, std::string_view key, std::vector<std::string>& out) {
  auto f = s.get(key);
  if (!f) return;
  if (f->node.IsScalar()) {
    if (auto name = reader.string(*f)) out = {*name};
    return;
  }
  if (auto items = reader.string_items(*f, false, "prompt")) {
    out.clear();
    for (auto& item : *items) out.push_back(item.name);
  }
}

}  // namespace

const std::vector<std::string_view>& queue_call_keys() {
  static const std::vector<std::string_view> keys = {"recording", "music_on_hold", "callback_offer",
                                                     "callback_confirmed"};
  return keys;
}

void read_queue_calls(YamlReader& reader, const Section& queue, QueueCallSettings& out) {
  read_prompts(reader, queue, "music_on_hold", out.music_on_hold);
  read_prompts(reader, queue, "callback_offer", out.callback_offer);
  read_prompts(reader, queue, "callback_confirmed", out.callback_confirmed);
  auto f = queue.get("recording");
  if (!f) return;
  // `recording: all` or `recording: {mode: sampled, percent: 20, consent: [recording-consent]}`.
  std::optional<Field> mode = f;
  std::optional<Section> s;
  if (f->node.IsMap()) {
    s = Section::open(reader, *f, {"mode", "percent", "consent"});
    if (!s) return;
    mode = s->require("mode");
  }
  if (mode) {
    if (auto text = reader.string(*mode)) {
      if (*text == "none" || *text == "all" || *text == "sampled") {
        out.recording = *text;
      } else {
        reader.error(*mode, fmt::format("unknown recording mode '{}' (none, all, sampled)", *text));
      }
    }
  }
  if (!s) return;
  s->read_int("percent", 0, 100, out.sample_percent);
  if (s->has("percent") && out.recording != "sampled") {
    reader.error(*s->get("percent"), "percent applies to mode: sampled");
  }
  read_prompts(reader, *s, "consent", out.consent);
}

void read_store(YamlReader& reader, const Field& field, StoreSettings& out) {
  auto s = Section::open(reader, field, {"path", "voicemail_dir"});
  if (!s) return;
  s->read_string("path", out.path);
  s->read_string("voicemail_dir", out.voicemail_dir);
  if (out.path.empty()) reader.error(*s->get("path"), "path must not be empty");
}

void read_admin(YamlReader& reader, const Field& field, AdminSettings& out) {
  auto s = Section::open(reader, field, {"socket"});
  if (!s) return;
  s->read_string("socket", out.socket);
  if (out.socket.empty()) reader.error(*s->get("socket"), "must not be empty");
  // sockaddr_un holds 107 bytes of path; a longer one could not be bound.
  if (out.socket.size() > 100) reader.error(*s->get("socket"), "longer than 100 characters: a Unix socket path cannot be");
}

}  // namespace sb::app
