// sip/parse/parse_test_support.h: the two questions every parser test asks: "accepted, and
// what came out?" and "refused, and why?", each failing the test with the other answer.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace sb::sip::testing {

template <typename T>
T accepted(sb::Result<T> r, std::string_view text) {
  if (!r) {
    ADD_FAILURE() << "refused " << text << ": " << r.error().message;
    return T{};
  }
  return std::move(*r);
}

template <typename T>
std::string refusal(const sb::Result<T>& r, std::string_view text) {
  if (r) {
    ADD_FAILURE() << "accepted " << text;
    return "";
  }
  return r.error().message;
}

}  // namespace sb::sip::testing
