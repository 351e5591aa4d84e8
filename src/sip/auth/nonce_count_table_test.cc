// sip/auth/nonce_count_table_test.cc: nonce-count replay protection, bounded memory.
#include "sip/auth/nonce_count_table.h"

#include <gtest/gtest.h>

namespace sb::sip::auth {
namespace {

using namespace std::chrono_literals;

const TimePoint kT0 = TimePoint{} + 1'000'000s;
constexpr Duration kLife = 300s;

TEST(NonceCountTable, AcceptsIncreasingCountsAndRejectsRepeatsAndLowerOnes) {
  NonceCountTable table{16};
  EXPECT_EQ(table.record("n1", 1, kT0, kT0 + kLife, kT0), NonceCountVerdict::Accepted);
  EXPECT_EQ(table.record("n1", 1, kT0, kT0 + kLife, kT0), NonceCountVerdict::Replayed);
  EXPECT_EQ(table.record("n1", 3, kT0, kT0 + kLife, kT0), NonceCountVerdict::Accepted);
  EXPECT_EQ(table.record("n1", 2, kT0, kT0 + kLife, kT0), NonceCountVerdict::Replayed);
  // Another nonce has its own counts.
  EXPECT_EQ(table.record("n2", 1, kT0, kT0 + kLife, kT0), NonceCountVerdict::Accepted);
  EXPECT_EQ(table.record("n3", 0, kT0, kT0 + kLife, kT0), NonceCountVerdict::Replayed);
}

TEST(NonceCountTable, EntriesLeaveWhenTheirNonceExpires) {
  NonceCountTable table{16};
  table.record("n1", 1, kT0, kT0 + kLife, kT0);
  table.record("n2", 1, kT0 + 100s, kT0 + 100s + kLife, kT0 + 100s);
  EXPECT_EQ(table.size(), 2u);
  table.purge(kT0 + kLife);
  EXPECT_EQ(table.size(), 1u);
  table.purge(kT0 + 100s + kLife);
  EXPECT_EQ(table.size(), 0u);
}

TEST(NonceCountTable, WhenFullTheOldestIsForgottenAndNeverReplayable) {
  NonceCountTable table{2};
  table.record("old", 1, kT0, kT0 + kLife, kT0);
  table.record("mid", 1, kT0 + 1s, kT0 + 1s + kLife, kT0 + 1s);
  table.record("new", 1, kT0 + 2s, kT0 + 2s + kLife, kT0 + 2s);
  EXPECT_EQ(table.size(), 2u);
  // "old" was evicted: replaying its count 1 must not be accepted again.
  EXPECT_EQ(table.record("old", 1, kT0, kT0 + kLife, kT0 + 3s), NonceCountVerdict::Forgotten);
  EXPECT_EQ(table.record("old", 2, kT0, kT0 + kLife, kT0 + 3s), NonceCountVerdict::Forgotten);
  // Nonces issued later than the forgotten one are tracked normally.
  EXPECT_EQ(table.record("mid", 2, kT0 + 1s, kT0 + 1s + kLife, kT0 + 3s),
            NonceCountVerdict::Accepted);
}

}  // namespace
}  // namespace sb::sip::auth
