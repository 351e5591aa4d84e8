// sip/auth/credentials.h: Digest credentials, the value of Authorization or
// Proxy-Authorization (RFC 3261 §22.2, RFC 7616 §3.4), written by clients and read by servers.
// Syntax only: whether they are right is the authenticator's question.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sb::sip::auth {

struct DigestCredentials {
  std::string username;
  std::string realm;
  std::string nonce;
  std::string uri;                       // digest-uri: the Request-URI the client signed
  std::string response;                  // hex
  std::optional<std::string> algorithm;  // as written; absent means MD5 (RFC 2617 §3.2.2)
  std::optional<std::string> qop;        // "auth" when the client answered a qop challenge
  std::optional<std::string> nc;         // 8 hex digits, with qop
  std::optional<std::string> cnonce;     // with qop
  std::optional<std::string> opaque;     // echoed from the challenge
};

// Reads one value. Fails when the scheme is not Digest or username, realm, nonce, uri or
// response is missing; "username*" and userhash (RFC 7616 §3.4.4) are not supported.
sb::Result<DigestCredentials> parse_credentials(std::string_view value);

// RFC 7616 §3.4 layout: quoted username, realm, nonce, uri, response, cnonce, opaque;
// algorithm, qop and nc as tokens (some servers refuse a quoted qop or nc).
std::string format_credentials(const DigestCredentials& credentials);

}  // namespace sb::sip::auth
