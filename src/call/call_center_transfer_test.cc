// Transfers on fakes: blind (REFER) to a queue, an agent or a number through the trunk;
// attended (a consultation replaced, RFC 3891) to an agent, a queue or a number; a three-way
// call; every refused REFER; and callers who leave in the middle.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "call/call_center_test_support.h"

namespace sb::call::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class TransferOnFakes : public CallCenterOnFakes {
 protected:
  // A caller to support talking to alice (INVITE 0); bob is logged in when `with_bob`.
  Caller caller_with_alice(bool with_bob = true) {
    set_up();
    logged_in("alice", "1001");
    Caller caller = dials("+15550111");
    caller_interaction = last_event(events::EventKind::Arrived)->interaction_id;
    far_end_answers(0, 200);
    alice_endpoint = media.endpoints.rbegin()->first;
    if (with_bob) logged_in("bob", "1002");
    return caller;
  }
  uint64_t alice_refers(std::string_view refer_to) {
    return request_in(far_end_dialog(0), "REFER", fmt::format("Refer-To: {}\nReferred-By: <sip:1001@192.0.2.4>\n", refer_to));
  }
  // RFC 3891 in a Refer-To URI header (escaped, '@' too): the consultation as the center sees it.
  static std::string replaces_of(const Caller& consult) {
    std::string call_id;
    for (char c : consult.call_id) call_id += c == '@' ? std::string("%40") : std::string(1, c);
    return fmt::format("{}%3Bto-tag%3D{}%3Bfrom-tag%3D{}", call_id, consult.dialog.local_tag,
                       consult.dialog.remote_tag);
  }
  EndpointId alice_endpoint = media::engine::kNoEndpoint;
  std::string caller_interaction;
};

// call_center_integration: agent_blind_transfers_the_caller_to_agent_bob
TEST_F(TransferOnFakes, BlindToAgentBob) {
  Caller caller = caller_with_alice();
  EXPECT_EQ(last_status(alice_refers("<sip:bob@192.0.2.4>")), 202);
  EXPECT_EQ(stack.requests_of(sip::Method::Notify), 1u) << "alice hears the outcome";
  EXPECT_TRUE(hung_up(far_end_dialog(0)));
  ASSERT_EQ(stack.invites.size(), 2u);
  EXPECT_EQ(invite(1).request_uri, "sip:1002@192.0.2.12:5062");
  far_end_answers(1, 200);
  EXPECT_EQ(last_event(events::EventKind::Answered)->agent, "bob");
  EXPECT_TRUE(media.bridged(caller.endpoint, media.endpoints.rbegin()->first));
  EXPECT_TRUE(media.endpoints.at(alice_endpoint).destroyed);
  EXPECT_THAT(last_event(events::EventKind::Transferred)->data, HasSubstr("bob"));
}

// call_scenarios_integration: agent_blind_transfers_the_caller_to_an_outside_number
TEST_F(TransferOnFakes, BlindToAnOutsideNumberThroughTheTrunk) {
  with_trunk();
  Caller caller = caller_with_alice(false);
  EXPECT_EQ(last_status(alice_refers("<sip:+15559876543@192.0.2.4>")), 202);
  ASSERT_EQ(stack.invites.size(), 2u);
  EXPECT_EQ(invite(1).request_uri, "sip:+15559876543@carrier.example");
  EXPECT_EQ(invite(1).destination.remote.to_string(), "192.0.2.50:5060");
  EXPECT_TRUE(media.playing(caller.endpoint)) << "ringback while the number rings";
  far_end_answers(1, 200);
  EXPECT_TRUE(media.bridged(caller.endpoint, media.endpoints.rbegin()->first));
  far_end_hangs_up(1);
  EXPECT_TRUE(hung_up(caller.dialog));
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_EQ(media.alive(), 0u);
}

// call_center_integration: caller_who_hangs_up_during_a_transfer_leaves_nothing_behind
TEST_F(TransferOnFakes, ACallerWhoHangsUpDuringATransferLeavesNothingBehind) {
  with_trunk();
  Caller caller = caller_with_alice(false);
  alice_refers("<sip:+15559876543@192.0.2.4>");
  far_end_answers(1, 180);
  hangs_up(caller);
  EXPECT_TRUE(hung_up(far_end_dialog(1))) << "the number stops ringing";
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_EQ(media.alive(), 0u);
}

// call_scenarios_integration: every_refused_refer_leaves_the_caller_with_the_agent
TEST_F(TransferOnFakes, EveryRefusedReferLeavesTheCallerWithTheAgent) {
  Caller caller = caller_with_alice(false);
  const std::pair<std::string, int> refused[] = {
      {"sip:@192.0.2.4", 400},                          // no user part
      {"<sip:bob@192.0.2.4?Replaces=nodialog>", 400},  // Replaces without tags
      {"sip:nobody@192.0.2.4", 404},                    // no queue, agent or number
      {"sip:bob@192.0.2.4", 480},                       // bob is not logged in
      {"sip:+15559876543@192.0.2.4", 404},              // a number, but no trunk to dial it
  };
  for (const auto& [target, status] : refused) {
    EXPECT_EQ(last_status(alice_refers(target)), status) << target;
    EXPECT_TRUE(media.bridged(caller.endpoint, alice_endpoint)) << target;
    EXPECT_FALSE(hung_up(far_end_dialog(0))) << target;
  }
  EXPECT_EQ(stack.invites.size(), 1u);
}

// call_scenarios_integration: a_customers_refer_is_refused
TEST_F(TransferOnFakes, ACustomersReferIsRefused) {
  set_up();
  Caller caller = dials("+15550111");
  const uint64_t refer = request_in(caller.dialog, "REFER", "Refer-To: <sip:+15559876543@192.0.2.4>\n");
  EXPECT_GE(last_status(refer), 400);
  EXPECT_TRUE(stack.invites.empty());
  hangs_up(caller);
  EXPECT_THAT(interaction_events(), ElementsAre("arrived", "queued", "abandoned", "ended"));
}

// call_center_integration: agent_consults_bob_then_transfers_the_caller_to_him
TEST_F(TransferOnFakes, AttendedToBob) {
  Caller caller = caller_with_alice();
  // Alice's phone puts the caller on hold and calls bob: a consultation through the center.
  request_in(far_end_dialog(0), "INVITE", "", party_sdp("192.0.2.11", 50000, "sendonly"));
  EXPECT_TRUE(media.playing(caller.endpoint)) << "music on hold";
  Caller consult = phone_dials("1001", "bob");
  ASSERT_EQ(last_status(consult.tx), 200);
  ASSERT_EQ(stack.invites.size(), 2u);
  EXPECT_EQ(invite(1).request_uri, "sip:1002@192.0.2.12:5062");
  far_end_answers(1, 200);
  const EndpointId bob_endpoint = media.endpoints.rbegin()->first;
  // The REFER replaces the consultation (tags as the center sees that dialog).
  const std::string replaces = replaces_of(consult);
  EXPECT_EQ(last_status(alice_refers("<sip:bob@192.0.2.4?Replaces=" + replaces + ">")), 202);
  EXPECT_TRUE(hung_up(far_end_dialog(0))) << "alice leaves the caller";
  EXPECT_TRUE(hung_up(consult.dialog)) << "and the consultation";
  EXPECT_TRUE(media.bridged(caller.endpoint, bob_endpoint));
  EXPECT_FALSE(media.playing(caller.endpoint));
  const events::Event* answered = last_event(events::EventKind::Answered);
  EXPECT_EQ(answered->agent, "bob");
  EXPECT_EQ(answered->interaction_id, caller_interaction) << "the caller's interaction goes on";
  hangs_up(caller);
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_EQ(media.alive(), 0u);
}

// call_center_integration: agent_consults_the_sales_queue_then_transfers_the_caller
TEST_F(TransferOnFakes, AttendedToTheSalesQueue) {
  Caller caller = caller_with_alice();
  Caller consult = phone_dials("1001", "sales");
  ASSERT_EQ(last_status(consult.tx), 200);
  ASSERT_EQ(stack.invites.size(), 2u) << "sales offers bob the consultation";
  far_end_answers(1, 200);
  const std::string replaces = replaces_of(consult);
  EXPECT_EQ(last_status(alice_refers("<sip:sales@192.0.2.4?Replaces=" + replaces + ">")), 202);
  EXPECT_EQ(last_event(events::EventKind::Answered)->agent, "bob");
  hangs_up(caller);
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_EQ(media.alive(), 0u);
}

// An attended transfer whose consultation is not answered yet is refused; the caller stays.
TEST_F(TransferOnFakes, AnAttendedTransferBeforeTheConsultationAnswersIsRefused) {
  Caller caller = caller_with_alice();
  Caller consult = phone_dials("1001", "bob");
  far_end_answers(1, 180);
  const std::string replaces = replaces_of(consult);
  EXPECT_EQ(last_status(alice_refers("<sip:bob@192.0.2.4?Replaces=" + replaces + ">")), 480);
  EXPECT_FALSE(hung_up(far_end_dialog(0)));
  // Replacing a dialog that does not exist: 481.
  EXPECT_EQ(last_status(alice_refers("<sip:bob@192.0.2.4?Replaces=nope%3Bto-tag%3Da%3Bfrom-tag%3Db>")), 481);
  EXPECT_TRUE(media.bridged(caller.endpoint, alice_endpoint));
}

// call_center_integration: agent_consults_an_outside_number_then_transfers_the_caller_there
TEST_F(TransferOnFakes, AttendedToAnOutsideNumber) {
  with_trunk();
  Caller caller = caller_with_alice(false);
  Caller consult = phone_dials("1001", "+15559876543");
  ASSERT_EQ(stack.invites.size(), 2u);
  EXPECT_EQ(invite(1).request_uri, "sip:+15559876543@carrier.example");
  far_end_answers(1, 200);
  ASSERT_EQ(last_status(consult.tx), 200) << "alice's dial-out is answered when the number answers";
  const std::string replaces = replaces_of(consult);
  EXPECT_EQ(last_status(alice_refers("<sip:+15559876543@192.0.2.4?Replaces=" + replaces + ">")), 202);
  EXPECT_TRUE(hung_up(far_end_dialog(0)));
  far_end_hangs_up(1);
  EXPECT_TRUE(hung_up(caller.dialog));
  EXPECT_EQ(center->active_calls(), 0u);
  EXPECT_EQ(media.alive(), 0u);
}

// call_center_integration: agent_adds_an_outside_party_for_a_three_way_call
TEST_F(TransferOnFakes, AThreeWayCallWithAnOutsideParty) {
  with_trunk();
  Caller caller = caller_with_alice(false);
  keys(alice_endpoint, "*45559876543#");  // a national number: +1 555 987 6543
  ASSERT_EQ(stack.invites.size(), 2u);
  EXPECT_EQ(invite(1).request_uri, "sip:+15559876543@carrier.example");
  far_end_answers(1, 200);
  ASSERT_EQ(media.conferences.size(), 1u);
  EXPECT_EQ(media.conferences[0].size(), 3u);
  EXPECT_THAT(media.conferences[0], ::testing::Contains(caller.endpoint));
  EXPECT_THAT(media.conferences[0], ::testing::Contains(alice_endpoint));
  hangs_up(caller);
  EXPECT_TRUE(hung_up(far_end_dialog(0)));
  EXPECT_TRUE(hung_up(far_end_dialog(1)));
  EXPECT_EQ(media.alive(), 0u);
}

}  // namespace
}  // namespace sb::call::testing
