// common/address_filter_test.cc
#include "common/address_filter.h"

#include <gtest/gtest.h>

namespace sb {
namespace {

TEST(AddressFilter, NetworksAndHostsOfBothFamilies) {
  auto f = AddressFilter::parse({"203.0.113.0/24", "198.51.100.7", "2001:db8::/32", "10.0.0.0/9"});
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->allows("203.0.113.200"));
  EXPECT_FALSE(f->allows("203.0.114.1"));
  EXPECT_TRUE(f->allows("198.51.100.7"));
  EXPECT_FALSE(f->allows("198.51.100.8"));
  EXPECT_TRUE(f->allows("2001:db8:1::5"));
  EXPECT_FALSE(f->allows("2001:db9::1"));
  EXPECT_TRUE(f->allows("10.127.255.255"));
  EXPECT_FALSE(f->allows("10.128.0.0"));
  EXPECT_FALSE(f->allows("not an address"));
}

TEST(AddressFilter, BadEntriesAreNamed) {
  auto bad = AddressFilter::parse({"203.0.113.0/33"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where, "203.0.113.0/33");
  EXPECT_FALSE(AddressFilter::parse({"carrier.example"}));
  EXPECT_FALSE(AddressFilter::parse({"10.0.0.0/x"}));
  EXPECT_TRUE(AddressFilter::parse({})->empty());
}

}  // namespace
}  // namespace sb
