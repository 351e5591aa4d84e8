#include "sip/error_status.h"

namespace sb::sip {

StatusLine status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::Invalid: return {400, "Bad Request"};
    case ErrorCode::NotFound: return {404, "Not Found"};
    case ErrorCode::Conflict: return {491, "Request Pending"};
    case ErrorCode::Unsupported: return {488, "Not Acceptable Here"};
    case ErrorCode::Unavailable: return {503, "Service Unavailable"};
    case ErrorCode::Timeout: return {408, "Request Timeout"};
    case ErrorCode::Io:
    case ErrorCode::Internal: break;
  }
  return {};
}

}  // namespace sb::sip
