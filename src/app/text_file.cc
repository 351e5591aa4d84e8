// app/text_file.cc
#include "app/text_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace sb::app {

std::optional<std::string> write_text_file(const std::string& path, const std::string& text) {
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return "cannot write " + path + ": " + std::strerror(errno);
    }
    out << text;
    if (!out.flush()) {
      return "cannot write " + path + ": " + std::strerror(errno);
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return "cannot write " + path + ": " + std::strerror(errno);
  }
  return std::nullopt;
}

}  // namespace sb::app
