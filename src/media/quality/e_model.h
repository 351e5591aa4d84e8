// media/quality/e_model.h: the ITU-T G.107 E-model (narrowband, 3.1 kHz handset telephony):
// the transmission rating R from delay, loss and codec, and its MOS estimate (Annex B). Not
// here: the wideband E-model (G.107.1), measuring anything; inputs come as numbers.
#pragma once

namespace sb::media::quality {

// The inputs we vary. Every other G.107 parameter is at its Table 3 default (SLR 8, RLR 2,
// STMR 15, LSTR 18, Ds = Dr = 3, TELR 65 dB, WEPL 110 dB, qdu 1, Nc -70 dBm0p, Nfor -64 dBmp,
// Ps = Pr = 35 dB(A), A 0). The defaults of this struct are G.107's too.
struct EModelInput {
  double ie = 0;       // equipment impairment factor of the codec
  double bpl = 1;      // packet-loss robustness factor of the codec
  double ppl = 0;      // packet loss, percent
  double burst_r = 1;  // burst ratio: 1 for random loss, > 1 for bursty loss
  // One-way mouth-to-ear delay in ms. Used as Ta and T (echo path delay), and Tr = 2 Ta: the
  // G.107 convention when the echo comes from the far end with default echo loss.
  double ta_ms = 0;
};

// R and the parts it is made of, for logs and tests.
struct EModelResult {
  double ro = 0;      // basic signal-to-noise ratio
  double is = 0;      // simultaneous impairments (loudness, sidetone, quantisation)
  double idte = 0;    // talker echo
  double idle = 0;    // listener echo
  double idd = 0;     // absolute delay
  double id = 0;      // idte + idle + idd
  double ie_eff = 0;  // effective equipment impairment (codec + loss)
  double r = 0;       // ro - is - id - ie_eff + A, A = 0
  double mos = 0;     // mos_from_r(r)
};

EModelResult e_model(const EModelInput& input);

// The codecs we carry, for the codec table below.
enum class CodecKind { G711, G711NoPlc, G722, Opus };

// A codec's E-model parameters and its algorithmic delay beyond the frame.
struct CodecImpairment {
  double ie = 0;
  double bpl = 0;
  double lookahead_ms = 0;
};

// ITU-T G.113 Appendix I values where G.113 has them:
// - G.711 (PCMU/PCMA): Ie 0; Bpl 25.1 with packet loss concealment (G.711 Appendix I), 4.3
//   without (G711NoPlc: use it while the G.711 path has no PLC, see codec/g711.h). No
//   look-ahead.
// - G.722: G.113 only rates it on the wideband scale (G.107.1). Our model is narrowband, where a
//   wideband codec is at least as good as G.711, so Ie 0 and Bpl 25.1 as G.711 with PLC (the
//   jitter buffer conceals its losses the same way). Look-ahead 1.5 ms: the QMF analysis and
//   synthesis filters' group delay, 23 samples at 16 kHz.
// - Opus: not in G.113 Appendix I. Same reasoning: Ie 0, Bpl 25.1 (its own PLC; in-band FEC is
//   not credited, so loss is rated pessimistically when FEC is on). Look-ahead 6.5 ms, what
//   libopus reports for OPUS_APPLICATION_VOIP (2.5 ms CELT + 4 ms SILK delay compensation).
CodecImpairment codec_impairment(CodecKind codec);

// G.107: Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl).
double effective_equipment_impairment(double ie, double bpl, double ppl, double burst_r);
// G.107 Annex B: 1 for R < 0, 4.5 for R > 100, else 1 + 0.035R + R(R-60)(100-R)7e-6, held
// at 1 where that polynomial dips just below 1 (0 < R < 6.5).
double mos_from_r(double r);

}  // namespace sb::media::quality
