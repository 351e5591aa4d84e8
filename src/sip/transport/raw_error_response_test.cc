#include <gtest/gtest.h>

#include "sip/message_parser.h"
#include "sip/transport/transport_layer.h"

namespace sb::sip {
namespace {

TEST(RawErrorResponse, CopiesTheHeadersAResponseNeedsEvenInCompactForm) {
  std::string raw =
      "INVITE sip:x@y SIP/2.0\r\nv: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\r\n"
      "f: <sip:a@b>;tag=9\r\nt: <sip:x@y>\r\ni: abc\r\nCSeq: 1 INVITE\r\nContent-Length: banana\r\n\r\nbody";
  auto response = raw_error_response(raw, 400, "Bad Content-Length");
  ASSERT_TRUE(response);
  EXPECT_EQ(*response,
            "SIP/2.0 400 Bad Content-Length\r\n"
            "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\r\n"
            "From: <sip:a@b>;tag=9\r\nTo: <sip:x@y>;tag=sb-err\r\nCall-ID: abc\r\nCSeq: 1 INVITE\r\n"
            "Content-Length: 0\r\n\r\n");
  // And it is itself a valid SIP response.
  EXPECT_TRUE(std::holds_alternative<Message>(MessageParser().parse(*response)));
}

TEST(RawErrorResponse, NoViaNoAnswer) {
  EXPECT_FALSE(raw_error_response("INVITE sip:x@y SIP/2.0\r\nFrom: a\r\n\r\n", 400, "Missing Via"));
  EXPECT_FALSE(raw_error_response("", 400, "x"));
  EXPECT_FALSE(raw_error_response("\n\n\n:::\n", 400, "x"));
}

TEST(RawErrorResponse, KeepsAnExistingToTagAndSkipsControlCharacters) {
  auto response = raw_error_response(
      "BYE sip:x@y SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nTo: <sip:x@y>;tag=abc\nCall-ID: a\x01" "b\n\n", 400, "x");
  ASSERT_TRUE(response);
  EXPECT_NE(response->find("To: <sip:x@y>;tag=abc\r\n"), std::string::npos);
  EXPECT_EQ(response->find("Call-ID"), std::string::npos);
}

}  // namespace
}  // namespace sb::sip
