// sip/registrar/refusal.h: a REGISTER the registrar answers with an error: the status line,
// the headers the status needs (Min-Expires for 423), and the detail for the log.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sip/header_name.h"

namespace sb::sip::registrar {

struct Refusal {
  int status = 400;
  std::string reason_phrase;  // on the status line: short, standard where there is one
  std::string log_reason;     // what exactly was wrong, for the log and counters
  std::vector<std::pair<HeaderName, std::string>> headers;
};

}  // namespace sb::sip::registrar
