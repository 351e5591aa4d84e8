// sip/session/offer_answer.cc: the offer/answer turn-taking of RFC 3264 and RFC 6337.
#include "sip/session/offer_answer.h"

namespace sb::sip::session {

std::string_view offer_state_name(OfferState state) {
  switch (state) {
    case OfferState::Idle: return "idle";
    case OfferState::LocalOffer: return "local-offer";
    case OfferState::RemoteOffer: return "remote-offer";
  }
  return "idle";
}

bool OfferAnswer::offer_sent(Method method, uint32_t cseq) {
  if (state_ != OfferState::Idle) {
    return false;
  }
  state_ = OfferState::LocalOffer;
  carrier_ = method;
  carrier_cseq_ = cseq;
  return true;
}

OfferClash OfferAnswer::offer_received(Method method, uint32_t cseq) {
  // RFC 3311 §5.2: an offer while ours is unanswered is glare (491); while theirs is still
  // unanswered, the UAS answers 500 with a Retry-After. A re-INVITE is treated alike (§14.2).
  if (state_ == OfferState::LocalOffer) {
    return OfferClash::Glare;
  }
  if (state_ == OfferState::RemoteOffer) {
    return OfferClash::Pending;
  }
  state_ = OfferState::RemoteOffer;
  carrier_ = method;
  carrier_cseq_ = cseq;
  return OfferClash::None;
}

bool OfferAnswer::answer_sent() { return complete(OfferState::RemoteOffer); }

bool OfferAnswer::answer_received() { return complete(OfferState::LocalOffer); }

bool OfferAnswer::complete(OfferState outstanding) {
  if (state_ != outstanding) {
    return false;
  }
  state_ = OfferState::Idle;
  negotiated_ = true;
  carrier_.reset();
  carrier_cseq_.reset();
  return true;
}

void OfferAnswer::rolled_back(Method method, uint32_t cseq) {
  if (state_ == OfferState::Idle || carrier_ != method || carrier_cseq_ != cseq) {
    return;
  }
  state_ = OfferState::Idle;
  carrier_.reset();
  carrier_cseq_.reset();
}

}  // namespace sb::sip::session
