// media/engine/media_engine_test.cc: the engine on real loopback sockets. Test sockets play
// the phones; the engine relays, transcodes, detects digits and plays sources between them.
#include "media/engine/media_engine.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <cmath>
#include <condition_variable>
#include <future>
#include <random>
#include <mutex>
#include <numbers>

#include "media/codec/g711.h"
#include "media/codec/resampler.h"
#include "media/dtmf/dtmf_receiver.h"
#include "media/dtmf/telephone_event.h"
#include "media/engine/player_source.h"
#include "media/srtp/srtp_keys.h"
#include "media/srtp/srtp_session.h"
#include "media/tone/tone_presets.h"
#include "media/tone/test_goertzel.h"
#include "media/tone/tone_generator.h"
#include "media/engine/udp_socket.h"
#include "media/rtp/rtp_packet.h"

namespace sb::media::engine {
namespace {

using namespace std::chrono_literals;

// Collects the engine's events (called on the media thread).
class Events {
 public:
  MediaEventSink sink() {
    return [this](MediaEvent e) {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(e));
      cv_.notify_all();
    };
  }
  // Waits for an event of `kind`; returns it or nullopt after `timeout`.
  std::optional<MediaEvent> wait(MediaEvent::Kind kind, std::chrono::milliseconds timeout = 2s) {
    std::unique_lock lock(mutex_);
    std::optional<MediaEvent> found;
    cv_.wait_for(lock, timeout, [&] {
      for (auto it = events_.begin(); it != events_.end(); ++it) {
        if (it->kind == kind) {
          found = *it;
          events_.erase(it);
          return true;
        }
      }
      return false;
    });
    return found;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<MediaEvent> events_;
};

// A phone: a UDP socket that sends RTP and reads what arrives.
class Phone {
 public:
  Phone() : socket_(UdpSocket::bind("127.0.0.1", 0).value()) {}
  uint16_t port() const { return socket_.local_port(); }

  void send(uint16_t to_port, uint8_t pt, uint16_t seq, uint32_t ts, std::vector<uint8_t> payload,
            bool marker = false, uint32_t ssrc = 0xCAFE) {
    rtp::RtpHeaderFields h;
    h.payload_type = pt;
    h.sequence_number = seq;
    h.timestamp = ts;
    h.ssrc = ssrc;
    h.marker = marker;
    auto bytes = rtp::build_rtp(h, payload);
    socket_.send_to(*UdpAddress::parse("127.0.0.1", to_port), *bytes);
  }

  void send_raw(uint16_t to_port, const std::vector<uint8_t>& bytes) {
    socket_.send_to(*UdpAddress::parse("127.0.0.1", to_port), bytes);
  }

  // The first `n` RTP packets, waiting up to `limit` for them (a loaded machine may be slow),
  // then `settle` more for any that should not have come.
  std::vector<std::vector<uint8_t>> receive_n(std::size_t n, std::chrono::milliseconds limit = 3000ms,
                                              std::chrono::milliseconds settle = 60ms) {
    std::vector<std::vector<uint8_t>> out;
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (out.size() < n && std::chrono::steady_clock::now() < give_up) {
      auto more = receive(10ms);
      out.insert(out.end(), more.begin(), more.end());
    }
    auto extra = receive(settle);
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  }

  // Every RTP packet that arrives within `window`.
  std::vector<std::vector<uint8_t>> receive(std::chrono::milliseconds window) {
    std::vector<std::vector<uint8_t>> out;
    auto end = std::chrono::steady_clock::now() + window;
    DatagramBatch batch;
    while (std::chrono::steady_clock::now() < end) {
      pollfd p{socket_.fd(), POLLIN, 0};
      ::poll(&p, 1, 10);
      socket_.receive(batch);
      for (std::size_t i = 0; i < batch.count; ++i) {
        std::vector<uint8_t> d(batch.data[i].begin(), batch.data[i].begin() + batch.size[i]);
        if (!rtp::is_rtcp(d)) out.push_back(std::move(d));
      }
    }
    return out;
  }

 private:
  UdpSocket socket_;
};

EndpointMedia media_to(uint16_t port, AudioCodec codec = AudioCodec::Pcmu, int pt = 0) {
  EndpointMedia m;
  m.codec = codec;
  m.payload_type = pt;
  m.telephone_event_pt = 101;
  m.remote_ip = "127.0.0.1";
  m.remote_rtp_port = port;
  return m;
}

std::vector<uint8_t> ulaw_tone(int index, double hz = 1000) {
  std::vector<uint8_t> p(160);
  for (std::size_t i = 0; i < p.size(); ++i) {
    double t = static_cast<double>(index * 160 + i) / 8000;
    double v = 8000 * std::sin(2 * std::numbers::pi * hz * t);
    // µ-law of v via the codec would be nicer; a fixed pattern is enough for relay tests.
    p[i] = static_cast<uint8_t>(static_cast<int>(v) & 0xFF);
  }
  return p;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MediaEngineConfig config;
    config.port_min = 41000;
    config.port_max = 41999;
    config.media_timeout = 300ms;
    auto e = MediaEngine::start(config, events.sink());
    ASSERT_TRUE(e) << e.error().to_string();
    engine = std::move(*e);
  }
  // Waits until the media threads have applied every command given so far (configure,
  // bridge...): packets sent after it meet the endpoint as configured. A fixed sleep was
  // too short on a loaded machine.
  void applied() {
    std::promise<void> done;
    engine->after_commands([&] { done.set_value(); });
    ASSERT_EQ(done.get_future().wait_for(3s), std::future_status::ready);
  }
  Events events;
  std::unique_ptr<MediaEngine> engine;
};

TEST_F(EngineTest, RelaysSameCodecWithOurSsrcAndContinuousSequence) {
  Phone caller, agent;
  auto a = engine->create_endpoint("127.0.0.1", 7);
  auto b = engine->create_endpoint("127.0.0.1", 7);
  ASSERT_TRUE(a && b);
  engine->configure(a->id, media_to(caller.port()));
  engine->configure(b->id, media_to(agent.port(), AudioCodec::Pcmu, 0));
  engine->bridge(a->id, b->id);
  applied();
  for (int i = 0; i < 20; ++i) caller.send(a->rtp_port, 0, static_cast<uint16_t>(1000 + i), 160u * i, ulaw_tone(i));
  auto got = agent.receive(300ms);
  ASSERT_EQ(got.size(), 20u);
  auto first = rtp::parse_rtp(got[0]);
  ASSERT_TRUE(first);
  EXPECT_NE(first->ssrc, 0xCAFEu);  // the agent sees our stream, not the caller's
  for (std::size_t i = 1; i < got.size(); ++i) {
    auto p = rtp::parse_rtp(got[i]);
    EXPECT_EQ(p->ssrc, first->ssrc);
    EXPECT_EQ(p->sequence_number, static_cast<uint16_t>(first->sequence_number + i));
    EXPECT_EQ(p->timestamp, first->timestamp + 160 * i);
    EXPECT_EQ(std::vector<uint8_t>(p->payload.begin(), p->payload.end()), ulaw_tone(static_cast<int>(i)));
  }
}

TEST_F(EngineTest, SymmetricRtpLatchesToTheSourceNotTheSdpAddress) {
  Phone caller, agent, nat_side;
  auto a = engine->create_endpoint("127.0.0.1", 1);
  auto b = engine->create_endpoint("127.0.0.1", 1);
  // The agent's SDP names a port nobody listens on (a private address behind NAT).
  engine->configure(a->id, media_to(caller.port()));
  engine->configure(b->id, media_to(9));
  engine->bridge(a->id, b->id);
  applied();
  nat_side.send(b->rtp_port, 0, 1, 0, ulaw_tone(0));  // the agent's real source
  auto latched = events.wait(MediaEvent::Kind::RemoteLatched);
  ASSERT_TRUE(latched);
  EXPECT_EQ(latched->text, "127.0.0.1:" + std::to_string(nat_side.port()));
  for (int i = 0; i < 5; ++i) caller.send(a->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, ulaw_tone(i));
  EXPECT_EQ(nat_side.receive(200ms).size(), 5u);
  // Once latched, another address is not believed, whatever its SSRC.
  Phone intruder;
  intruder.send(b->rtp_port, 0, 2, 160, ulaw_tone(1));
  intruder.send(b->rtp_port, 0, 3, 320, ulaw_tone(1), false, 0xD00D);
  std::this_thread::sleep_for(50ms);
  std::optional<EndpointCounters> counters;
  std::mutex m;
  engine->inspect(b->id, [&](Endpoint* ep) { std::lock_guard l(m); counters = ep->counters(); });
  std::this_thread::sleep_for(50ms);
  std::lock_guard l(m);
  ASSERT_TRUE(counters);
  EXPECT_EQ(counters->from_unexpected, 2u);
}

TEST_F(EngineTest, TranscodesPcmuToOpusAndBack) {
  Phone caller, agent;
  auto a = engine->create_endpoint("127.0.0.1", 2);
  auto b = engine->create_endpoint("127.0.0.1", 2);
  engine->configure(a->id, media_to(caller.port(), AudioCodec::Pcmu, 0));
  engine->configure(b->id, media_to(agent.port(), AudioCodec::Opus, 111));
  engine->bridge(a->id, b->id);
  applied();
  for (int i = 0; i < 25; ++i) {
    caller.send(a->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, ulaw_tone(i));
    std::this_thread::sleep_for(20ms);
  }
  auto got = agent.receive(200ms);
  ASSERT_GE(got.size(), 10u);
  auto p = rtp::parse_rtp(got.back());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->payload_type, 111);
  auto q = rtp::parse_rtp(got[got.size() - 2]);
  EXPECT_EQ(p->timestamp - q->timestamp, 960u);  // Opus: 48 kHz clock
  auto dec = make_decoder(AudioCodec::Opus);
  std::vector<int16_t> pcm;
  EXPECT_TRUE((*dec)->decode(p->payload, pcm));
}

TEST_F(EngineTest, ReportsRfc4733DigitsOnce) {
  Phone caller;
  auto a = engine->create_endpoint("127.0.0.1", 3);
  engine->configure(a->id, media_to(caller.port()));
  applied();
  for (int i = 0; i < 4; ++i) {
    dtmf::TelephoneEvent ev;
    ev.event = 5;
    ev.end = i >= 2;
    ev.volume = 10;
    ev.duration = static_cast<uint16_t>(160 * (i + 1));
    auto payload = dtmf::encode_telephone_event(ev);
    caller.send(a->rtp_port, 101, static_cast<uint16_t>(10 + i), 8000, {payload.begin(), payload.end()}, i == 0);
  }
  auto d = events.wait(MediaEvent::Kind::Dtmf);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digit, '5');
  EXPECT_FALSE(events.wait(MediaEvent::Kind::Dtmf, 200ms));
}

TEST_F(EngineTest, MediaTimeoutWhenNothingArrives) {
  Phone caller;
  auto a = engine->create_endpoint("127.0.0.1", 4);
  engine->configure(a->id, media_to(caller.port()));
  auto t = events.wait(MediaEvent::Kind::MediaTimeout, 1500ms);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->endpoint, a->id);
}

class CountdownSource : public FrameSource {
 public:
  explicit CountdownSource(int frames) : left_(frames) {}
  bool next_frame(Frame& out) override {
    if (left_-- <= 0) return false;
    out.fill(1000);
    return true;
  }
  bool on_dtmf(char) override { return false; }

 private:
  int left_;
};

TEST_F(EngineTest, PlaysASourceThenReportsPlaybackDone) {
  Phone caller;
  auto a = engine->create_endpoint("127.0.0.1", 5);
  engine->configure(a->id, media_to(caller.port(), AudioCodec::Pcma, 8));
  const uint64_t playback = engine->play(a->id, std::make_unique<CountdownSource>(10));
  auto done = events.wait(MediaEvent::Kind::PlaybackDone);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->playback, playback);
  // Ten frames, sent before the event (they wait in the phone's socket), and no more.
  auto got = caller.receive(100ms);
  ASSERT_EQ(got.size(), 10u);
  EXPECT_EQ(rtp::parse_rtp(got[0])->payload_type, 8);
  EXPECT_TRUE(rtp::parse_rtp(got[0])->marker);
}

TEST_F(EngineTest, AReplacedSourceNeverReportsDoneOnlyTheOneThatReplacedIt) {
  Phone caller;
  auto a = engine->create_endpoint("127.0.0.1", 5);
  engine->configure(a->id, media_to(caller.port(), AudioCodec::Pcma, 8));
  const uint64_t first = engine->play(a->id, std::make_unique<CountdownSource>(1000));
  const uint64_t second = engine->play(a->id, std::make_unique<CountdownSource>(3));
  EXPECT_NE(first, second);
  auto done = events.wait(MediaEvent::Kind::PlaybackDone);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->playback, second);
  EXPECT_FALSE(events.wait(MediaEvent::Kind::PlaybackDone, 200ms));
}

TEST_F(EngineTest, DestroyReleasesPortsAndReportsQuality) {
  Phone caller;
  std::size_t before = engine->ports_available();
  auto a = engine->create_endpoint("127.0.0.1", 6);
  EXPECT_EQ(engine->ports_available(), before - 1);
  engine->configure(a->id, media_to(caller.port()));
  for (int i = 0; i < 51; ++i) {
    if (i != 4) caller.send(a->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, ulaw_tone(i));
  }
  std::this_thread::sleep_for(50ms);
  engine->destroy(a->id);
  auto q = events.wait(MediaEvent::Kind::Quality);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->quality.packets_received, 50u);
  EXPECT_EQ(q->quality.packets_lost, 1);
  // RFC 3550 A.1 counts from the first packet after probation: 1 lost of 50 expected.
  EXPECT_NEAR(q->quality.loss_percent, 2.0, 0.01);
  // G.107, 2 % random loss on G.711 with PLC (Bpl 25.1): Ie,eff = 95 * 2 / 27.1 = 7.0, so
  // R = 93.2 - 7.0 less a little delay impairment.
  EXPECT_NEAR(q->quality.r_factor, 86.0, 1.5);
  EXPECT_GT(q->quality.mos, 4.0);
  EXPECT_LT(q->quality.mos, 4.3);
  EXPECT_EQ(engine->ports_available(), before);
}

// Shutdown counts leaks after this barrier: an endpoint destroyed a moment before is no leak.
TEST(MediaEngineBarrier, AfterCommandsRunsOnceEveryEarlierTeardownIsDone) {
  MediaEngineConfig config;
  config.port_min = 42000;
  config.port_max = 42099;
  config.threads = 3;
  auto started = MediaEngine::start(config, [](MediaEvent) {});
  ASSERT_TRUE(started) << started.error().to_string();
  auto& engine = *started;
  const std::size_t before = engine->ports_available();
  std::vector<EndpointId> ids;
  for (uint64_t affinity = 0; affinity < 8; ++affinity) {
    auto ep = engine->create_endpoint("127.0.0.1", affinity);
    ASSERT_TRUE(ep) << ep.error().to_string();
    ids.push_back(ep->id);
  }
  for (EndpointId id : ids) engine->destroy(id);
  std::promise<std::size_t> seen;
  engine->after_commands([&] { seen.set_value(engine->ports_available()); });
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(2s), std::future_status::ready);
  EXPECT_EQ(future.get(), before);
}

}  // namespace
}  // namespace sb::media::engine

namespace sb::media::engine {
namespace {

// A trunk that sends tones instead of RFC 4733: 100 ms of the digit 7 in µ-law packets.
TEST_F(EngineTest, DetectsInbandDigitsOnLegsThatAskForIt) {
  Phone trunk;
  auto a = engine->create_endpoint("127.0.0.1", 8);
  auto m = media_to(trunk.port());
  m.detect_inband_dtmf = true;
  engine->configure(a->id, m);
  applied();
  auto spec = tone::presets::dtmf('7', 100, 100);
  ASSERT_TRUE(spec);
  auto gen = tone::ToneGenerator::create(*spec);
  auto down = codec::Resampler::create(16000, 8000);
  ASSERT_TRUE(gen && down);
  for (int i = 0; i < 25; ++i) {
    Frame f;
    gen->next_frame(f);
    std::vector<int16_t> narrow;
    (void)down->process(f, narrow);
    std::vector<uint8_t> payload(narrow.size());
    codec::encode_ulaw(narrow, payload);
    trunk.send(a->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, payload);
    std::this_thread::sleep_for(20ms);
  }
  auto d = events.wait(MediaEvent::Kind::Dtmf);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digit, '7');
  EXPECT_TRUE(d->inband);
  EXPECT_FALSE(events.wait(MediaEvent::Kind::Dtmf, 200ms));
}

TEST_F(EngineTest, ADigitBargesIntoAPrompt) {
  Phone caller;
  auto a = engine->create_endpoint("127.0.0.1", 9);
  engine->configure(a->id, media_to(caller.port()));
  player::PlayerOptions options;
  options.barge_in = true;
  std::vector<player::PlaylistItem> ring{player::ToneItem{tone::presets::ringback_us(), 0}};
  auto p = player::Player::create(std::move(ring), options);
  ASSERT_TRUE(p);
  engine->play(a->id, std::make_unique<PlayerSource>(std::move(*p)));
  EXPECT_FALSE(events.wait(MediaEvent::Kind::PlaybackDone, 200ms));  // rings on
  dtmf::TelephoneEvent ev;
  ev.event = 11;  // '#'
  ev.end = true;
  ev.duration = 800;
  auto payload = dtmf::encode_telephone_event(ev);
  for (int i = 0; i < 3; ++i) {
    caller.send(a->rtp_port, 101, 77, 4000, {payload.begin(), payload.end()}, i == 0);
  }
  auto done = events.wait(MediaEvent::Kind::PlaybackDone);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->digit, '#');
  EXPECT_GE(caller.receive(50ms).size(), 5u);  // the ringback it heard until then
}

}  // namespace
}  // namespace sb::media::engine

namespace sb::media::engine {
namespace {

// An SRTP phone (SDES keys) bridged to a plain RTP phone: the engine decrypts one leg and
// relays in clear to the other, and encrypts the way back with the key it announced.
TEST_F(EngineTest, BridgesAnSrtpLegToAPlainLeg) {
  Phone secure, plain;
  auto phone_key = srtp::generate_key(srtp::CryptoSuite::AesCm128HmacSha1_80);
  auto our_key = srtp::generate_key(srtp::CryptoSuite::AesCm128HmacSha1_80);
  ASSERT_TRUE(phone_key && our_key);
  auto a = engine->create_endpoint("127.0.0.1", 10);
  auto b = engine->create_endpoint("127.0.0.1", 10);
  auto ma = media_to(secure.port());
  ma.srtp_receive_key = *phone_key;
  ma.srtp_send_key = *our_key;
  engine->configure(a->id, ma);
  engine->configure(b->id, media_to(plain.port()));
  engine->bridge(a->id, b->id);
  applied();

  auto phone_out = srtp::SrtpSession::create(srtp::SrtpDirection::Outbound, *phone_key);
  auto phone_in = srtp::SrtpSession::create(srtp::SrtpDirection::Inbound, *our_key);
  ASSERT_TRUE(phone_out && phone_in);
  auto clear = ulaw_tone(3);
  for (int i = 0; i < 5; ++i) {
    rtp::RtpHeaderFields h;
    h.sequence_number = static_cast<uint16_t>(i);
    h.timestamp = 160u * i;
    h.ssrc = 0x5EC;
    auto bytes = *rtp::build_rtp(h, clear);
    ASSERT_TRUE(phone_out->protect_rtp(bytes));
    secure.send_raw(a->rtp_port, bytes);
  }
  // A packet with a forged tag is refused.
  secure.send(a->rtp_port, 0, 99, 99 * 160, clear, false, 0x5EC);
  auto got = plain.receive_n(5);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(std::vector<uint8_t>(rtp::parse_rtp(got[0])->payload.begin(),
                                 rtp::parse_rtp(got[0])->payload.end()), clear);

  for (int i = 0; i < 3; ++i) plain.send(b->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, clear);
  auto back = secure.receive_n(3);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_NE(rtp::parse_rtp(back[0])->payload.size(), clear.size());  // carries the auth tag
  ASSERT_TRUE(phone_in->unprotect_rtp(back[0]));
  EXPECT_EQ(std::vector<uint8_t>(rtp::parse_rtp(back[0])->payload.begin(),
                                 rtp::parse_rtp(back[0])->payload.end()), clear);
}

}  // namespace
}  // namespace sb::media::engine

namespace sb::media::engine {
namespace {

// The digits whose RFC 4733 events end with this packet, as a phone's receiver sees them.
std::string ended_digits(dtmf::DtmfReceiver& receiver, const rtp::RtpPacket& p) {
  dtmf::DtmfRtpPacket dp;
  dp.timestamp = p.timestamp;
  dp.sequence = p.sequence_number;
  dp.marker = p.marker;
  dp.payload = p.payload;
  std::string digits;
  for (auto& n : receiver.on_packet(dp)) {
    if (n.kind == dtmf::DtmfNotice::Kind::Ended) digits += n.digit;
  }
  return digits;
}

TEST_F(EngineTest, SendsRfc4733DigitsWithRedundantEnds) {
  Phone phone;
  auto a = engine->create_endpoint("127.0.0.1", 11);
  engine->configure(a->id, media_to(phone.port()));
  engine->send_dtmf(a->id, "12#", std::chrono::milliseconds(60));
  auto got = phone.receive(900ms);
  dtmf::DtmfReceiver receiver;
  std::string digits;
  int ends = 0;
  std::optional<uint16_t> last_seq;
  for (auto& bytes : got) {
    auto p = rtp::parse_rtp(bytes);
    ASSERT_TRUE(p);
    ASSERT_EQ(p->payload_type, 101);
    if (last_seq) {
      EXPECT_EQ(p->sequence_number, static_cast<uint16_t>(*last_seq + 1));
    }
    last_seq = p->sequence_number;
    auto ev = dtmf::decode_telephone_event(p->payload);
    ASSERT_TRUE(ev);
    if (ev->end) ++ends;
    digits += ended_digits(receiver, *p);
  }
  EXPECT_EQ(digits, "12#");
  EXPECT_EQ(ends, 9);  // RFC 4733 §2.5.1.4: each end packet three times
}

// A tone per phone, µ-law encoded, 20 ms per packet.
std::vector<uint8_t> ulaw_sine(double hz, int index) {
  std::vector<int16_t> pcm(160);
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = static_cast<int16_t>(6000 * std::sin(2 * std::numbers::pi * hz * static_cast<double>(index * 160 + i) / 8000));
  }
  std::vector<uint8_t> out(160);
  codec::encode_ulaw(pcm, out);
  return out;
}

// Amplitude of `hz` in the µ-law packets a phone received (Goertzel over the decoded audio).
double amplitude_at(const std::vector<std::vector<uint8_t>>& packets, double hz) {
  std::vector<int16_t> pcm;
  for (const auto& bytes : packets) {
    auto p = rtp::parse_rtp(bytes);
    if (!p || p->payload_type != 0) continue;
    std::vector<int16_t> block(p->payload.size());
    codec::decode_ulaw(p->payload, block);
    pcm.insert(pcm.end(), block.begin(), block.end());
  }
  return pcm.empty() ? 0 : tone::testing::goertzel_amplitude(pcm, hz, 8000);
}

TEST_F(EngineTest, WhisperLetsTheAgentHearTheSupervisorButNotTheCaller) {
  Phone caller, agent, supervisor;
  auto c = engine->create_endpoint("127.0.0.1", 12);
  auto a = engine->create_endpoint("127.0.0.1", 12);
  auto s = engine->create_endpoint("127.0.0.1", 12);
  engine->configure(c->id, media_to(caller.port()));
  engine->configure(a->id, media_to(agent.port()));
  engine->configure(s->id, media_to(supervisor.port()));
  engine->bridge(c->id, a->id);
  engine->supervise(c->id, a->id, s->id, mixer::SupervisionMode::Whisper);
  applied();
  for (int i = 0; i < 30; ++i) {
    caller.send(c->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, ulaw_sine(400, i));
    agent.send(a->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, ulaw_sine(1000, i));
    supervisor.send(s->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, ulaw_sine(2500, i));
    std::this_thread::sleep_for(20ms);
  }
  auto heard_by_caller = caller.receive(100ms);
  auto heard_by_agent = agent.receive(100ms);
  auto heard_by_supervisor = supervisor.receive(100ms);
  // Each phone sends its tone at amplitude 6000; heard means well above 1000, not heard means
  // below 60 (40 dB down).
  const double loud = 1000;
  EXPECT_GT(amplitude_at(heard_by_caller, 1000), loud);
  EXPECT_LT(amplitude_at(heard_by_caller, 2500), 60);  // the whisper stays with the agent
  EXPECT_GT(amplitude_at(heard_by_agent, 400), loud);
  EXPECT_GT(amplitude_at(heard_by_agent, 2500), loud);
  EXPECT_GT(amplitude_at(heard_by_supervisor, 400), loud);
  EXPECT_GT(amplitude_at(heard_by_supervisor, 1000), loud);
  EXPECT_LT(amplitude_at(heard_by_supervisor, 2500), 60);  // nobody hears themselves

  // The supervisor leaves: caller and agent go back to relaying packets untouched.
  engine->leave_mix(s->id);
  applied();
  agent.receive(60ms);  // mixed frames sent before the supervisor left
  EXPECT_TRUE(agent.receive(60ms).empty());  // nothing generated any more
  caller.send(c->rtp_port, 0, 100, 16000, ulaw_sine(400, 100));
  auto relayed = agent.receive(100ms);
  ASSERT_EQ(relayed.size(), 1u);
  auto p = rtp::parse_rtp(relayed[0]);
  EXPECT_EQ(std::vector<uint8_t>(p->payload.begin(), p->payload.end()), ulaw_sine(400, 100));
}

}  // namespace
}  // namespace sb::media::engine

namespace sb::media::engine {
namespace {

// A re-INVITE moves the agent to another device (a transfer): the new device's stream
// continues ours, same SSRC, next sequence number, timestamp moved on by the time passed.
TEST_F(EngineTest, ReinviteToAnotherDeviceKeepsTheOutgoingStream) {
  Phone caller, desk_phone, softphone;
  auto a = engine->create_endpoint("127.0.0.1", 13);
  auto b = engine->create_endpoint("127.0.0.1", 13);
  engine->configure(a->id, media_to(caller.port()));
  engine->configure(b->id, media_to(desk_phone.port()));
  engine->bridge(a->id, b->id);
  applied();
  for (int i = 0; i < 5; ++i) caller.send(a->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, ulaw_tone(i));
  auto before = desk_phone.receive(100ms);
  ASSERT_EQ(before.size(), 5u);
  engine->configure(b->id, media_to(softphone.port()));
  std::this_thread::sleep_for(100ms);
  // The caller's phone restarted its stream too (new SSRC, new numbering).
  for (int i = 0; i < 5; ++i) caller.send(a->rtp_port, 0, static_cast<uint16_t>(9000 + i), 777u + 160u * i, ulaw_tone(i), false, 0xBEEF);
  auto after = softphone.receive(100ms);
  ASSERT_EQ(after.size(), 5u);
  auto last = rtp::parse_rtp(before.back());
  auto first = rtp::parse_rtp(after.front());
  EXPECT_EQ(first->ssrc, last->ssrc);
  EXPECT_EQ(first->sequence_number, static_cast<uint16_t>(last->sequence_number + 1));
  uint32_t advanced = first->timestamp - last->timestamp;
  EXPECT_GE(advanced, 800u);    // at least the ~100 ms that passed, at 8 kHz
  EXPECT_LT(advanced, 8000u);   // and not a jump of a second or more
  EXPECT_TRUE(first->marker);
  EXPECT_TRUE(desk_phone.receive(50ms).empty());
}

}  // namespace
}  // namespace sb::media::engine

namespace sb::media::engine {
namespace {

// The far end puts us on hold (its sendonly makes us recvonly): nothing goes to it, and its
// music on hold is relayed to the partner. Resuming restores both directions.
TEST_F(EngineTest, HoldStopsSendingToTheHeldLegUntilResumed) {
  Phone caller, agent;
  auto a = engine->create_endpoint("127.0.0.1", 14);
  auto b = engine->create_endpoint("127.0.0.1", 14);
  engine->configure(a->id, media_to(caller.port()));
  auto held = media_to(agent.port());
  held.direction = MediaDirection::RecvOnly;
  engine->configure(b->id, held);
  engine->bridge(a->id, b->id);
  applied();
  for (int i = 0; i < 3; ++i) caller.send(a->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, ulaw_tone(i));
  for (int i = 0; i < 3; ++i) agent.send(b->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, ulaw_tone(i));
  EXPECT_TRUE(agent.receive(100ms).empty());
  EXPECT_EQ(caller.receive(100ms).size(), 3u);
  engine->configure(b->id, media_to(agent.port()));  // re-INVITE: sendrecv again
  applied();
  for (int i = 3; i < 6; ++i) caller.send(a->rtp_port, 0, static_cast<uint16_t>(i), 160u * i, ulaw_tone(i));
  EXPECT_EQ(agent.receive(100ms).size(), 3u);
}

// Whatever arrives on an RTP port, the engine keeps running and counts what it refused.
TEST_F(EngineTest, GarbageOnTheRtpPortIsCountedNotFatal) {
  Phone attacker, caller;
  auto a = engine->create_endpoint("127.0.0.1", 15);
  engine->configure(a->id, media_to(caller.port()));
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> junk(rng() % 300);
    for (auto& b : junk) b = static_cast<uint8_t>(rng());
    if (!junk.empty() && i % 2 == 0) junk[0] = 0x80;  // half of it looks like RTP version 2
    attacker.send_raw(a->rtp_port, junk);
  }
  std::this_thread::sleep_for(200ms);
  std::promise<EndpointCounters> counters;
  engine->inspect(a->id, [&](Endpoint* ep) { counters.set_value(ep->counters()); });
  auto c = counters.get_future().get();
  EXPECT_GT(c.rejected + c.from_unexpected, 1000u);
  // Still alive and relaying for the real caller's digits.
  dtmf::TelephoneEvent ev;
  ev.event = 9;
  ev.end = true;
  ev.duration = 800;
  auto payload = dtmf::encode_telephone_event(ev);
  for (int i = 0; i < 3; ++i) caller.send(a->rtp_port, 101, 500, 64000, {payload.begin(), payload.end()}, i == 0, 0x1234);
  // The attacker's RTP-looking junk latched first; the caller is the address SDP signalled,
  // so it takes the stream back.
  auto d = events.wait(MediaEvent::Kind::Dtmf, 1s);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digit, '9');
  // Now the attacker cannot take it again with a new SSRC while the caller is talking.
  ev.event = 3;
  payload = dtmf::encode_telephone_event(ev);
  for (int i = 0; i < 3; ++i) attacker.send(a->rtp_port, 101, 900, 96000, {payload.begin(), payload.end()}, i == 0, 0x6666);
  EXPECT_FALSE(events.wait(MediaEvent::Kind::Dtmf, 300ms));
}

}  // namespace
}  // namespace sb::media::engine

namespace sb::media::engine {
namespace {

// Across a transcoding bridge the event packets cannot be relayed: the digit is sent on as
// new RFC 4733 events in the other leg's stream.
TEST_F(EngineTest, DigitsCrossATranscodingBridgeAsNewEvents) {
  Phone caller, agent;
  auto a = engine->create_endpoint("127.0.0.1", 16);
  auto b = engine->create_endpoint("127.0.0.1", 16);
  engine->configure(a->id, media_to(caller.port(), AudioCodec::Pcmu, 0));
  auto opus = media_to(agent.port(), AudioCodec::Opus, 111);
  opus.telephone_event_pt = 96;
  engine->configure(b->id, opus);
  engine->bridge(a->id, b->id);
  applied();
  for (int i = 0; i < 5; ++i) {
    dtmf::TelephoneEvent ev;
    ev.event = 5;
    ev.end = i >= 2;
    ev.duration = static_cast<uint16_t>(400 * (i + 1));
    auto payload = dtmf::encode_telephone_event(ev);
    caller.send(a->rtp_port, 101, static_cast<uint16_t>(10 + i), 8000, {payload.begin(), payload.end()}, i == 0);
  }
  std::string digits;
  dtmf::DtmfReceiver receiver;
  for (auto& bytes : agent.receive(500ms)) {
    auto p = rtp::parse_rtp(bytes);
    if (!p || p->payload_type != 96) continue;
    digits += ended_digits(receiver, *p);
  }
  EXPECT_EQ(digits, "5");
}

}  // namespace
}  // namespace sb::media::engine
