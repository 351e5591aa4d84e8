#include "sip/session/offer_answer.h"

#include <gtest/gtest.h>

namespace sb::sip::session {
namespace {

TEST(OfferAnswer, AnOfferInTheInviteIsAnsweredOnce) {
  OfferAnswer oa;
  EXPECT_EQ(oa.offer_received(Method::Invite, 1), OfferClash::None);
  EXPECT_EQ(oa.state(), OfferState::RemoteOffer);
  EXPECT_FALSE(oa.negotiated());
  EXPECT_TRUE(oa.answer_sent());
  EXPECT_TRUE(oa.is_idle());
  EXPECT_TRUE(oa.negotiated());
  EXPECT_FALSE(oa.answer_sent()) << "a second answer is out of turn";
}

TEST(OfferAnswer, OurOfferWhileTheirsIsUnansweredIsRefused) {
  OfferAnswer oa;
  ASSERT_EQ(oa.offer_received(Method::Update, 2), OfferClash::None);
  EXPECT_FALSE(oa.offer_sent(Method::Invite, 5));
  EXPECT_EQ(oa.state(), OfferState::RemoteOffer);
}

TEST(OfferAnswer, TheirOfferWhileOursIsOutstandingIsGlare) {
  OfferAnswer oa;
  ASSERT_TRUE(oa.offer_sent(Method::Invite, 2));
  EXPECT_EQ(oa.offer_received(Method::Invite, 7), OfferClash::Glare);
  EXPECT_EQ(oa.offer_received(Method::Update, 8), OfferClash::Glare);
  EXPECT_EQ(oa.state(), OfferState::LocalOffer);
  EXPECT_EQ(oa.carrier_cseq(), 2u);
}

TEST(OfferAnswer, ASecondOfferBeforeWeAnsweredTheFirstIsPending) {
  OfferAnswer oa;
  ASSERT_EQ(oa.offer_received(Method::Invite, 1), OfferClash::None);
  EXPECT_EQ(oa.offer_received(Method::Update, 2), OfferClash::Pending);
}

TEST(OfferAnswer, AFailedReInviteRollsItsOfferBackAndThePreviousSessionStands) {
  OfferAnswer oa;
  ASSERT_TRUE(oa.offer_sent(Method::Invite, 1));
  ASSERT_TRUE(oa.answer_received());
  ASSERT_TRUE(oa.offer_sent(Method::Invite, 2));
  oa.rolled_back(Method::Update, 2);
  EXPECT_EQ(oa.state(), OfferState::LocalOffer) << "another transaction rolls nothing back";
  oa.rolled_back(Method::Invite, 2);
  EXPECT_TRUE(oa.is_idle());
  EXPECT_TRUE(oa.negotiated());
  EXPECT_FALSE(oa.answer_received()) << "a late answer to the withdrawn offer is out of turn";
}

TEST(OfferAnswer, TheOfferInA2xxIsAnsweredInTheAck) {
  OfferAnswer oa;  // we sent an INVITE without a body; the 2xx offers
  EXPECT_EQ(oa.offer_received(Method::Invite, 1), OfferClash::None);
  EXPECT_EQ(oa.carrier(), Method::Invite);
  EXPECT_TRUE(oa.answer_sent());
}

TEST(OfferAnswer, StateNamesReadAsInTheRfc) {
  EXPECT_EQ(offer_state_name(OfferState::LocalOffer), "local-offer");
  EXPECT_EQ(offer_state_name(OfferState::RemoteOffer), "remote-offer");
}

}  // namespace
}  // namespace sb::sip::session
