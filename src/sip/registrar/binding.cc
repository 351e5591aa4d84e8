// sip/registrar/binding.cc
#include "sip/registrar/binding.h"

#include "sip/parse/uri.h"

namespace sb::sip::registrar {

bool same_contact(std::string_view a, std::string_view b) {
  if (a == b) {
    return true;
  }
  auto ua = parse_uri(a);
  auto ub = parse_uri(b);
  return ua && ub && uri_equivalent(*ua, *ub);
}

}  // namespace sb::sip::registrar
