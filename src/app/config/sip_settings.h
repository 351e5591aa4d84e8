// app/config/sip_settings.h: the `sip:` section as plain values: listeners, timers, the
// registrar's domains and accounts, protection limits and outbound trunk registrations.
// No SIP types here, so the config library stays independent of the stack; `switchboard
// serve` turns these into the stack's own configuration.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"

namespace sb::app {

struct SipListenerSettings {
  std::string transport = "udp";  // udp, tcp, tls, ws, wss
  std::string address = "0.0.0.0";
  uint16_t port = 5060;
  std::string certificate;  // tls/wss
  std::string private_key;  // tls/wss
};

struct SipAccountSettings {
  std::string user;
  std::string password;
};

struct SipTrunkSettings {
  std::string name;
  std::string registrar;  // "sip:sip.carrier.example:5060", numeric hosts or resolvable names
  std::string transport = "udp";
  std::string user;
  std::string auth_user;  // defaults to user
  std::string password;
  std::string domain;     // the AOR's host; defaults to the registrar's host
  Duration expires = std::chrono::hours(1);
  bool registers = true;  // `register: false` for a carrier that trusts our address instead
  std::string caller_id;  // the From user of our calls out; defaults to user
  // The carrier's networks (CIDR). When any trunk lists some, calls to our numbers are taken
  // only from those networks (403 otherwise).
  std::vector<std::string> allow;
  std::vector<std::string> codecs;  // offered/accepted on this trunk's calls, in order; empty: all
};

// How dialled numbers become E.164 and which trunk carries calls out (callbacks, transfers to
// outside numbers, agents dialling out).
struct SipDialPlanSettings {
  std::string country_code = "1";
  std::string national_prefix = "1";
  std::string international_prefix = "011";
  std::string trunk;  // the trunk for calls out; empty: the first trunk, if any
};

struct SipSettings {
  std::vector<SipListenerSettings> listeners;  // empty in the file: UDP and TCP on 0.0.0.0:5060
  Duration t1 = std::chrono::milliseconds(500);
  Duration t2 = std::chrono::seconds(4);
  Duration t4 = std::chrono::seconds(5);
  std::string user_agent = "Switchboard";

  // Registrar.
  std::vector<std::string> domains;  // empty: any host (single-tenant)
  std::string realm = "switchboard";
  bool require_auth = true;
  std::vector<SipAccountSettings> accounts;
  // Offered in this order, one challenge each, SHA-256 first (RFC 8760 §2.4). Phones that predate
  // RFC 8760 may fail on any challenge but MD5 (SIPp 3.6 reads only the first; baresip 1.0
  // gives up when any is SHA-256): configure [MD5] for them, as the demo does.
  std::vector<std::string> digest_algorithms = {"SHA-256", "MD5"};
  Duration default_expires = std::chrono::hours(1);
  Duration min_expires = std::chrono::seconds(60);
  Duration max_expires = std::chrono::hours(2);
  int max_contacts = 5;
  Duration nonce_lifetime = std::chrono::minutes(5);

  // Protection, per source IP address.
  double requests_per_second = 100;  // sustained
  int request_burst = 400;
  int auth_failures = 5;             // failed authentications within the window ...
  Duration auth_failure_window = std::chrono::minutes(1);
  Duration auth_block = std::chrono::minutes(5);  // ... block the source this long
  // Networks (CIDR) never limited nor blocked, like the trunks' `allow` networks and their
  // registrars: our own proxies and SBCs.
  std::vector<std::string> trusted;

  std::vector<SipTrunkSettings> trunks;
  SipDialPlanSettings dialplan;
};

}  // namespace sb::app
