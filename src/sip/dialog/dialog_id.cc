// sip/dialog/dialog_id.cc
#include "sip/dialog/dialog_id.h"

namespace sb::sip {

sb::Result<DialogIdView> dialog_id_of_request(const Message& request) {
  const sb::Result<NameAddr>& to = request.to();
  if (!to) {
    return to.error();
  }
  const sb::Result<NameAddr>& from = request.from();
  if (!from) {
    return from.error();
  }
  return DialogIdView{request.call_id(), request.to_tag(), request.from_tag()};
}

sb::Result<DialogIdView> dialog_id_of_response(const Message& response) {
  const sb::Result<NameAddr>& from = response.from();
  if (!from) {
    return from.error();
  }
  const sb::Result<NameAddr>& to = response.to();
  if (!to) {
    return to.error();
  }
  return DialogIdView{response.call_id(), response.from_tag(), response.to_tag()};
}

}  // namespace sb::sip
