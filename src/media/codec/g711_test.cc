// media/codec/g711_test.cc: G.711 against the values of the ITU tables and full round trips.
#include "media/codec/g711.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <vector>

namespace sb::media::codec {
namespace {

// G.711 Table 2a (µ-law): code (as transmitted) and decoder output, on the 16-bit scale
// (the table's values times 4).
TEST(G711Ulaw, DecodesReferenceCodes) {
  EXPECT_EQ(ulaw_to_linear(0xFF), 0);
  EXPECT_EQ(ulaw_to_linear(0x7F), 0);  // negative zero
  EXPECT_EQ(ulaw_to_linear(0x00), -32124);
  EXPECT_EQ(ulaw_to_linear(0x80), 32124);
  EXPECT_EQ(ulaw_to_linear(0xFE), 8);  // segment 0, step 8 (14-bit: 2)
  EXPECT_EQ(ulaw_to_linear(0x7E), -8);
  EXPECT_EQ(ulaw_to_linear(0xF0), 120);    // top of segment 0
  EXPECT_EQ(ulaw_to_linear(0xEF), 132);    // bottom of segment 1, step 16
  EXPECT_EQ(ulaw_to_linear(0xDF), 396);    // bottom of segment 2
  EXPECT_EQ(ulaw_to_linear(0x8F), 16764);  // bottom of segment 7, step 1024
}

TEST(G711Ulaw, EncodesReferenceValues) {
  EXPECT_EQ(linear_to_ulaw(0), 0xFF);
  EXPECT_EQ(linear_to_ulaw(-1), 0x7F);
  EXPECT_EQ(linear_to_ulaw(8), 0xFE);
  EXPECT_EQ(linear_to_ulaw(-8), 0x7E);
  EXPECT_EQ(linear_to_ulaw(32767), 0x80);  // overload clips to the largest code
  EXPECT_EQ(linear_to_ulaw(-32768), 0x00);
  EXPECT_EQ(linear_to_ulaw(32124), 0x80);
  EXPECT_EQ(linear_to_ulaw(1000), 0xCE);
}

// G.711 Table 1a (A-law), 16-bit scale (the table's 13-bit values times 8).
TEST(G711Alaw, DecodesReferenceCodes) {
  EXPECT_EQ(alaw_to_linear(0xD5), 8);
  EXPECT_EQ(alaw_to_linear(0x55), -8);
  EXPECT_EQ(alaw_to_linear(0xAA), 32256);
  EXPECT_EQ(alaw_to_linear(0x2A), -32256);
  EXPECT_EQ(alaw_to_linear(0xD4), 24);     // segment 0, step 16
  EXPECT_EQ(alaw_to_linear(0xC5), 264);    // bottom of segment 1, same step 16
  EXPECT_EQ(alaw_to_linear(0xF5), 528);    // bottom of segment 2, step 32
  EXPECT_EQ(alaw_to_linear(0xA5), 16896);  // bottom of segment 7, step 1024
}

TEST(G711Alaw, EncodesReferenceValues) {
  EXPECT_EQ(linear_to_alaw(0), 0xD5);
  EXPECT_EQ(linear_to_alaw(-1), 0x55);
  EXPECT_EQ(linear_to_alaw(15), 0xD5);
  EXPECT_EQ(linear_to_alaw(16), 0xD4);
  EXPECT_EQ(linear_to_alaw(32767), 0xAA);
  EXPECT_EQ(linear_to_alaw(-32768), 0x2A);
  EXPECT_EQ(linear_to_alaw(1000), 0xFA);
}

// The ITU-T G.191 software tools' ulaw_compress and alaw_compress, written out loop by loop as
// an independent model: 14-bit (µ) or 13-bit (A) magnitude by one's complement, segment by a
// search loop.
uint8_t reference_ulaw(int16_t x) {
  int absno = x < 0 ? ((~x) >> 2) + 33 : (x >> 2) + 33;
  if (absno > 0x1FFF) {
    absno = 0x1FFF;
  }
  int segno = 1;
  for (int i = absno >> 6; i != 0; i >>= 1) {
    ++segno;
  }
  const int high_nibble = 0x8 - segno;
  const int low_nibble = 0xF - ((absno >> segno) & 0xF);
  int out = (high_nibble << 4) | low_nibble;
  if (x >= 0) {
    out |= 0x80;
  }
  return static_cast<uint8_t>(out);
}

uint8_t reference_alaw(int16_t x) {
  int ix = x < 0 ? (~x) >> 4 : x >> 4;
  if (ix > 15) {
    int iexp = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      ++iexp;
    }
    ix -= 16;
    ix += iexp << 4;
  }
  if (x >= 0) {
    ix |= 0x80;
  }
  return static_cast<uint8_t>(ix ^ 0x55);
}

TEST(G711Ulaw, EncoderIsBitExactWithTheItuReference) {
  for (int x = -32768; x <= 32767; ++x) {
    ASSERT_EQ(linear_to_ulaw(static_cast<int16_t>(x)), reference_ulaw(static_cast<int16_t>(x)))
        << "sample " << x;
  }
  // Where one's complement matters: -4 is still the negative zero, +4 is not zero.
  EXPECT_EQ(linear_to_ulaw(4), 0xFE);
  EXPECT_EQ(linear_to_ulaw(-4), 0x7F);
  EXPECT_EQ(linear_to_ulaw(-5), 0x7E);
}

TEST(G711Alaw, EncoderIsBitExactWithTheItuReference) {
  for (int x = -32768; x <= 32767; ++x) {
    ASSERT_EQ(linear_to_alaw(static_cast<int16_t>(x)), reference_alaw(static_cast<int16_t>(x)))
        << "sample " << x;
  }
}

// Segment of a code: bits 4..6 after undoing the code's inversion.
int ulaw_segment(uint8_t code) { return ((~code) & 0x70) >> 4; }
int alaw_segment(uint8_t code) { return ((code ^ 0x55) & 0x70) >> 4; }

TEST(G711Ulaw, EveryCodeSurvivesDecodeThenEncode) {
  for (int c = 0; c < 256; ++c) {
    const auto code = static_cast<uint8_t>(c);
    const uint8_t want = code == 0x7F ? 0xFF : code;  // -0 encodes as +0
    EXPECT_EQ(linear_to_ulaw(ulaw_to_linear(code)), want) << "code " << c;
  }
}

TEST(G711Alaw, EveryCodeSurvivesDecodeThenEncode) {
  for (int c = 0; c < 256; ++c) {
    const auto code = static_cast<uint8_t>(c);
    EXPECT_EQ(linear_to_alaw(alaw_to_linear(code)), code) << "code " << c;
  }
}

// Every 16-bit sample decodes back to within half a quantisation step of its segment
// (µ-law step 2^(seg+3), A-law 16 in segments 0 and 1 and 2^(seg+3) above), except µ-law
// overload above 32635, which clips to ±32124.
TEST(G711Ulaw, EverySampleRoundTripsWithinHalfAStep) {
  for (int x = -32768; x <= 32767; ++x) {
    const uint8_t code = linear_to_ulaw(static_cast<int16_t>(x));
    const int y = ulaw_to_linear(code);
    if (std::abs(x) > 32635) {
      EXPECT_EQ(y, x > 0 ? 32124 : -32124) << x;
      continue;
    }
    const int half_step = 1 << (ulaw_segment(code) + 2);
    ASSERT_LE(std::abs(y - x), half_step) << "sample " << x << " code " << int{code};
    if (y != 0) {
      ASSERT_EQ(y < 0, x < 0) << x;  // the sign survives; -1..-4 become 0 (code 0x7F)
    }
  }
}

TEST(G711Alaw, EverySampleRoundTripsWithinHalfAStep) {
  for (int x = -32768; x <= 32767; ++x) {
    const uint8_t code = linear_to_alaw(static_cast<int16_t>(x));
    const int y = alaw_to_linear(code);
    const int seg = alaw_segment(code);
    const int half_step = seg <= 1 ? 8 : 1 << (seg + 2);
    ASSERT_LE(std::abs(y - x), half_step) << "sample " << x << " code " << int{code};
    ASSERT_EQ(y > 0, x >= 0) << x;  // A-law has no zero: -1 decodes to -8
  }
}

TEST(G711Ulaw, EncodingIsMonotonic) {
  int previous = ulaw_to_linear(linear_to_ulaw(-32768));
  for (int x = -32767; x <= 32767; ++x) {
    const int y = ulaw_to_linear(linear_to_ulaw(static_cast<int16_t>(x)));
    ASSERT_GE(y, previous) << x;
    previous = y;
  }
}

TEST(G711Alaw, EncodingIsMonotonic) {
  int previous = alaw_to_linear(linear_to_alaw(-32768));
  for (int x = -32767; x <= 32767; ++x) {
    const int y = alaw_to_linear(linear_to_alaw(static_cast<int16_t>(x)));
    ASSERT_GE(y, previous) << x;
    previous = y;
  }
}

TEST(G711, BufferFunctionsMatchTheSampleFunctions) {
  const std::vector<int16_t> pcm = {0, -1, 8, 1000, -1000, 32767, -32768, 12345};
  std::vector<uint8_t> u(pcm.size()), a(pcm.size());
  ASSERT_EQ(encode_ulaw(pcm, u), pcm.size());
  ASSERT_EQ(encode_alaw(pcm, a), pcm.size());
  std::vector<int16_t> ud(pcm.size()), ad(pcm.size());
  ASSERT_EQ(decode_ulaw(u, ud), pcm.size());
  ASSERT_EQ(decode_alaw(a, ad), pcm.size());
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    EXPECT_EQ(u[i], linear_to_ulaw(pcm[i]));
    EXPECT_EQ(a[i], linear_to_alaw(pcm[i]));
    EXPECT_EQ(ud[i], ulaw_to_linear(u[i]));
    EXPECT_EQ(ad[i], alaw_to_linear(a[i]));
  }
  EXPECT_EQ(u, (std::vector<uint8_t>{0xFF, 0x7F, 0xFE, 0xCE, 0x4E, 0x80, 0x00, 0x97}));
}

}  // namespace
}  // namespace sb::media::codec
