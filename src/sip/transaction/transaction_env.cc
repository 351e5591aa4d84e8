// sip/transaction/transaction_env.cc
#include "sip/transaction/transaction_env.h"

#include <utility>

namespace sb::sip {

void TxTimer::start(Duration delay, std::function<void()> on_fire) {
  cancel();
  TransactionHost* host = &env_.host;
  id_ = env_.timers.schedule(env_.clock.now() + delay, [host, fire = std::move(on_fire)] {
    host->enter();
    fire();
    host->leave();
  });
}

void TxTimer::cancel() {
  if (id_ != 0) {
    env_.timers.cancel(id_);
    id_ = 0;
  }
}

}  // namespace sb::sip
