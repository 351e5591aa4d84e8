// media/tone/tone_presets.cc: the preset tables (sources in tone_presets.h).
#include "media/tone/tone_presets.h"

#include <cctype>
#include <string>

namespace sb::media::tone::presets {
namespace {

ToneSpec make(double f1, double f2, double level, std::vector<CadenceStep> cadence, bool repeat) {
  return ToneSpec{f1, f2, level, std::move(cadence), repeat};
}

}  // namespace

ToneSpec dial_us() { return make(350, 440, -13, {}, false); }
ToneSpec dial_eu() { return make(425, 0, -13, {}, false); }
ToneSpec ringback_us() { return make(440, 480, -19, {{2000, 4000}}, true); }
ToneSpec ringback_uk() { return make(400, 450, -19, {{400, 200}, {400, 2000}}, true); }
ToneSpec ringback_eu() { return make(425, 0, -13, {{1000, 4000}}, true); }
ToneSpec busy_us() { return make(480, 620, -24, {{500, 500}}, true); }
ToneSpec busy_eu() { return make(425, 0, -13, {{500, 500}}, true); }
ToneSpec congestion_us() { return make(480, 620, -24, {{250, 250}}, true); }
ToneSpec congestion_eu() { return make(425, 0, -13, {{250, 250}}, true); }
ToneSpec call_waiting_us() { return make(440, 0, -13, {{300, 0}}, false); }
ToneSpec call_waiting_eu() { return make(425, 0, -13, {{200, 200}, {200, 0}}, false); }

Result<ToneSpec> dtmf(char digit, int on_ms, int off_ms, double level_dbm0) {
  static constexpr char kKeys[] = "123A456B789C*0#D";  // row-major keypad layout
  static constexpr double kRows[] = {697, 770, 852, 941};
  static constexpr double kCols[] = {1209, 1336, 1477, 1633};
  const char key = static_cast<char>(std::toupper(static_cast<unsigned char>(digit)));
  for (int i = 0; i < 16; ++i) {
    if (kKeys[i] == key) {
      return validate(make(kRows[i / 4], kCols[i % 4], level_dbm0, {{on_ms, off_ms}}, false));
    }
  }
  return Error{std::string("not a DTMF digit: '") + digit + "'", "digit"};
}

}  // namespace sb::media::tone::presets
