// sip/session/reliable_provisional.h: reliable provisional responses (RFC 3262, 100rel/PRACK),
// both sides, as pure bookkeeping. The UAS side numbers its reliable 1xx (RSeq), keeps the one
// not yet PRACKed, says when to retransmit it and matches the PRACK's RAck; the UAC side
// decides which reliable 1xx to PRACK (in order, once each) and builds the RAck. Timers and
// sending belong to the invite session.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "sip/message.h"

namespace sb::sip::session {

// "RAck: 776656 1 INVITE" (RFC 3262 §7.2): the RSeq and the CSeq it acknowledges.
struct RAck {
  uint32_t rseq = 0;
  uint32_t cseq = 0;
  Method method = Method::Unknown;
  std::string value() const;  // "776656 1 INVITE"
};
std::optional<RAck> parse_rack(std::string_view value);

// The message lists `option` ("100rel", "timer") in Supported or Require.
bool supports_option(const Message& message, std::string_view option);
bool requires_option(const Message& message, std::string_view option);
// The message's Allow lists `method` (RFC 3261 §20.5); false without an Allow.
bool allows_method(const Message& message, Method method);

// The UAS side, for one INVITE (RFC 3262 §3).
class ReliableSender {
 public:
  // `first_rseq`: RFC 3262 §3 wants it random in 1..2^31-1 (the session draws it).
  explicit ReliableSender(uint32_t first_rseq) : next_rseq_(first_rseq == 0 ? 1 : first_rseq) {}

  // Whether a reliable 1xx may be sent now: §3 allows one unacknowledged at a time.
  bool can_send() const { return !unacked_.has_value(); }
  // Records a reliable 1xx about to be sent for INVITE `cseq`; returns its RSeq value. The
  // caller adds "Require: 100rel" and "RSeq: <n>". `with_sdp`: it carries an offer or answer.
  uint32_t sent(uint32_t cseq, bool with_sdp, TimePoint now, Duration t1);
  // A PRACK came: true (answer 200) when its RAck names the unacknowledged 1xx, which stops
  // its retransmission; false for 481 (§3: a PRACK matching no unacknowledged 1xx).
  [[nodiscard]] bool prack_received(const RAck& rack);

  // Retransmission (§3): every T1, doubling, until 64*T1 after the first send.
  std::optional<TimePoint> next_retransmit() const;
  // The 1xx went out again at `now`; false once 64*T1 passed, when the UAS SHOULD reject the
  // INVITE with a 5xx (the caller does so).
  [[nodiscard]] bool retransmitted(TimePoint now);
  // §3: a 2xx must wait while an unacknowledged reliable 1xx carried a session description.
  bool final_2xx_must_wait() const { return unacked_ && unacked_->with_sdp; }
  bool has_unacked() const { return unacked_.has_value(); }

 private:
  struct Unacked {
    uint32_t rseq = 0;
    uint32_t cseq = 0;
    bool with_sdp = false;
    TimePoint first_sent{};
    TimePoint next{};
    Duration interval{};
    Duration give_up_after{};
  };
  uint32_t next_rseq_;
  std::optional<Unacked> unacked_;
};

// What the UAC does with a provisional response (RFC 3262 §4).
enum class ProvisionalKind : uint8_t {
  Unreliable,  // no Require: 100rel, or no usable RSeq: process, no PRACK
  Prack,       // the next one in order: process and PRACK it
  Duplicate,   // a retransmission of one already PRACKed: ignore
  OutOfOrder,  // RSeq skipped ahead: ignore, no PRACK (§4)
};

// The UAC side, for one early dialog (one To tag) of our INVITE.
class ReliableReceiver {
 public:
  ProvisionalKind classify(const Message& provisional);
  std::optional<uint32_t> last_rseq() const { return last_rseq_; }

 private:
  std::optional<uint32_t> last_rseq_;
};

}  // namespace sb::sip::session
