// sip/torture_test.cc: the parser against the torture corpus in tests/data/sip/ (RFC 4475 in
// spirit): each valid/*.sip must parse and survive serialize() unchanged, each invalid/*.sip
// must be refused as its `# expect:` line says. The messages live in the files, not here.
//
// File format: leading `#` lines are metadata and are stripped:
//   # expect: parse | 400 <reason substring> | 505 <reason substring> | drop
//   # why: ...      (free text)
//   # trailing: N   (optional, parse only: N octets after the body are discarded, §18.3)
// The rest is the message. Each '\n' becomes CRLF; the escapes <CR> <LF> <TAB> <NUL>
// <HEX:xx> give those raw octets, and <REPEAT:n:text> gives text n times (text has no '>').
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message_builder.h"
#include "sip/message_parser.h"

namespace sb::sip {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kCorpus = fs::path(SB_SOURCE_DIR) / "tests" / "data" / "sip";

struct TortureFile {
  std::string expect;   // "parse", "400 ...", "505 ...", "drop"
  size_t trailing = 0;  // octets after the body that the parser must discard
  std::string message;  // after the conversions
  std::string problem;  // non-empty when the file itself is malformed
};

bool parse_size(std::string_view text, size_t& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && p == text.data() + text.size();
}

// Expands the escapes of one message text and turns each '\n' into CRLF.
std::string convert(std::string_view text, std::string& problem) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      out += "\r\n";
      ++i;
      continue;
    }
    if (c == '<') {
      const std::string_view rest = text.substr(i);
      struct Simple {
        std::string_view token;
        char octet;
      };
      bool done = false;
      for (const Simple s : {Simple{"<CR>", '\r'}, Simple{"<LF>", '\n'}, Simple{"<TAB>", '\t'},
                             Simple{"<NUL>", '\0'}}) {
        if (rest.starts_with(s.token)) {
          out += s.octet;
          i += s.token.size();
          done = true;
          break;
        }
      }
      if (done) {
        continue;
      }
      if (rest.starts_with("<HEX:")) {
        unsigned value = 0;
        auto [p, ec] = std::from_chars(rest.data() + 5,
                                       rest.data() + std::min<size_t>(rest.size(), 7), value, 16);
        if (ec != std::errc{} || p != rest.data() + 7 || rest.size() < 8 || rest[7] != '>') {
          problem = "bad <HEX:xx> escape at offset " + std::to_string(i);
          return out;
        }
        out += static_cast<char>(value);
        i += 8;
        continue;
      }
      if (rest.starts_with("<REPEAT:")) {
        const size_t colon = rest.find(':', 8);
        const size_t close = rest.find('>', 8);
        size_t n = 0;
        if (colon == std::string_view::npos || close == std::string_view::npos || close < colon ||
            !parse_size(rest.substr(8, colon - 8), n)) {
          problem = "bad <REPEAT:n:text> escape at offset " + std::to_string(i);
          return out;
        }
        const std::string_view unit = rest.substr(colon + 1, close - colon - 1);
        for (size_t k = 0; k < n; ++k) {
          out += unit;
        }
        i += close + 1;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

TortureFile load(const fs::path& path) {
  TortureFile f;
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  size_t pos = 0;
  while (pos < text.size() && text[pos] == '#') {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) {
      nl = text.size();
    }
    const std::string_view line(text.data() + pos, nl - pos);
    if (line.starts_with("# expect:")) {
      std::string_view v = line.substr(9);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.remove_suffix(1);
      f.expect = std::string(v);
    } else if (line.starts_with("# trailing:")) {
      std::string_view v = line.substr(11);
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      if (!parse_size(v, f.trailing)) {
        f.problem = "bad # trailing: line";
      }
    }
    pos = nl + 1;
  }
  if (f.expect.empty()) {
    f.problem = "no # expect: line";
  }
  if (pos < text.size()) {
    f.message = convert(std::string_view(text).substr(pos), f.problem);
  }
  return f;
}

// Octets after the first empty line (CRLF CRLF, or bare LF LF), after the leading CRLFs.
std::optional<size_t> octets_after_headers(std::string_view m) {
  size_t start = 0;
  while (start < m.size() && (m[start] == '\r' || m[start] == '\n')) ++start;
  for (size_t i = m.find('\n', start); i != std::string_view::npos; i = m.find('\n', i + 1)) {
    size_t j = i + 1;
    if (j < m.size() && m[j] == '\r') ++j;
    if (j < m.size() && m[j] == '\n') {
      return m.size() - (j + 1);
    }
  }
  return std::nullopt;
}

std::vector<std::string> files_in(std::string_view folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kCorpus / folder, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".sip") {
      names.push_back(std::string(folder) + "/" + entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      c = '_';
    }
  }
  return name;
}

struct Header {
  std::string name;
  std::string value;
  bool operator==(const Header&) const = default;
};

std::vector<Header> headers_of(const Message& m) {
  std::vector<Header> out;
  for (const auto& h : m.headers()) {
    out.push_back(Header{std::string(m.name_of(h)), std::string(m.value_of(h))});
  }
  return out;
}

void PrintTo(const Header& h, std::ostream* os) { *os << h.name << ": " << h.value; }

// serialize(m) must parse again to the same start line (the version is always written as
// SIP/2.0), the same headers in order and the same body.
void expect_round_trip(const Message& m) {
  const std::string wire = serialize(m);
  ParseResult again = MessageParser().parse(wire);
  if (const auto* e = std::get_if<ParseError>(&again)) {
    ADD_FAILURE() << "serialize() output refused: " << e->status << " " << e->reason
                  << "\n--- wire ---\n"
                  << wire;
    return;
  }
  const Message& r = std::get<Message>(again);
  EXPECT_EQ(r.is_request(), m.is_request());
  if (m.is_request()) {
    EXPECT_EQ(r.method_text(), m.method_text());
    EXPECT_EQ(r.request_uri(), m.request_uri());
  } else {
    EXPECT_EQ(r.status(), m.status());
    EXPECT_EQ(r.reason(), m.reason());
  }
  EXPECT_EQ(headers_of(r), headers_of(m));
  EXPECT_EQ(r.body(), m.body());
}

class SipTorture : public ::testing::TestWithParam<std::string> {};

TEST_P(SipTorture, MeetsItsExpectation) {
  const TortureFile f = load(kCorpus / GetParam());
  ASSERT_TRUE(f.problem.empty()) << GetParam() << ": " << f.problem;
  const ParseResult result = MessageParser().parse(f.message);
  const auto after = octets_after_headers(f.message);
  const std::string sizes =
      "message " + std::to_string(f.message.size()) + " octets, " +
      (after ? std::to_string(*after) + " after the empty line" : std::string("no empty line"));

  if (f.expect == "parse") {
    if (const auto* e = std::get_if<ParseError>(&result)) {
      FAIL() << "refused: " << e->status << " " << e->reason << " (" << sizes << ")";
    }
    const Message& m = std::get<Message>(result);
    // Catches a miscounted Content-Length in the file: the body must be everything after the
    // empty line except the declared trailing octets.
    ASSERT_TRUE(after.has_value()) << sizes;
    EXPECT_EQ(m.body().size() + f.trailing, *after)
        << "Content-Length in the file is off (" << sizes << ", trailing " << f.trailing << ")";
    expect_round_trip(m);
    return;
  }

  ASSERT_TRUE(std::holds_alternative<ParseError>(result))
      << "accepted a message whose expectation is `" << f.expect << "` (" << sizes << ")";
  const ParseError& e = std::get<ParseError>(result);
  if (f.expect == "drop") {
    EXPECT_FALSE(e.is_request) << "a malformed response must be dropped, not answered; got "
                               << e.status << " " << e.reason;
    return;
  }
  const size_t sp = f.expect.find(' ');
  int status = 0;
  const std::string code = f.expect.substr(0, sp);
  ASSERT_TRUE(std::from_chars(code.data(), code.data() + code.size(), status).ec == std::errc{})
      << "bad # expect: line `" << f.expect << "`";
  const std::string reason = sp == std::string::npos ? "" : f.expect.substr(sp + 1);
  EXPECT_TRUE(e.is_request) << "a refused request must be answered";
  EXPECT_EQ(e.status, status) << e.reason;
  EXPECT_THAT(e.reason, HasSubstr(reason));
}

INSTANTIATE_TEST_SUITE_P(Valid, SipTorture, ::testing::ValuesIn(files_in("valid")), test_name);
INSTANTIATE_TEST_SUITE_P(Invalid, SipTorture, ::testing::ValuesIn(files_in("invalid")), test_name);

TEST(SipTortureCorpus, HoldsEnoughMessagesOfEachKind) {
  EXPECT_GE(files_in("valid").size(), 25u) << kCorpus;
  EXPECT_GE(files_in("invalid").size(), 20u) << kCorpus;
}

}  // namespace
}  // namespace sb::sip
