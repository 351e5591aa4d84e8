// media/sdp/offer_answer.cc: RFC 3264 offer/answer, pure.
#include "media/sdp/offer_answer.h"

#include <algorithm>
#include <array>

namespace sb::media::sdp {
namespace {

bool sends(Direction d) { return d == Direction::SendRecv || d == Direction::SendOnly; }
bool receives(Direction d) { return d == Direction::SendRecv || d == Direction::RecvOnly; }

Direction from_bits(bool send, bool recv) {
  if (send && recv) {
    return Direction::SendRecv;
  }
  if (send) {
    return Direction::SendOnly;
  }
  return recv ? Direction::RecvOnly : Direction::Inactive;
}

std::optional<int> format_pt(const std::string& f) { return payload_type_of(f); }

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool matches(const RtpMap& offered, const CodecCapability& cap) {
  return same_encoding(offered.encoding, cap.encoding) && offered.clock_rate == cap.clock_rate &&
         offered.channels == cap.channels;
}

void add(std::vector<Attribute>& attributes, std::string name, std::optional<std::string> value) {
  attributes.push_back(Attribute{std::move(name), std::move(value)});
}

Crypto our_crypto(uint32_t tag, const std::string& suite, const LocalEndpoint& local) {
  return Crypto{tag, suite, {"inline:" + local.srtp_inline_key}, {}};
}

Media rejected(const Media& offered) {
  // RFC 3264 §6: port zero; the formats are copied so the m-line stays well formed.
  Media m;
  m.media = offered.media;
  m.port = 0;
  m.proto = offered.proto;
  m.formats = offered.formats;
  return m;
}

SessionDescription session_skeleton(const LocalCapabilities& caps, const LocalEndpoint& local) {
  SessionDescription s;
  s.origin = Origin{caps.username, local.session_id, 1, local.address};
  s.session_name = caps.session_name;
  s.connection = local.address;
  s.timings.push_back(Timing{0, 0, {}});
  return s;
}

std::string telephone_event_fmtp(const Media& offered, int pt, const LocalCapabilities& caps) {
  auto ours = parse_event_list(caps.telephone_event_events);
  auto theirs = telephone_event_range(offered, pt);
  if (!ours) {
    return caps.telephone_event_events;
  }
  if (!theirs) {
    return format_event_list(*ours);
  }
  std::vector<uint8_t> common;
  std::set_intersection(ours->begin(), ours->end(), theirs->begin(), theirs->end(),
                        std::back_inserter(common));
  return format_event_list(common.empty() ? *ours : common);
}

// The answer for one offered stream, or nullopt to reject it.
std::optional<Media> accept(const SessionDescription& offer, const Media& om,
                            const LocalCapabilities& caps, const LocalEndpoint& local) {
  if (om.media != "audio" || om.port == 0 || !contains(caps.protos, om.proto) || !om.is_rtp()) {
    return std::nullopt;
  }
  std::optional<Crypto> chosen_crypto;
  if (om.is_srtp()) {
    // SDES only: the first offered line with a suite we run (the offerer's preference order).
    if (!caps.accept_srtp || local.srtp_inline_key.empty()) {
      return std::nullopt;
    }
    for (const auto& c : cryptos(om)) {
      if (contains(caps.crypto_suites, c.suite)) {
        chosen_crypto = c;
        break;
      }
    }
    if (!chosen_crypto) {
      return std::nullopt;
    }
  }

  struct Chosen {
    RtpMap offered;
    const CodecCapability* cap;
  };
  // Tables by payload type keep a hostile offer (thousands of formats and rtpmaps) linear.
  const CodecTable table = codec_table(om);
  std::array<bool, 128> seen{};
  std::vector<Chosen> chosen;
  for (const auto& f : om.formats) {
    auto pt = format_pt(f);
    if (!pt || seen[*pt]) {
      continue;
    }
    seen[*pt] = true;
    const auto& c = table[*pt];
    if (!c || same_encoding(c->encoding, "telephone-event")) {
      continue;
    }
    for (const auto& cap : caps.codecs) {
      if (matches(*c, cap)) {
        chosen.push_back(Chosen{*c, &cap});
        break;
      }
    }
  }
  if (chosen.empty()) {
    return std::nullopt;  // RFC 3264 §6.1: no common codec, reject the stream
  }
  std::optional<RtpMap> te;
  if (caps.telephone_event) {
    // RFC 4733 §2.1: the event clock is the audio codec's; prefer the matching rate.
    auto offered_te = telephone_events(om);
    for (const auto& t : offered_te) {
      if (t.clock_rate == chosen.front().offered.clock_rate) {
        te = t;
        break;
      }
    }
    if (!te && !offered_te.empty()) {
      te = offered_te.front();
    }
  }

  Media am;
  am.media = om.media;
  am.port = local.rtp_port;
  am.proto = om.proto;
  // RFC 3264 §6.1: formats in the offer's relative order with the offer's numbers.
  std::array<bool, 128> listed{};
  for (const auto& c : chosen) {
    listed[c.offered.payload_type] = true;
  }
  if (te) {
    listed[te->payload_type] = true;
  }
  for (const auto& f : om.formats) {
    auto pt = format_pt(f);
    if (pt && listed[*pt]) {
      listed[*pt] = false;  // once each
      am.formats.push_back(std::to_string(*pt));
    }
  }
  for (const auto& f : am.formats) {
    int pt = *format_pt(f);
    if (te && te->payload_type == pt) {
      add(am.attributes, "rtpmap", format_rtpmap(*te));
      add(am.attributes, "fmtp", std::to_string(pt) + ' ' + telephone_event_fmtp(om, pt, caps));
      continue;
    }
    auto it = std::find_if(chosen.begin(), chosen.end(),
                           [&](const Chosen& c) { return c.offered.payload_type == pt; });
    add(am.attributes, "rtpmap", format_rtpmap(it->offered));
    if (!it->cap->fmtp.empty()) {
      add(am.attributes, "fmtp", std::to_string(pt) + ' ' + it->cap->fmtp);
    } else if (auto of = fmtp(om, pt); of && !of->parameters.empty()) {
      add(am.attributes, "fmtp", std::to_string(pt) + ' ' + of->parameters);
    }
  }
  if (auto p = ptime_ms(om)) {
    add(am.attributes, "ptime", std::to_string(*p));  // RFC 3264 §6.1: honour the offer's
  }
  if (caps.rtcp_mux && has_rtcp_mux(om)) {
    add(am.attributes, "rtcp-mux", std::nullopt);  // RFC 5761 §5.1.1
  }
  if (chosen_crypto) {
    // RFC 4568 §7.1.2: the answer echoes the accepted line's tag and suite with our key.
    add(am.attributes, "crypto",
        format_crypto(our_crypto(chosen_crypto->tag, chosen_crypto->suite, local)));
  }
  add(am.attributes,
      std::string(
          direction_name(answer_direction(effective_direction(offer, om), local.direction))),
      std::nullopt);
  return am;
}

RtpEndpoint endpoint(const SessionDescription& sdp, const Media& m, bool mux) {
  RtpEndpoint e;
  if (const Connection* c = connection(sdp, m)) {
    e.address = c->address;
  }
  e.rtp_port = m.port;
  auto r = rtcp(m);
  if (mux) {
    e.rtcp_port = m.port;  // RFC 5761: RTCP on the RTP port, whatever a=rtcp says
  } else if (r) {
    e.rtcp_port = r->port;
  } else {
    e.rtcp_port = static_cast<uint16_t>(m.port + 1);  // RFC 3550 §11
  }
  return e;
}

}  // namespace

Direction answer_direction(Direction offered, Direction local) {
  // RFC 3264 §6.1: sendonly is answered recvonly, recvonly sendonly, inactive inactive.
  bool send = receives(offered) && sends(local);
  bool recv = sends(offered) && receives(local);
  return from_bits(send, recv);
}

Direction effective_direction(const SessionDescription& sdp, const Media& media) {
  Direction d = direction(sdp, media);
  const Connection* c = connection(sdp, media);
  if (c && c->is_hold_address()) {
    return from_bits(sends(d), false);
  }
  return d;
}

void apply_origin_version(SessionDescription& next, const SessionDescription* previous) {
  if (previous == nullptr) {
    return;
  }
  next.origin.username = previous->origin.username;
  next.origin.session_id = previous->origin.session_id;
  next.origin.session_version = previous->origin.session_version;
  if (next == *previous) {
    return;  // RFC 3264 §8: an unchanged description keeps its version
  }
  next.origin.session_version = previous->origin.session_version + 1;
}

SessionDescription make_offer(const LocalCapabilities& caps, const LocalEndpoint& local,
                              const SessionDescription* previous) {
  SessionDescription s = session_skeleton(caps, local);
  Media m;
  m.media = "audio";
  m.port = local.rtp_port;
  m.proto = local.offer_srtp ? "RTP/SAVP" : "RTP/AVP";
  std::vector<int> used;
  for (const auto& c : caps.codecs) {
    if (c.static_pt) {
      used.push_back(*c.static_pt);
    }
  }
  if (caps.telephone_event) {
    used.push_back(caps.telephone_event_pt);
  }
  int next_dynamic = 96;
  auto is_used = [&](int pt) { return std::find(used.begin(), used.end(), pt) != used.end(); };
  for (const auto& c : caps.codecs) {
    int pt = 0;
    if (c.static_pt) {
      pt = *c.static_pt;
    } else {
      while (is_used(next_dynamic) && next_dynamic < 127) {
        ++next_dynamic;
      }
      pt = next_dynamic;
      used.push_back(pt);
    }
    m.formats.push_back(std::to_string(pt));
    add(m.attributes, "rtpmap", format_rtpmap(RtpMap{pt, c.encoding, c.clock_rate, c.channels}));
    if (!c.fmtp.empty()) {
      add(m.attributes, "fmtp", std::to_string(pt) + ' ' + c.fmtp);
    }
  }
  if (caps.telephone_event) {
    int pt = caps.telephone_event_pt;
    m.formats.push_back(std::to_string(pt));
    add(m.attributes, "rtpmap", format_rtpmap(RtpMap{pt, "telephone-event", 8000, 1}));
    add(m.attributes, "fmtp", std::to_string(pt) + ' ' + caps.telephone_event_events);
  }
  if (caps.ptime_ms) {
    add(m.attributes, "ptime", std::to_string(*caps.ptime_ms));
  }
  if (caps.rtcp_mux) {
    add(m.attributes, "rtcp-mux", std::nullopt);
  }
  if (local.offer_srtp && !caps.crypto_suites.empty()) {
    uint32_t tag = 1;
    for (const auto& suite : caps.crypto_suites) {
      add(m.attributes, "crypto", format_crypto(our_crypto(tag++, suite, local)));
    }
  }
  add(m.attributes, std::string(direction_name(local.direction)), std::nullopt);
  s.media.push_back(std::move(m));
  apply_origin_version(s, previous);
  return s;
}

Result<SessionDescription> build_answer(const SessionDescription& offer,
                                        const LocalCapabilities& caps, const LocalEndpoint& local,
                                        const SessionDescription* previous) {
  if (offer.media.empty()) {
    return Error{"offer has no m= lines to answer", "m="};
  }
  SessionDescription answer = session_skeleton(caps, local);
  bool have_audio = false;
  for (const auto& om : offer.media) {
    // One audio stream per call leg: a second audio m-line is rejected.
    std::optional<Media> am = have_audio ? std::nullopt : accept(offer, om, caps, local);
    if (am) {
      have_audio = true;
      answer.media.push_back(std::move(*am));
    } else {
      answer.media.push_back(rejected(om));
    }
  }
  apply_origin_version(answer, previous);
  return answer;
}

Result<Negotiated> negotiated(const SessionDescription& offer, const SessionDescription& answer) {
  if (offer.media.size() != answer.media.size()) {
    return Error{"answer has " + std::to_string(answer.media.size()) + " m= lines, offer has " +
                     std::to_string(offer.media.size()),
                 "m="};
  }
  for (size_t i = 0; i < answer.media.size(); ++i) {
    const Media& om = offer.media[i];
    const Media& am = answer.media[i];
    if (am.port == 0 || om.port == 0 || am.media != "audio" || !am.is_rtp()) {
      continue;
    }
    Negotiated n;
    n.m_line = i;
    bool have_codec = false;
    // Numerically: "08" in the offer is payload type 8 in the answer.
    std::array<bool, 128> offered{};
    for (const auto& f : om.formats) {
      if (auto pt = format_pt(f)) {
        offered[*pt] = true;
      }
    }
    const CodecTable answer_codecs = codec_table(am);
    const CodecTable offer_codecs = codec_table(om);
    for (const auto& f : am.formats) {
      auto pt = format_pt(f);
      if (!pt || !offered[*pt]) {
        continue;
      }
      const auto& c = answer_codecs[*pt] ? answer_codecs[*pt] : offer_codecs[*pt];
      if (!c) {
        continue;
      }
      if (same_encoding(c->encoding, "telephone-event")) {
        if (!n.telephone_event_pt) {
          n.telephone_event_pt = *pt;
        }
      } else if (!have_codec) {
        n.codec = *c;
        have_codec = true;
      }
    }
    if (!have_codec) {
      continue;
    }
    n.offerer_direction = effective_direction(offer, om);
    n.answerer_direction = effective_direction(answer, am);
    n.rtcp_mux = has_rtcp_mux(om) && has_rtcp_mux(am);
    n.offerer = endpoint(offer, om, n.rtcp_mux);
    n.answerer = endpoint(answer, am, n.rtcp_mux);
    n.ptime_ms = ptime_ms(am).value_or(ptime_ms(om).value_or(20));
    auto answered = cryptos(am);
    if (!answered.empty()) {
      n.answerer_crypto = answered.front();
      for (const auto& c : cryptos(om)) {
        if (c.tag == answered.front().tag) {
          n.offerer_crypto = c;
          break;
        }
      }
    }
    return n;
  }
  return Error{"no audio stream was accepted with a common codec", "m="};
}

}  // namespace sb::media::sdp
