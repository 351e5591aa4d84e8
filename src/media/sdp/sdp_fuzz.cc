// media/sdp/sdp_fuzz.cc: libFuzzer target for the SDP parser, serializer and answer builder,
// and the other text that arrives with calls: SDES key-params from a=crypto (srtp_keys) and
// DTMF in SIP INFO bodies. Checks that serialize() round-trips whatever parse() accepts, that
// answering any parsed offer keeps RFC 3264's m-line invariants, and that an accepted SRTP key
// formats back to what parses to it. Any violation aborts so the fuzzer reports it.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "media/dtmf/sip_info_dtmf.h"
#include "media/sdp/attributes.h"
#include "media/sdp/offer_answer.h"
#include "media/sdp/session_description.h"
#include "media/srtp/srtp_keys.h"

namespace {

using namespace sb::media::sdp;

void check_at(bool ok, int line) {
  if (!ok) {
    std::fprintf(stderr, "sdp_fuzz.cc:%d: check failed\n", line);
    std::abort();
  }
}
#define check(ok) check_at((ok), __LINE__)

const LocalCapabilities& caps() {
  static const LocalCapabilities c = [] {
    LocalCapabilities l;
    l.codecs = {{"PCMU", 8000, 1, 0, ""},
                {"PCMA", 8000, 1, 8, ""},
                {"opus", 48000, 2, std::nullopt, "useinbandfec=1"},
                {"G722", 8000, 1, 9, ""}};
    l.protos = {"RTP/AVP", "RTP/SAVP", "RTP/AVPF", "RTP/SAVPF"};
    l.accept_srtp = true;
    return l;
  }();
  return c;
}

LocalEndpoint local() {
  LocalEndpoint l;
  l.address = Connection{"IN", "IP4", "192.0.2.10"};
  l.rtp_port = 4000;
  l.srtp_inline_key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
  return l;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto type : {"application/dtmf-relay", "application/dtmf"}) {
    if (auto d = sb::media::dtmf::parse_info_dtmf(type, text)) check(d->digit != '\0' && d->duration_ms > 0);
  }
  auto sdp = parse(text);
  if (!sdp) {
    check(!sdp.error().message.empty() && sdp.error().where.rfind("line ", 0) == 0);
    return 0;
  }
  std::string out = serialize(*sdp);
  auto again = parse(out);
  check(again.has_value());
  check(*again == *sdp);
  check(serialize(*again) == out);

  // Typed readers must not crash on anything the parser let through.
  for (const auto& m : sdp->media) {
    (void)codecs(m);
    (void)telephone_events(m);
    (void)cryptos(m);
    (void)rtcp(m);
    (void)ptime_ms(m);
    (void)maxptime_ms(m);
    (void)direction(*sdp, m);
    (void)effective_direction(*sdp, m);
    for (const auto& a : m.attributes) {
      if (a.value) {
        if (auto f = parse_fmtp(*a.value)) {
          if (auto events = parse_event_list(f->parameters)) {
            auto text_events = format_event_list(*events);
            check(parse_event_list(text_events) == events);
          }
        }
        if (auto map = parse_rtpmap(*a.value)) {
          check(parse_rtpmap(format_rtpmap(*map)) == map);
        }
        if (auto c = parse_crypto(*a.value)) {
          check(parse_crypto(format_crypto(*c)) == c);
          if (auto key = sb::media::srtp::key_from_crypto(*c)) {
            auto again_key = sb::media::srtp::parse_key_params(key->suite, sb::media::srtp::format_key_params(*key));
            check(again_key.has_value() && *again_key == *key);
          }
        }
      }
    }
  }

  auto answer = build_answer(*sdp, caps(), local());
  if (!answer) {
    check(sdp->media.empty());
    return 0;
  }
  check(answer->media.size() == sdp->media.size());
  bool accepted = false;
  for (size_t i = 0; i < answer->media.size(); ++i) {
    check(answer->media[i].media == sdp->media[i].media);
    if (answer->media[i].port != 0) {
      check(!accepted);  // one audio stream at most
      accepted = true;
      check(sdp->media[i].port != 0);
    }
  }
  auto reparsed = parse(serialize(*answer));
  check(reparsed.has_value());
  check(*reparsed == *answer);
  auto n = negotiated(*sdp, *answer);
  check(n.has_value() == accepted);
  if (n) {
    check(n->answerer.rtp_port == 4000);
  }
  return 0;
}
