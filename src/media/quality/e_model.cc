// media/quality/e_model.cc: the G.107 formulas term by term, names as in the Recommendation so
// they can be checked against it line by line.
#include "media/quality/e_model.h"

#include <algorithm>
#include <cmath>

namespace sb::media::quality {
namespace {

// G.107 Table 3 defaults.
constexpr double kSlr = 8, kRlr = 2, kStmr = 15, kLstr = 18, kDs = 3, kTelr = 65, kWepl = 110;
constexpr double kQdu = 1, kNc = -70, kNfor = -64, kPs = 35, kPr = 35, kA = 0;
constexpr double kOlr = kSlr + kRlr;

double pow10(double x) { return std::pow(10.0, x); }

}  // namespace

double effective_equipment_impairment(double ie, double bpl, double ppl, double burst_r) {
  if (ppl <= 0) {
    return ie;  // also avoids 0/0 for a codec table entry with Bpl 0
  }
  return ie + (95 - ie) * ppl / (ppl / burst_r + bpl);
}

CodecImpairment codec_impairment(CodecKind codec) {
  switch (codec) {
    case CodecKind::G711: return {0, 25.1, 0};
    case CodecKind::G711NoPlc: return {0, 4.3, 0};
    case CodecKind::G722: return {0, 25.1, 1.5};
    case CodecKind::Opus: return {0, 25.1, 6.5};
  }
  return {0, 25.1, 0};
}

double mos_from_r(double r) {
  if (r < 0) {
    return 1;
  }
  if (r > 100) {
    return 4.5;
  }
  // The polynomial dips to 0.989 for 0 < R < 6.5; hold it at 1 so MOS stays on the 1..4.5
  // scale that dashboards and thresholds assume.
  return std::max(1.0, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
}

EModelResult e_model(const EModelInput& in) {
  const double t = in.ta_ms, ta = in.ta_ms, tr = 2 * in.ta_ms;
  EModelResult out;

  // Basic signal-to-noise ratio Ro.
  const double nfo = kNfor + kRlr;
  const double pre = kPr + 10 * std::log10(1 + pow10((10 - kLstr) / 10));
  const double nor = kRlr - 121 + pre + 0.008 * (pre - 35) * (pre - 35);
  const double nos = kPs - kSlr - kDs - 100 + 0.004 * std::pow(kPs - kOlr - kDs - 14, 2);
  const double no =
      10 * std::log10(pow10(kNc / 10) + pow10(nos / 10) + pow10(nor / 10) + pow10(nfo / 10));
  out.ro = 15 - 1.5 * (kSlr + no);

  // Simultaneous impairment factor Is = Iolr + Ist + Iq.
  const double xolr = kOlr + 0.2 * (64 + no - kRlr);
  const double iolr = 20 * (std::pow(1 + std::pow(xolr / 8, 8), 1.0 / 8) - xolr / 8);
  const double stmro = -10 * std::log10(pow10(-kStmr / 10) + std::exp(-t / 4) * pow10(-kTelr / 10));
  const double ist = 12 * std::pow(1 + std::pow((stmro - 13) / 6, 8), 1.0 / 8) -
                     28 * std::pow(1 + std::pow((stmro + 1) / 19.4, 35), 1.0 / 35) -
                     13 * std::pow(1 + std::pow((stmro - 3) / 33, 13), 1.0 / 13) + 29;
  const double q = 37 - 15 * std::log10(kQdu);
  const double g = 1.07 + 0.258 * q + 0.0602 * q * q;
  const double y = (out.ro - 100) / 15 + 46 / 8.4 - g / 9;
  const double z = 46.0 / 30 - g / 40;
  const double iq = 15 * std::log10(1 + pow10(y) + pow10(z));
  out.is = iolr + ist + iq;

  // Delay impairment factor Id = Idte + Idle + Idd. STMR is 15 dB (>= 9), so TERV needs
  // no sidetone correction.
  const double terv = kTelr - 40 * std::log10((1 + t / 10) / (1 + t / 150)) +
                      6 * std::exp(-0.3 * t * t);
  const double re = 80 + 2.5 * (terv - 14);
  const double roe = -1.5 * (no - kRlr);
  out.idte = ((roe - re) / 2 + std::sqrt((roe - re) * (roe - re) / 4 + 100) - 1) *
             (1 - std::exp(-t));
  const double rle = 10.5 * (kWepl + 7) * std::pow(tr + 1, -0.25);
  out.idle = (out.ro - rle) / 2 + std::sqrt((out.ro - rle) * (out.ro - rle) / 4 + 169);
  if (ta > 100) {
    const double x = std::log10(ta / 100) / std::log10(2.0);
    out.idd = 25 * (std::pow(1 + std::pow(x, 6), 1.0 / 6) -
                    3 * std::pow(1 + std::pow(x / 3, 6), 1.0 / 6) + 2);
  }
  out.id = out.idte + out.idle + out.idd;

  // Effective equipment impairment, then R and MOS.
  out.ie_eff = effective_equipment_impairment(in.ie, in.bpl, in.ppl, in.burst_r);
  out.r = out.ro - out.is - out.id - out.ie_eff + kA;
  out.mos = mos_from_r(out.r);
  return out;
}

}  // namespace sb::media::quality
