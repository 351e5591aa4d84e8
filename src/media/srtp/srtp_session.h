// media/srtp/srtp_session.h: one direction of SRTP/SRTCP (RFC 3711) for one media leg, over
// libsrtp2: outbound sessions protect, inbound sessions unprotect, for any SSRC. Not here: key
// exchange (srtp_keys.h, DTLS-SRTP is not supported), RTP parsing, sockets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "media/srtp/srtp_keys.h"

// libsrtp's opaque session type, declared as srtp.h declares it so the header stays light.
struct srtp_ctx_t_;

namespace sb::media::srtp {

enum class SrtpDirection { Inbound, Outbound };

// Why a packet was refused. Error::where carries srtp_failure_name() of it, so a caller can
// count auth failures apart from replays (a replay is normal after a retransmitting SBC).
enum class SrtpFailure {
  Auth,       // the authentication tag does not match: wrong key or tampered packet
  Replay,     // already seen, or older than the replay window
  BadPacket,  // too short, not RTP/RTCP version 2, or no room for the trailer
  Other,      // any other libsrtp error (key usage limit reached, internal failure)
};
std::string_view srtp_failure_name(SrtpFailure failure);  // "srtp.auth", "srtp.replay", ...
std::optional<SrtpFailure> srtp_failure_of(const Error& error);

// Bytes protect_rtcp() appends: the 4-byte E flag + SRTCP index, then the 10-byte tag.
inline constexpr std::size_t kSrtcpTrailerLength = 4 + 10;

// Move-only owner of one libsrtp session. Creation is thread-safe (libsrtp is initialised once
// per process on first use); each session is then used by one thread, its leg's media thread.
class SrtpSession {
 public:
  // Fails when libsrtp cannot initialise or rejects the key (wrong length for the suite).
  static Result<SrtpSession> create(SrtpDirection direction, const SrtpKey& key);
  static Result<SrtpSession> create(SrtpDirection direction, CryptoSuite suite,
                                    std::span<const uint8_t> key_salt);

  // Protect in place. `buffer` holds the plain packet in its first `length` bytes and must have
  // room for the trailer after it (rtp_trailer_length() / kSrtcpTrailerLength). Returns the
  // protected length. Outbound sessions only.
  Result<std::size_t> protect_rtp(std::span<uint8_t> buffer, std::size_t length);
  Result<std::size_t> protect_rtcp(std::span<uint8_t> buffer, std::size_t length);
  // The same on a vector, which grows by the trailer.
  Result<std::size_t> protect_rtp(std::vector<uint8_t>& packet);
  Result<std::size_t> protect_rtcp(std::vector<uint8_t>& packet);

  // Verify and decrypt in place; returns the plain length. Inbound sessions only. A refused
  // packet's bytes are unspecified afterwards: drop it.
  Result<std::size_t> unprotect_rtp(std::span<uint8_t> packet);
  Result<std::size_t> unprotect_rtcp(std::span<uint8_t> packet);
  Result<std::size_t> unprotect_rtp(std::vector<uint8_t>& packet);
  Result<std::size_t> unprotect_rtcp(std::vector<uint8_t>& packet);

  SrtpDirection direction() const { return direction_; }
  CryptoSuite suite() const { return suite_; }
  std::size_t rtp_trailer_length() const { return rtp_tag_length(suite_); }

 private:
  struct Deleter {
    void operator()(srtp_ctx_t_* ctx) const;
  };
  SrtpSession(srtp_ctx_t_* ctx, SrtpDirection direction, CryptoSuite suite)
      : ctx_(ctx), direction_(direction), suite_(suite) {}
  Result<std::size_t> run(std::span<uint8_t> buffer, std::size_t length, bool rtcp,
                          bool protect);

  std::unique_ptr<srtp_ctx_t_, Deleter> ctx_;
  SrtpDirection direction_;
  CryptoSuite suite_;
};

}  // namespace sb::media::srtp
