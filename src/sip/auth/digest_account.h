// sip/auth/digest_account.h: what the server knows about a user it authenticates: a password,
// or (so plain passwords need not be stored) H(user:realm:password) per algorithm.
#pragma once

#include <map>
#include <string>

#include "sip/auth/digest_algorithm.h"

namespace sb::sip::auth {

struct DigestAccount {
  std::string user;
  std::string password;  // empty when only precomputed HA1 values are known
  // Lowercase hex HA1 per algorithm, computed with the authenticator's realm. Takes precedence
  // over the password for that algorithm.
  std::map<DigestAlgorithm, std::string> ha1;
};

}  // namespace sb::sip::auth
