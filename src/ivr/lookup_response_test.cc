// ivr/lookup_response_test.cc: values picked out of a CRM's JSON answer, never throwing.
#include "ivr/lookup_response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sb::ivr {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(LookupResponse, PointersAndFieldNames) {
  auto r = read_lookup_response(
      R"({"tier": "gold", "n": 3, "ok": false, "a/b": "slash", "list": [10, {"x": "y"}],
          "nested": {"k": null}, "obj": {"z": 1}})",
      {{"t", "/tier"},
       {"n", "n"},
       {"ok", "/ok"},
       {"slash", "/a~1b"},
       {"second", "/list/1/x"},
       {"null", "/nested/k"},
       {"missing", "/nope/deeper"},
       {"past", "/list/7"},
       {"obj", "obj"}});
  ASSERT_TRUE(r);
  EXPECT_THAT(*r, ElementsAre(Pair("t", "gold"), Pair("n", "3"), Pair("ok", "false"),
                              Pair("slash", "slash"), Pair("second", "y"), Pair("null", ""),
                              Pair("missing", ""), Pair("past", ""), Pair("obj", R"({"z":1})")));
}

TEST(LookupResponse, NotJsonFailsAndOddShapesGiveEmptyValues) {
  EXPECT_FALSE(read_lookup_response("{\"tier\": ", {{"t", "tier"}}));
  EXPECT_FALSE(read_lookup_response("", {{"t", "tier"}}));
  auto array = read_lookup_response("[1, 2]", {{"t", "tier"}, {"first", "/0"}, {"bad", "/~2"}});
  ASSERT_TRUE(array);
  EXPECT_THAT(*array, ElementsAre(Pair("t", ""), Pair("first", "1"), Pair("bad", "")));
}

TEST(LookupResponse, RecognisesJsonPointers) {
  EXPECT_TRUE(is_json_pointer(""));
  EXPECT_TRUE(is_json_pointer("/a/b~0c~1d"));
  EXPECT_FALSE(is_json_pointer("a/b"));
  EXPECT_FALSE(is_json_pointer("/a~"));
  EXPECT_FALSE(is_json_pointer("/a~2"));
}

}  // namespace
}  // namespace sb::ivr
