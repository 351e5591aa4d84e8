// app/stack_settings.h: the SIP stack's and the media engine's settings from the config file,
// shared by `switchboard serve` and the test peer (tests/peer/) so both run the same stack.
#pragma once

#include "app/config/media_settings.h"
#include "app/config/sip_settings.h"
#include "media/engine/media_engine.h"
#include "sip/stack/sip_stack.h"

namespace sb::app {

sip::SipStackConfig stack_config(const SipSettings& s);
media::engine::MediaEngineConfig engine_config(const MediaSettings& media);

}  // namespace sb::app
