// sip/method.cc
#include "sip/method.h"

#include <array>
#include <utility>

namespace sb::sip {
namespace {

constexpr std::array<std::pair<Method, std::string_view>, 14> kMethods = {{
    {Method::Invite, "INVITE"},       {Method::Ack, "ACK"},         {Method::Bye, "BYE"},
    {Method::Cancel, "CANCEL"},       {Method::Register, "REGISTER"},
    {Method::Options, "OPTIONS"},     {Method::Info, "INFO"},       {Method::Update, "UPDATE"},
    {Method::Prack, "PRACK"},         {Method::Subscribe, "SUBSCRIBE"},
    {Method::Notify, "NOTIFY"},       {Method::Refer, "REFER"},     {Method::Message, "MESSAGE"},
    {Method::Publish, "PUBLISH"},
}};

}  // namespace

std::string_view method_name(Method m) {
  for (const auto& [method, name] : kMethods) {
    if (method == m) {
      return name;
    }
  }
  return "";
}

Method parse_method(std::string_view token) {
  for (const auto& [method, name] : kMethods) {
    if (name == token) {
      return method;
    }
  }
  return Method::Unknown;
}

}  // namespace sb::sip
