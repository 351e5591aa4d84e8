// media/quality/e_model_test.cc: G.107's published default rating, known Ie,eff points, the
// Annex B MOS mapping, and the shape of R over loss and delay.
#include "media/quality/e_model.h"

#include <gtest/gtest.h>

namespace sb::media::quality {
namespace {

TEST(EModel, DefaultsGiveTheRatingG107States) {
  const EModelResult e = e_model(EModelInput{});
  // G.107: "the default values ... give R = 93.2" (Ro 94.77, Is 1.41, Id 0.15 as usually quoted).
  EXPECT_NEAR(e.r, 93.2, 0.05);
  EXPECT_NEAR(e.ro, 94.77, 0.05);
  EXPECT_NEAR(e.is, 1.41, 0.05);
  EXPECT_NEAR(e.id, 0.15, 0.05);
  EXPECT_EQ(e.idte, 0);  // T = 0: no talker echo term
  EXPECT_EQ(e.idd, 0);
  EXPECT_EQ(e.ie_eff, 0);
  EXPECT_NEAR(e.mos, 4.41, 0.01);
}

TEST(EModel, MosFromR) {
  EXPECT_NEAR(mos_from_r(93.2), 4.41, 0.005);
  EXPECT_DOUBLE_EQ(mos_from_r(-5), 1);
  EXPECT_DOUBLE_EQ(mos_from_r(0), 1);
  EXPECT_DOUBLE_EQ(mos_from_r(3), 1);  // the raw polynomial gives 0.989 here
  EXPECT_DOUBLE_EQ(mos_from_r(100), 4.5);
  EXPECT_DOUBLE_EQ(mos_from_r(120), 4.5);
  EXPECT_NEAR(mos_from_r(50), 2.58, 0.005);  // 1 + 1.75 + 50*(-10)*50*7e-6
  EXPECT_NEAR(mos_from_r(80), 4.02, 0.005);  // the "satisfied" threshold in G.109
  double previous = 0;
  for (double r = 0; r <= 100; r += 0.5) {  // monotonic over the whole range
    EXPECT_GE(mos_from_r(r), previous) << r;
    previous = mos_from_r(r);
  }
}

TEST(EModel, EffectiveEquipmentImpairment) {
  // G.711 with PLC (Bpl 25.1) at 2 % random loss: 95 * 2 / 27.1.
  EXPECT_NEAR(effective_equipment_impairment(0, 25.1, 2, 1), 7.01, 0.01);
  EXPECT_DOUBLE_EQ(effective_equipment_impairment(0, 25.1, 0, 1), 0);
  EXPECT_DOUBLE_EQ(effective_equipment_impairment(11, 19, 0, 1), 11);
  // Without PLC the same loss hurts far more.
  EXPECT_NEAR(effective_equipment_impairment(0, 4.3, 2, 1), 30.16, 0.01);
  // Bursty loss hurts more than random loss of the same rate.
  EXPECT_GT(effective_equipment_impairment(0, 25.1, 5, 2),
            effective_equipment_impairment(0, 25.1, 5, 1));
  // 100 % loss is as bad as it gets: Ie,eff -> 95 for BurstR 1 and Ppl >> Bpl.
  EXPECT_NEAR(effective_equipment_impairment(0, 25.1, 100, 1), 75.9, 0.1);
}

TEST(EModel, G711KnownPoints) {
  const CodecImpairment g711 = codec_impairment(CodecKind::G711);
  EXPECT_NEAR(e_model({g711.ie, g711.bpl, 0, 1, 0}).r, 93.2, 0.05);
  const EModelResult lossy = e_model({g711.ie, g711.bpl, 2, 1, 0});
  EXPECT_NEAR(lossy.ie_eff, 7.01, 0.01);
  EXPECT_NEAR(lossy.r, 93.2 - 7.01, 0.06);
}

TEST(EModel, RFallsWithLoss) {
  for (CodecKind codec : {CodecKind::G711, CodecKind::G711NoPlc, CodecKind::G722,
                          CodecKind::Opus}) {
    const CodecImpairment c = codec_impairment(codec);
    double previous = 1000;
    for (double ppl = 0; ppl <= 30; ppl += 0.5) {
      const double r = e_model({c.ie, c.bpl, ppl, 1, 50}).r;
      EXPECT_LT(r, previous) << ppl;
      previous = r;
    }
  }
}

TEST(EModel, RFallsWithDelay) {
  double previous = 1000;
  for (double ta = 0; ta <= 800; ta += 10) {
    const EModelResult e = e_model({0, 25.1, 0, 1, ta});
    EXPECT_LT(e.r, previous) << ta;
    EXPECT_EQ(e.idd > 0, ta > 100) << ta;  // absolute delay counts only above 100 ms
    previous = e.r;
  }
  // G.114's planning guide: up to 150 ms one way most applications are barely affected; by
  // 400 ms users are dissatisfied.
  EXPECT_GT(e_model({0, 25.1, 0, 1, 150}).r, 85);
  EXPECT_LT(e_model({0, 25.1, 0, 1, 400}).r, 75);
}

TEST(EModel, MosClampsAtTheEnds) {
  // Terrible loss and delay: R below 0 maps to MOS 1.
  const EModelResult awful = e_model({0, 4.3, 60, 4, 1500});
  EXPECT_LT(awful.r, 0);
  EXPECT_DOUBLE_EQ(awful.mos, 1);
  EXPECT_LE(e_model({}).mos, 4.5);
}

}  // namespace
}  // namespace sb::media::quality
