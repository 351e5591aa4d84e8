// sip/auth/credentials.cc: Digest credentials to and from text.
#include "sip/auth/credentials.h"

#include "sip/ascii.h"
#include "sip/auth/quote.h"
#include "sip/parse/auth.h"

namespace sb::sip::auth {
namespace {

Error fail(std::string message) { return Error{std::move(message), "credentials"}; }

}  // namespace

sb::Result<DigestCredentials> parse_credentials(std::string_view value) {
  auto header = parse_auth(value);
  if (!header) {
    return header.error();
  }
  if (!iequals(header->scheme, "Digest")) {
    return fail("not Digest credentials");
  }
  const auto userhash = header->get("userhash");
  if (header->get("username*") || (userhash && !iequals(*userhash, "false"))) {
    return fail("username* and userhash are not supported");
  }
  DigestCredentials out;
  struct Required {
    std::string_view name;
    std::string* field;
  };
  for (const Required& r : {Required{"username", &out.username}, Required{"realm", &out.realm},
                            Required{"nonce", &out.nonce}, Required{"uri", &out.uri},
                            Required{"response", &out.response}}) {
    auto v = header->get(r.name);
    if (!v) {
      return fail("credentials without " + std::string(r.name));
    }
    *r.field = std::move(*v);
  }
  out.algorithm = header->get("algorithm");
  out.qop = header->get("qop");
  out.nc = header->get("nc");
  out.cnonce = header->get("cnonce");
  out.opaque = header->get("opaque");
  return out;
}

std::string format_credentials(const DigestCredentials& c) {
  std::string out = "Digest username=" + quote(c.username);
  out += ", realm=" + quote(c.realm);
  out += ", nonce=" + quote(c.nonce);
  out += ", uri=" + quote(c.uri);
  out += ", response=" + quote(c.response);
  if (c.algorithm) {
    out += ", algorithm=" + *c.algorithm;
  }
  if (c.qop) {
    out += ", qop=" + *c.qop;
  }
  if (c.nc) {
    out += ", nc=" + *c.nc;
  }
  if (c.cnonce) {
    out += ", cnonce=" + quote(*c.cnonce);
  }
  if (c.opaque) {
    out += ", opaque=" + quote(*c.opaque);
  }
  return out;
}

}  // namespace sb::sip::auth
