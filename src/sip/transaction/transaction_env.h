// sip/transaction/transaction_env.h: what the four transaction state machines share with the
// layer that owns them. Internal to sip/transaction/: the TU sees TransactionLayer only.
#pragma once

#include <functional>

#include "common/clock.h"
#include "common/timer_queue.h"
#include "sip/message.h"
#include "sip/transaction/token_generator.h"
#include "sip/transaction/transaction_config.h"
#include "sip/transaction/transaction_id.h"
#include "sip/transaction/transaction_stats.h"
#include "sip/transaction/transaction_user.h"
#include "sip/transaction/transport_sender.h"
#include "sip/transport/peer.h"

namespace sb::sip {

// Implemented by the layer. A transaction never frees itself: it reports that it ended, and the
// layer frees it once the outermost call (receive, respond, a timer...) returns, so no state
// machine is destroyed while one of its member functions, or a TU callback, is on the stack.
class TransactionHost {
 public:
  virtual ~TransactionHost() = default;
  virtual void ended(ServerTransactionId id) = 0;
  virtual void ended(ClientTransactionId id) = 0;
  // A client INVITE transaction wants its CANCEL sent as a transaction of its own (§9.1).
  virtual void send_cancel(const Message& invite, const Peer& to) = 0;
  // Bracket every entry from outside (a timer firing): freeing waits for the outermost leave().
  virtual void enter() = 0;
  virtual void leave() = 0;
};

struct TransactionEnv {
  const Clock& clock;
  TimerQueue& timers;
  TransportSender& sender;
  TransactionUser& tu;
  const TransactionConfig& config;
  TransactionStats& stats;
  TokenGenerator& tokens;
  TransactionHost& host;

  const TransactionTimers& rfc() const { return config.timers; }
  void send(const Peer& to, const Message& message) {
    ++stats.messages_sent;
    sender.send(to, message.bytes());
  }
};

// One named RFC timer of one transaction. Destroying or restarting it cancels what was pending,
// so a callback never outlives its transaction; a firing callback runs between host.enter() and
// host.leave().
class TxTimer {
 public:
  explicit TxTimer(TransactionEnv& env) : env_(env) {}
  ~TxTimer() { cancel(); }
  TxTimer(const TxTimer&) = delete;
  TxTimer& operator=(const TxTimer&) = delete;

  void start(Duration delay, std::function<void()> on_fire);
  void cancel();
  bool running() const { return id_ != 0 && env_.timers.pending(id_); }

 private:
  TransactionEnv& env_;
  TimerId id_ = 0;
};

}  // namespace sb::sip
