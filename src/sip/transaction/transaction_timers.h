// sip/transaction/transaction_timers.h: the RFC 3261 transaction timers (§17, Table 4), every
// one derived from T1, T2 and T4, so changing those three changes all of them consistently.
// Values only: scheduling is the state machines' business.
#pragma once

#include <algorithm>
#include <chrono>

#include "common/clock.h"

namespace sb::sip {

struct TransactionTimers {
  // Round-trip time estimate.
  Duration t1 = std::chrono::milliseconds(500);
  // Longest retransmit interval for non-INVITE requests and INVITE responses.
  Duration t2 = std::chrono::seconds(4);
  // Longest time a message lingers in the network.
  Duration t4 = std::chrono::seconds(5);

  // Retransmission intervals start at T1 (A: INVITE request, E: non-INVITE request, G: INVITE
  // final response); they run on unreliable transports only.
  Duration timer_a() const { return t1; }
  Duration timer_e() const { return t1; }
  Duration timer_g() const { return t1; }
  // E and G double up to T2 (§17.1.2.2, §17.2.1); A doubles without a cap (§17.1.1.2).
  Duration capped_backoff(Duration interval) const { return std::min<Duration>(2 * interval, t2); }

  // Giving up: B (INVITE client), F (non-INVITE client), H (waiting for the ACK).
  Duration timer_b() const { return 64 * t1; }
  Duration timer_f() const { return 64 * t1; }
  Duration timer_h() const { return 64 * t1; }

  // Lingering to absorb retransmissions; zero on reliable transports, where there are none.
  // D is "more than 32 s" for UDP: it must outlast the server's timer H, which is 64*T1, so a
  // larger T1 stretches it too.
  Duration timer_d(bool reliable) const {
    return reliable ? Duration::zero() : std::max<Duration>(std::chrono::seconds(32), 64 * t1);
  }
  Duration timer_i(bool reliable) const { return reliable ? Duration::zero() : t4; }
  Duration timer_j(bool reliable) const { return reliable ? Duration::zero() : 64 * t1; }
  Duration timer_k(bool reliable) const { return reliable ? Duration::zero() : t4; }

  // RFC 6026 §8.7, §8.4: how long an INVITE transaction stays in Accepted after a 2xx (server
  // L, client M), absorbing INVITE retransmissions and passing on retransmitted or forked 2xx.
  // The same 64*T1 bounds the UAS core's 2xx retransmission (RFC 3261 §13.3.1.4), so every
  // 2xx the TU sends again goes through the still-open server transaction.
  Duration timer_l() const { return 64 * t1; }
  Duration timer_m() const { return 64 * t1; }
  // RFC 3261 §9.1: a cancelled INVITE without a final response after this long is given up.
  Duration cancel_wait() const { return 64 * t1; }
};

}  // namespace sb::sip
