// peer/media_test_sessions.h: the test peer's (`switchboard-test-peer`, main.cc) calls with real
// media, so SIPp can play audio and digits into the media engine and a test can check what
// came out. INVITEs to sip:record@ are answered from the engine's codecs on a fresh RTP
// endpoint; the caller's audio is recorded to <recordings_dir>/<Call-ID>.wav and every digit
// (RFC 4733, in-band, SIP INFO) is appended to <Call-ID>.digits. Other INVITEs go to the
// plain answering handler. The B2BUA (call/) replaces this for real calls.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "app/config/media_settings.h"
#include "media/engine/media_engine.h"
#include "media/recorder/recording_writer.h"
#include "sip/stack/session_handler.h"

namespace sb::peer {

class MediaTestSessions final : public sip::SessionHandler {
 public:
  MediaTestSessions(sip::SessionHandler& fallback, media::engine::MediaEngine& engine,
                    media::recorder::RecordingWriter& writer, app::MediaSettings settings);

  void on_invite(sip::SipStack& stack, sip::ServerTransactionId tx, const sip::Message& invite,
                 const sip::Peer& source) override;
  void on_cancelled(sip::SipStack& stack, sip::ServerTransactionId tx) override;
  void on_dialog_request(sip::SipStack& stack, sip::ServerTransactionId tx, sip::Dialog& dialog,
                         const sip::Message& request) override;
  void on_ack(sip::SipStack& stack, sip::Dialog& dialog, const sip::Message& ack) override;
  void on_dialog_ended(sip::SipStack& stack, sip::Dialog& dialog) override;

  // A media event, on the control thread (serve posts them here).
  void on_media_event(const media::engine::MediaEvent& event);

 private:
  struct Call {
    media::engine::EndpointId endpoint = media::engine::kNoEndpoint;
    std::string digits_path;
  };
  void note_digit(const Call& call, char digit, std::string_view how);

  sip::SessionHandler& fallback_;
  media::engine::MediaEngine& engine_;
  media::recorder::RecordingWriter& writer_;
  app::MediaSettings settings_;
  std::map<std::string, Call> calls_;  // by Call-ID
};

}  // namespace sb::peer
