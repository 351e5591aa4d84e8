// sip/auth/challenge.cc: Digest challenges to and from text.
#include "sip/auth/challenge.h"

#include <vector>

#include "sip/ascii.h"
#include "sip/auth/quote.h"
#include "sip/parse/auth.h"
#include "sip/parse/split.h"

namespace sb::sip::auth {
namespace {

Error fail(std::string message) { return Error{std::move(message), "challenge"}; }

}  // namespace

sb::Result<DigestChallenge> parse_challenge(std::string_view value) {
  auto header = parse_auth(value);
  if (!header) {
    return header.error();
  }
  if (!iequals(header->scheme, "Digest")) {
    return fail("not a Digest challenge");
  }
  DigestChallenge out;
  auto realm = header->get("realm");
  auto nonce = header->get("nonce");
  if (!realm || !nonce) {
    return fail(realm ? "challenge without nonce" : "challenge without realm");
  }
  out.realm = std::move(*realm);
  out.nonce = std::move(*nonce);
  out.opaque = header->get("opaque");
  if (auto algorithm = header->get("algorithm")) {
    out.algorithm_text = *algorithm;
    out.algorithm = parse_algorithm(*algorithm);
  } else {
    out.algorithm_text = "MD5";
  }
  if (auto qop = header->get("qop")) {
    out.has_qop = true;
    // RFC 7616 §3.3: qop is a quoted, comma-separated list of options.
    std::vector<std::string_view> options;
    split_comma_list(*qop, options);
    for (std::string_view option : options) {
      out.qop_auth = out.qop_auth || iequals(option, "auth");
    }
  }
  if (auto stale = header->get("stale")) {
    out.stale = iequals(*stale, "true");
  }
  return out;
}

std::string format_challenge(const DigestChallenge& challenge) {
  std::string out = "Digest realm=" + quote(challenge.realm);
  out += ", nonce=" + quote(challenge.nonce);
  if (challenge.opaque) {
    out += ", opaque=" + quote(*challenge.opaque);
  }
  if (challenge.algorithm) {
    out += ", algorithm=";
    out += algorithm_name(*challenge.algorithm);
  }
  if (challenge.qop_auth) {
    out += ", qop=\"auth\"";
  }
  if (challenge.stale) {
    out += ", stale=TRUE";
  }
  return out;
}

}  // namespace sb::sip::auth
