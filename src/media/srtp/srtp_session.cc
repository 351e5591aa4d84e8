// media/srtp/srtp_session.cc: libsrtp2 calls, packet bounds checks libsrtp 2.x leaves to its
// caller, and error mapping. No cryptography of our own.
#include "media/srtp/srtp_session.h"

#include <srtp2/srtp.h>

#include <climits>
#include <mutex>
#include <string>

namespace sb::media::srtp {
namespace {

constexpr std::size_t kRtpHeader = 12;
constexpr std::size_t kRtcpHeader = 8;

// srtp_init() sets up libsrtp's global crypto kernel: once per process, before any session.
// We never call srtp_shutdown(): sessions may live until exit.
srtp_err_status_t ensure_init() {
  static std::once_flag once;
  static srtp_err_status_t status = srtp_err_status_ok;
  std::call_once(once, [] { status = srtp_init(); });
  return status;
}

Error failure(SrtpFailure kind, std::string message) {
  return Error{std::move(message), std::string(srtp_failure_name(kind))};
}

Error libsrtp_failure(const char* what, srtp_err_status_t status) {
  switch (status) {
    case srtp_err_status_auth_fail:
      return failure(SrtpFailure::Auth, std::string(what) + ": authentication failed");
    case srtp_err_status_replay_fail:
      return failure(SrtpFailure::Replay, std::string(what) + ": replayed packet");
    case srtp_err_status_replay_old:
      return failure(SrtpFailure::Replay, std::string(what) + ": packet older than the window");
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
    case srtp_err_status_no_ctx:
      return failure(SrtpFailure::BadPacket, std::string(what) + ": malformed packet (status " +
                                                 std::to_string(status) + ")");
    default:
      return failure(SrtpFailure::Other,
                     std::string(what) + ": libsrtp status " + std::to_string(status));
  }
}

// The RTP header length (fixed part, CSRCs, extension) if it fits in `length`: libsrtp 2.x
// reads it without checking against the packet length.
std::optional<std::size_t> rtp_header_length(std::span<const uint8_t> p, std::size_t length) {
  if (length < kRtpHeader) {
    return std::nullopt;
  }
  std::size_t header = kRtpHeader + 4 * std::size_t{p[0] & 0x0fu};
  if ((p[0] & 0x10u) != 0) {  // X bit: 4-byte extension header, then its 32-bit words
    if (header + 4 > length) {
      return std::nullopt;
    }
    header += 4 + 4 * ((std::size_t{p[header + 2]} << 8) | p[header + 3]);
  }
  if (header > length) {
    return std::nullopt;
  }
  return header;
}

}  // namespace

std::string_view srtp_failure_name(SrtpFailure failure) {
  switch (failure) {
    case SrtpFailure::Auth: return "srtp.auth";
    case SrtpFailure::Replay: return "srtp.replay";
    case SrtpFailure::BadPacket: return "srtp.bad_packet";
    case SrtpFailure::Other: return "srtp.other";
  }
  return "srtp.other";
}

std::optional<SrtpFailure> srtp_failure_of(const Error& error) {
  for (SrtpFailure f : {SrtpFailure::Auth, SrtpFailure::Replay, SrtpFailure::BadPacket,
                        SrtpFailure::Other}) {
    if (error.where == srtp_failure_name(f)) {
      return f;
    }
  }
  return std::nullopt;
}

void SrtpSession::Deleter::operator()(srtp_ctx_t_* ctx) const { srtp_dealloc(ctx); }

Result<SrtpSession> SrtpSession::create(SrtpDirection direction, const SrtpKey& key) {
  return create(direction, key.suite, key.key_salt);
}

Result<SrtpSession> SrtpSession::create(SrtpDirection direction, CryptoSuite suite,
                                        std::span<const uint8_t> key_salt) {
  if (key_salt.size() != master_key_salt_length(suite)) {
    return Error{"key||salt is " + std::to_string(key_salt.size()) + " bytes, " +
                     std::string(suite_name(suite)) + " needs " +
                     std::to_string(master_key_salt_length(suite)),
                 "key"};
  }
  if (srtp_err_status_t s = ensure_init(); s != srtp_err_status_ok) {
    return Error{"srtp_init failed: status " + std::to_string(s), "libsrtp"};
  }
  srtp_policy_t policy{};
  switch (suite) {
    case CryptoSuite::AesCm128HmacSha1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      break;
    case CryptoSuite::AesCm128HmacSha1_32:  // RFC 4568 §6.2.2: SRTCP keeps the 80-bit tag
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      break;
    case CryptoSuite::AesCm256HmacSha1_80:
      srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&policy.rtcp);
      break;
  }
  // One wildcard stream: a leg's SSRC can change (re-INVITE, PBX transfer) under the same key.
  policy.ssrc.type =
      direction == SrtpDirection::Inbound ? ssrc_any_inbound : ssrc_any_outbound;
  // libsrtp derives the session keys in srtp_create() and keeps no pointer to the master key.
  policy.key = const_cast<unsigned char*>(key_salt.data());
  policy.window_size = 128;  // RFC 3711 §3.3.2 minimum 64; libsrtp's default
  policy.allow_repeat_tx = 0;
  srtp_t ctx = nullptr;
  if (srtp_err_status_t s = srtp_create(&ctx, &policy); s != srtp_err_status_ok) {
    return Error{"srtp_create failed: status " + std::to_string(s), "libsrtp"};
  }
  return SrtpSession(ctx, direction, suite);
}

Result<std::size_t> SrtpSession::protect_rtp(std::span<uint8_t> buffer, std::size_t length) {
  return run(buffer, length, false, true);
}
Result<std::size_t> SrtpSession::protect_rtcp(std::span<uint8_t> buffer, std::size_t length) {
  return run(buffer, length, true, true);
}
Result<std::size_t> SrtpSession::unprotect_rtp(std::span<uint8_t> packet) {
  return run(packet, packet.size(), false, false);
}
Result<std::size_t> SrtpSession::unprotect_rtcp(std::span<uint8_t> packet) {
  return run(packet, packet.size(), true, false);
}

Result<std::size_t> SrtpSession::protect_rtp(std::vector<uint8_t>& packet) {
  const std::size_t length = packet.size();
  packet.resize(length + rtp_trailer_length());
  auto r = protect_rtp(packet, length);
  packet.resize(r ? *r : length);
  return r;
}

Result<std::size_t> SrtpSession::protect_rtcp(std::vector<uint8_t>& packet) {
  const std::size_t length = packet.size();
  packet.resize(length + kSrtcpTrailerLength);
  auto r = protect_rtcp(packet, length);
  packet.resize(r ? *r : length);
  return r;
}

Result<std::size_t> SrtpSession::unprotect_rtp(std::vector<uint8_t>& packet) {
  auto r = unprotect_rtp(std::span<uint8_t>(packet));
  if (r) {
    packet.resize(*r);
  }
  return r;
}

Result<std::size_t> SrtpSession::unprotect_rtcp(std::vector<uint8_t>& packet) {
  auto r = unprotect_rtcp(std::span<uint8_t>(packet));
  if (r) {
    packet.resize(*r);
  }
  return r;
}

Result<std::size_t> SrtpSession::run(std::span<uint8_t> buffer, std::size_t length, bool rtcp,
                                     bool protect) {
  const char* what = protect ? (rtcp ? "protect_rtcp" : "protect_rtp")
                             : (rtcp ? "unprotect_rtcp" : "unprotect_rtp");
  if (protect != (direction_ == SrtpDirection::Outbound)) {
    return failure(SrtpFailure::Other,
                   std::string(what) + " on an " + (protect ? "inbound" : "outbound") + " session");
  }
  const std::size_t trailer = rtcp ? kSrtcpTrailerLength : rtp_trailer_length();
  // libsrtp 2.x takes no buffer size: it writes the trailer after `length` and reads headers
  // unchecked, so everything it touches is bounds-checked here.
  const std::size_t plain = protect ? length : (length >= trailer ? length - trailer : 0);
  const bool fits = length <= buffer.size() && length + trailer <= INT_MAX;
  const bool header_ok =
      fits && (rtcp ? plain >= kRtcpHeader : rtp_header_length(buffer, plain).has_value());
  if (!header_ok || (buffer[0] >> 6) != 2) {
    return failure(SrtpFailure::BadPacket, std::string(what) + ": not an RTP/RTCP v2 packet of " +
                                               std::to_string(length) + " bytes");
  }
  if (protect && buffer.size() - length < trailer) {
    return failure(SrtpFailure::BadPacket,
                   std::string(what) + ": buffer needs " + std::to_string(trailer) +
                       " bytes after the packet");
  }
  int len = static_cast<int>(length);
  srtp_err_status_t s = protect ? (rtcp ? srtp_protect_rtcp(ctx_.get(), buffer.data(), &len)
                                        : srtp_protect(ctx_.get(), buffer.data(), &len))
                                : (rtcp ? srtp_unprotect_rtcp(ctx_.get(), buffer.data(), &len)
                                        : srtp_unprotect(ctx_.get(), buffer.data(), &len));
  if (s != srtp_err_status_ok) {
    return libsrtp_failure(what, s);
  }
  return static_cast<std::size_t>(len);
}

}  // namespace sb::media::srtp
