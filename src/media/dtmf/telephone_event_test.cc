#include "media/dtmf/telephone_event.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace sb::media::dtmf {
namespace {

using ::testing::ElementsAre;

TEST(TelephoneEvent, EncodesEndBitVolumeAndDurationBigEndian) {
  // '5', E=1, volume 10, duration 800 = 0x0320: 0x05 | 1000 1010 | 0x03 0x20.
  EXPECT_THAT(encode_telephone_event({5, true, false, 10, 800}),
              ElementsAre(0x05, 0x8A, 0x03, 0x20));
}

TEST(TelephoneEvent, EncodesReservedBitAndMaximumFields) {
  EXPECT_THAT(encode_telephone_event({11, false, false, 63, 0xFFFF}),
              ElementsAre(0x0B, 0x3F, 0xFF, 0xFF));
  EXPECT_THAT(encode_telephone_event({1, false, true, 0, 160}),
              ElementsAre(0x01, 0x40, 0x00, 0xA0));
  EXPECT_THAT(encode_telephone_event({15, true, true, 7, 0x1234}),
              ElementsAre(0x0F, 0xC7, 0x12, 0x34));
}

TEST(TelephoneEvent, ClampsVolumeToSixBits) {
  EXPECT_THAT(encode_telephone_event({0, false, false, 200, 0}),
              ElementsAre(0x00, 0x3F, 0x00, 0x00));
}

TEST(TelephoneEvent, DecodesHandWrittenBlock) {
  const std::vector<std::uint8_t> bytes{0x0A, 0x8D, 0x01, 0x90};
  auto e = decode_telephone_event(bytes);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event, 10);
  EXPECT_TRUE(e->end);
  EXPECT_FALSE(e->reserved);
  EXPECT_EQ(e->volume, 13);
  EXPECT_EQ(e->duration, 400);
}

TEST(TelephoneEvent, RoundTripsSeveralBlocks) {
  const std::vector<TelephoneEvent> events{
      {1, true, false, 10, 800}, {2, false, false, 20, 320}, {12, false, true, 0, 65535}};
  const auto bytes = encode_telephone_events(events);
  EXPECT_THAT(bytes, ElementsAre(0x01, 0x8A, 0x03, 0x20, 0x02, 0x14, 0x01, 0x40, 0x0C, 0x40,
                                 0xFF, 0xFF));
  auto decoded = decode_telephone_events(bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, events);
}

TEST(TelephoneEvent, RejectsShortAndRaggedPayloads) {
  const std::vector<std::uint8_t> three{1, 2, 3};
  const std::vector<std::uint8_t> six{1, 2, 3, 4, 5, 6};
  EXPECT_FALSE(decode_telephone_event(three));
  EXPECT_FALSE(decode_telephone_events(three));
  EXPECT_FALSE(decode_telephone_events(six));
  EXPECT_FALSE(decode_telephone_events(std::span<const std::uint8_t>{}));
  EXPECT_TRUE(decode_telephone_event(six));  // the first block is whole
}

TEST(TelephoneEvent, MapsAllSixteenDtmfEvents) {
  const char kExpected[] = "0123456789*#ABCD";
  for (std::uint8_t code = 0; code < 16; ++code) {
    EXPECT_EQ(event_to_digit(code), kExpected[code]);
    EXPECT_EQ(digit_to_event(kExpected[code]), code);
  }
  EXPECT_EQ(digit_to_event('b'), 13);
  EXPECT_EQ(event_to_digit(16), std::nullopt);
  EXPECT_EQ(digit_to_event('E'), std::nullopt);
  EXPECT_EQ(digit_to_event(' '), std::nullopt);
}

}  // namespace
}  // namespace sb::media::dtmf
