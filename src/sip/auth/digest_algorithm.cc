// sip/auth/digest_algorithm.cc: algorithm names.
#include "sip/auth/digest_algorithm.h"

#include "sip/ascii.h"

namespace sb::sip::auth {

std::string_view algorithm_name(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::Md5:
      return "MD5";
    case DigestAlgorithm::Sha256:
      return "SHA-256";
    case DigestAlgorithm::Sha512_256:
      return "SHA-512-256";
  }
  return "MD5";
}

std::optional<DigestAlgorithm> parse_algorithm(std::string_view name) {
  for (DigestAlgorithm a :
       {DigestAlgorithm::Md5, DigestAlgorithm::Sha256, DigestAlgorithm::Sha512_256}) {
    if (iequals(name, algorithm_name(a))) {
      return a;
    }
  }
  return std::nullopt;
}

int algorithm_strength(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::Md5:
      return 1;
    case DigestAlgorithm::Sha256:
      return 2;
    case DigestAlgorithm::Sha512_256:
      return 3;
  }
  return 0;
}

}  // namespace sb::sip::auth
