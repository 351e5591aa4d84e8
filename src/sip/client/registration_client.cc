// sip/client/registration_client.cc: the registration cycle: register, refresh, retry, remove.
#include "sip/client/registration_client.h"

#include <algorithm>
#include <utility>

#include "sip/client/registration_response.h"
#include "sip/parse/uri.h"

namespace sb::sip::client {
namespace {

bool is_sip_uri(std::string_view text) {
  const Result<Uri> uri = parse_uri(text);
  return uri && (uri->scheme == UriScheme::Sip || uri->scheme == UriScheme::Sips);
}

RegistrationState only(RegistrationStatus status) {
  RegistrationState state;
  state.status = status;
  return state;
}

std::string aor_of(const RegistrationConfig& config) {
  return "sip:" + config.aor_user + "@" + config.aor_domain;
}

}  // namespace

std::optional<Error> validate(const RegistrationConfig& config) {
  if (!is_sip_uri(config.registrar_uri)) {
    return Error{"not a SIP URI: \"" + config.registrar_uri + "\"", "registrar_uri"};
  }
  if (config.aor_user.empty()) {
    return Error{"empty", "aor_user"};
  }
  if (config.aor_domain.empty()) {
    return Error{"empty", "aor_domain"};
  }
  if (!is_sip_uri(aor_of(config))) {
    return Error{"not a SIP URI: \"" + aor_of(config) + "\"", "aor_user"};
  }
  if (!is_sip_uri(config.contact_uri)) {
    return Error{"not a SIP URI: \"" + config.contact_uri + "\"", "contact_uri"};
  }
  if (config.expires <= std::chrono::seconds::zero()) {
    return Error{"must be above 0 (unregister() removes the binding)", "expires"};
  }
  if (!config.destination.remote.valid() || config.destination.remote.port() == 0) {
    return Error{"no resolved address and port", "destination"};
  }
  if (config.retry_initial <= Duration::zero()) {
    return Error{"must be above 0", "retry_initial"};
  }
  return std::nullopt;
}

RegistrationClient::RegistrationClient(Uac& uac, const Clock& clock, TimerQueue& timers,
                                       RegistrationConfig config, StateCallback on_state)
    : uac_(uac),
      clock_(clock),
      timers_(timers),
      config_(std::move(config)),
      on_state_(std::move(on_state)),
      call_id_(uac_.make_call_id()),
      from_tag_(uac_.make_tag()),
      requested_(config_.expires),
      backoff_(config_.retry_initial, config_.retry_max) {}

RegistrationClient::~RegistrationClient() {
  if (timer_ != 0) {
    timers_.cancel(timer_);
  }
  if (in_flight_.value != 0) {
    uac_.abandon(in_flight_);
  }
}

Result<RegistrationStatus> RegistrationClient::start() {
  if (running_) {
    return state_.status;
  }
  if (in_flight_.value != 0) {
    return Error{"the unregistration is still waiting for its answer", "start"};
  }
  if (std::optional<Error> invalid = validate(config_)) {
    return *invalid;
  }
  running_ = true;
  stopping_ = false;
  backoff_.reset();
  send_register(/*removal=*/false);
  return state_.status;
}

void RegistrationClient::unregister() {
  if (!running_) {
    return;  // never started, or unregister() was called already
  }
  running_ = false;
  stopping_ = true;
  if (timer_ != 0) {
    timers_.cancel(timer_);
    timer_ = 0;
  }
  if (in_flight_.value != 0) {
    // RFC 3261 §10.2: no second REGISTER before the first has its final response.
    set_state(only(RegistrationStatus::Unregistering));
    return;
  }
  if (binding_alive()) {
    send_register(/*removal=*/true);
    return;
  }
  stopping_ = false;
  set_state(only(RegistrationStatus::Unregistered));
}

void RegistrationClient::send_register(bool removal) {
  RequestSpec spec;
  spec.method = "REGISTER";
  spec.request_uri = config_.registrar_uri;
  spec.from = "<" + aor_of(config_) + ">";
  spec.to = spec.from;
  spec.contact = "<" + config_.contact_uri + ">";
  spec.headers.emplace_back("Expires", removal ? "0" : std::to_string(requested_.count()));
  spec.call_id = call_id_;
  spec.from_tag = from_tag_;
  spec.cseq = next_cseq_;
  Credentials credentials{config_.auth_user.empty() ? config_.aor_user : config_.auth_user,
                          config_.password, config_.realm};
  const uint64_t attempt = ++attempt_;
  Result<UacRequestId> sent =
      uac_.send(std::move(spec), config_.destination, std::move(credentials),
                [this, attempt](const Message& response) {
                  if (response.status() >= 200) {
                    on_final(attempt, response);
                  }
                });
  if (!sent) {
    if (removal) {
      stopping_ = false;
      RegistrationState failed = only(RegistrationStatus::Failed);
      failed.reason = sent.error().to_string();
      set_state(std::move(failed));
    } else {
      on_failure(0, sent.error().to_string(), std::nullopt);
    }
    return;
  }
  ++next_cseq_;
  in_flight_ = *sent;
  in_flight_removal_ = removal;
  if (removal) {
    if (state_.status != RegistrationStatus::Unregistering) {
      set_state(only(RegistrationStatus::Unregistering));
    }
  } else if (state_.status != RegistrationStatus::Registered &&
             state_.status != RegistrationStatus::Registering) {
    set_state(only(RegistrationStatus::Registering));
  }
}

void RegistrationClient::on_final(uint64_t attempt, const Message& response) {
  if (attempt != attempt_) {
    return;
  }
  in_flight_ = {};
  // The Uac's authorized re-sends raised the CSeq: continue above the last one used.
  next_cseq_ = std::max(next_cseq_, response.cseq() + 1);
  const int status = response.status();
  const bool ok = status >= 200 && status < 300;
  if (in_flight_removal_) {
    in_flight_removal_ = false;
    finish_removal(response);
    return;
  }
  if (stopping_) {
    // unregister() came while this REGISTER was out: remove what it may have created.
    if (ok) {
      const std::chrono::seconds granted =
          granted_expiry(response, config_.contact_uri).value_or(requested_);
      binding_until_ = clock_.now() + granted;
    }
    if (binding_alive()) {
      send_register(/*removal=*/true);
    } else {
      stopping_ = false;
      set_state(only(RegistrationStatus::Unregistered));
    }
    return;
  }
  if (ok) {
    on_success(response);
    return;
  }
  if (status == 423) {
    // RFC 3261 §10.2.8: ask again with at least Min-Expires; only upwards, so this ends.
    const std::optional<std::chrono::seconds> min =
        header_seconds(response, HeaderName::MinExpires);
    if (min && *min > requested_) {
      requested_ = *min;
      send_register(/*removal=*/false);
      return;
    }
  }
  on_failure(status, std::string(response.reason()),
             header_seconds(response, HeaderName::RetryAfter));
}

void RegistrationClient::on_success(const Message& ok) {
  const std::chrono::seconds granted = granted_expiry(ok, config_.contact_uri).value_or(requested_);
  if (granted <= std::chrono::seconds::zero()) {
    binding_until_.reset();
    on_failure(ok.status(), "the registrar granted no time to our Contact", std::nullopt);
    return;
  }
  const TimePoint now = clock_.now();
  binding_until_ = now + granted;
  backoff_.reset();
  const TimePoint refresh_at = now + refresh_delay(granted);
  arm(refresh_at, &RegistrationClient::refresh);
  RegistrationState registered = only(RegistrationStatus::Registered);
  registered.expires_at = binding_until_;
  registered.refresh_at = refresh_at;
  set_state(std::move(registered));
}

void RegistrationClient::on_failure(int code, std::string reason,
                                    std::optional<std::chrono::seconds> retry_after) {
  Duration delay = backoff_.next();
  if (retry_after) {
    delay = std::max<Duration>(delay, *retry_after);
  }
  delay = std::min(delay, std::max(config_.retry_max, config_.retry_initial));
  const TimePoint retry_at = clock_.now() + delay;
  arm(retry_at, &RegistrationClient::refresh);
  RegistrationState failed = only(RegistrationStatus::Failed);
  if (binding_alive()) {
    failed.expires_at = binding_until_;
  }
  failed.code = code;
  failed.reason = std::move(reason);
  failed.retry_at = retry_at;
  set_state(std::move(failed));
}

void RegistrationClient::finish_removal(const Message& response) {
  stopping_ = false;
  if (response.status() >= 200 && response.status() < 300) {
    binding_until_.reset();
    set_state(only(RegistrationStatus::Unregistered));
    return;
  }
  RegistrationState failed = only(RegistrationStatus::Failed);
  if (binding_alive()) {
    failed.expires_at = binding_until_;
  }
  failed.code = response.status();
  failed.reason = std::string(response.reason());
  set_state(std::move(failed));
}

bool RegistrationClient::binding_alive() const {
  return binding_until_ && *binding_until_ > clock_.now();
}

void RegistrationClient::arm(TimePoint at, void (RegistrationClient::*action)()) {
  if (timer_ != 0) {
    timers_.cancel(timer_);
  }
  timer_ = timers_.schedule(at, [this, action] {
    timer_ = 0;
    (this->*action)();
  });
}

void RegistrationClient::refresh() {
  if (running_ && in_flight_.value == 0) {
    send_register(/*removal=*/false);
  }
}

void RegistrationClient::set_state(RegistrationState state) {
  state_ = std::move(state);
  if (on_state_) {
    on_state_(state_);
  }
}

}  // namespace sb::sip::client
