#include "common/result.h"

#include <gtest/gtest.h>

namespace sb {
namespace {

Result<void> must_be_positive(int n) {
  if (n <= 0) {
    return Error{"must be positive", "n", ErrorCode::Invalid};
  }
  return {};
}

TEST(Result, VoidSucceedsByDefaultAndCarriesTheErrorOtherwise) {
  EXPECT_TRUE(must_be_positive(1));
  const Result<void> r = must_be_positive(0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().to_string(), "n: must be positive");
  EXPECT_EQ(r.error().code, ErrorCode::Invalid);
}

TEST(Result, AnErrorWithoutACodeIsInvalidInput) {
  const Result<int> r = Error{"bad"};
  EXPECT_EQ(r.error().code, ErrorCode::Invalid);
  EXPECT_EQ(error_code_name(ErrorCode::NotFound), "not-found");
}

}  // namespace
}  // namespace sb
