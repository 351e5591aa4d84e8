// app/progress_bar.h: a one-line progress bar on stderr, only when stderr is a terminal.
#pragma once

#include <string>

namespace sb::app {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  void update(double fraction);  // 0..1
  bool enabled() const { return enabled_; }

 private:
  std::string label_;
  bool enabled_;
  int last_percent_ = -1;
};

}  // namespace sb::app
