// sip/session/offer_answer.h: who owes an answer in an INVITE dialog (RFC 3264 §4, RFC 6337 §2).
// One offer may be outstanding at a time, in either direction; an offer is answered in the
// transaction that carried it (INVITE and its 2xx, or reliable 1xx, or ACK; a reliable 1xx and
// its PRACK; PRACK and its 2xx; UPDATE and its 2xx), and a failed re-INVITE or UPDATE rolls the
// offer back, leaving the session as it was (RFC 3261 §14.1, RFC 3311 §5.1). Pure: the bodies
// stay opaque here; this only counts who spoke.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sip/method.h"

namespace sb::sip::session {

enum class OfferState : uint8_t {
  Idle,         // no offer outstanding: either side may offer
  LocalOffer,   // we offered and wait for the answer
  RemoteOffer,  // they offered and we owe the answer
};

std::string_view offer_state_name(OfferState state);

// Why a received offer cannot be taken now, and what to answer the request that carried it.
enum class OfferClash : uint8_t {
  None,
  Glare,    // we have an offer of our own outstanding: 491 Request Pending (RFC 3261 §14.2,
            // RFC 3311 §5.2)
  Pending,  // they already have one waiting for our answer: 500 with Retry-After (RFC 3311 §5.2)
};

class OfferAnswer {
 public:
  OfferState state() const { return state_; }
  bool is_idle() const { return state_ == OfferState::Idle; }
  // At least one offer was answered: there is a session description to go back to.
  bool negotiated() const { return negotiated_; }
  // The request (method and CSeq) whose transaction carries the outstanding offer.
  std::optional<Method> carrier() const { return carrier_; }
  std::optional<uint32_t> carrier_cseq() const { return carrier_cseq_; }

  // We send an offer in `method` with CSeq `cseq`: false, changing nothing, unless idle.
  [[nodiscard]] bool offer_sent(Method method, uint32_t cseq);
  // An offer arrived in request `method`/`cseq` (or in a response to one of ours: `method` is
  // then our request's). Taken only when idle; otherwise says what clashed.
  [[nodiscard]] OfferClash offer_received(Method method, uint32_t cseq);
  // We answered their offer / they answered ours: false, changing nothing, when no such offer
  // is outstanding (an answer out of turn is the peer's bug or ours, never a new offer).
  [[nodiscard]] bool answer_sent();
  [[nodiscard]] bool answer_received();
  // The transaction `method`/`cseq` ended without the exchange completing (a non-2xx final
  // response to a re-INVITE or UPDATE carrying the offer, a CANCEL, a timeout): the offer is
  // withdrawn and the previous description stands. No effect for another transaction.
  void rolled_back(Method method, uint32_t cseq);

 private:
  // The exchange whose offer was `outstanding` is complete: false when none was.
  bool complete(OfferState outstanding);

  OfferState state_ = OfferState::Idle;
  bool negotiated_ = false;
  std::optional<Method> carrier_;
  std::optional<uint32_t> carrier_cseq_;
};

}  // namespace sb::sip::session
