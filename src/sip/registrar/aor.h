// sip/registrar/aor.h: the address-of-record, the key of the location service (RFC 3261
// §10.3 step 5): "sip:user@host" from a To-URI, in one canonical spelling so that
// sips:Alice@PBX.example.com:5061;transport=tls and sip:Alice@pbx.example.com are one AOR.
#pragma once

#include <string>

#include "common/result.h"
#include "sip/parse/uri.h"

namespace sb::sip::registrar {

struct Aor {
  std::string text;  // "sip:alice@pbx.example.com": the location service key
  std::string user;  // unescaped ("alice"); case kept, user parts are case-sensitive
  std::string host;  // lowercase; IPv6 in brackets
};

// sip or sips URIs with a user part: scheme becomes sip, the user is unescaped (then
// re-escaped where the grammar requires it), the host lowercased; port, parameters and
// headers dropped. Fails for other schemes and for URIs without a user.
sb::Result<Aor> aor_from_uri(const Uri& uri);

}  // namespace sb::sip::registrar
