// common/result.cc: names of error codes, for logs and JSON error bodies.
#include "common/result.h"

namespace sb {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::Invalid: return "invalid";
    case ErrorCode::NotFound: return "not-found";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::Timeout: return "timeout";
    case ErrorCode::Io: return "io";
    case ErrorCode::Internal: return "internal";
  }
  return "invalid";
}

}  // namespace sb
