// media/tone/tone_presets.h: the call-progress and DTMF tones a call center plays, as ToneSpecs.
// Only data: frequencies, levels and cadences; generation is ToneGenerator's job.
#pragma once

#include "common/result.h"
#include "media/tone/tone_generator.h"

namespace sb::media::tone::presets {

// Sources: ITU-T E.180 Supplement 2 (national tone plans); US levels from the North American
// "precise tone plan" (ANSI T1.401 / Telcordia GR-506); ETSI values from ETSI ES 201 970.
// Country plans vary; these are the common defaults, not every national variant.
ToneSpec dial_us();          // 350+440 Hz steady, -13 dBm0
ToneSpec dial_eu();          // 425 Hz steady, -13 dBm0
ToneSpec ringback_us();      // 440+480 Hz, 2 s on 4 s off, -19 dBm0
ToneSpec ringback_uk();      // 400+450 Hz, 0.4 on 0.2 off 0.4 on 2.0 off, -19 dBm0
ToneSpec ringback_eu();      // 425 Hz, 1 s on 4 s off, -13 dBm0
ToneSpec busy_us();          // 480+620 Hz, 0.5 on 0.5 off, -24 dBm0
ToneSpec busy_eu();          // 425 Hz, 0.5 on 0.5 off, -13 dBm0
ToneSpec congestion_us();    // "reorder": 480+620 Hz, 0.25 on 0.25 off, -24 dBm0
ToneSpec congestion_eu();    // 425 Hz, 0.25 on 0.25 off, -13 dBm0
ToneSpec call_waiting_us();  // 440 Hz, one 0.3 s beep, -13 dBm0
ToneSpec call_waiting_eu();  // 425 Hz, 0.2 on 0.2 off 0.2 on, once, -13 dBm0

// ITU-T Q.23 keypad frequencies: rows 697/770/852/941 Hz, columns 1209/1336/1477/1633 Hz.
// One press: `on_ms` of the pair, then `off_ms` of silence, not repeating. Q.24 asks for at
// least 40 ms of tone and 40 ms of pause; -10 dBm0 per frequency sits in Q.23's send range.
// Fails for a character that is not one of 0-9 * # A-D.
Result<ToneSpec> dtmf(char digit, int on_ms = 100, int off_ms = 100, double level_dbm0 = -10.0);

}  // namespace sb::media::tone::presets
