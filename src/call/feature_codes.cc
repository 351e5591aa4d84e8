// call/feature_codes.cc
#include "call/feature_codes.h"

#include <cctype>

namespace sb::call {

std::string_view feature_kind_name(FeatureKind kind) {
  switch (kind) {
    case FeatureKind::Login: return "login";
    case FeatureKind::Logout: return "logout";
    case FeatureKind::Ready: return "ready";
    case FeatureKind::NotReady: return "not-ready";
    case FeatureKind::Monitor: return "monitor";
    case FeatureKind::Whisper: return "whisper";
    case FeatureKind::Barge: return "barge";
  }
  return "login";
}

namespace {

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Agent login names: letters, digits, '-', '_', '.' (what the config allows for names).
bool is_agent_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::optional<FeatureCode> parse_feature_code(std::string_view dialled) {
  if (dialled.size() < 2 || dialled[0] != '*') return std::nullopt;
  const char code = dialled[1];
  std::string_view arg = dialled.substr(2);
  switch (code) {
    case '1':
      if (!arg.empty() && !is_agent_name(arg)) return std::nullopt;
      return FeatureCode{FeatureKind::Login, std::string(arg)};
    case '0':
      if (!arg.empty()) return std::nullopt;
      return FeatureCode{FeatureKind::Logout, {}};
    case '2':
      if (!arg.empty()) return std::nullopt;
      return FeatureCode{FeatureKind::Ready, {}};
    case '3':
      if (!all_digits(arg) || arg.size() > 3) return std::nullopt;
      return FeatureCode{FeatureKind::NotReady, std::string(arg)};
    case '5':
    case '6':
    case '7': {
      if (!is_agent_name(arg)) return std::nullopt;
      const FeatureKind kind = code == '5' ? FeatureKind::Monitor : code == '6' ? FeatureKind::Whisper : FeatureKind::Barge;
      return FeatureCode{kind, std::string(arg)};
    }
    default:
      return std::nullopt;
  }
}

}  // namespace sb::call
