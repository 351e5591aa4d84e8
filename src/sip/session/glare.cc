// sip/session/glare.cc
#include "sip/session/glare.h"

namespace sb::sip::session {

Duration glare_retry_delay(bool we_own_call_id, uint64_t random) {
  using std::chrono::milliseconds;
  if (we_own_call_id) {
    return milliseconds(2100 + static_cast<int64_t>(random % 191) * 10);  // 2.10 .. 4.00 s
  }
  return milliseconds(static_cast<int64_t>(random % 201) * 10);  // 0 .. 2.00 s
}

}  // namespace sb::sip::session
