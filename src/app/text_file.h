// app/text_file.h: whole-file writes for reports and charts, with an error message on failure.
#pragma once

#include <optional>
#include <string>

namespace sb::app {

// Writes atomically (temp file + rename) so a reader never sees half a chart.
// Returns an error message, or nullopt on success.
std::optional<std::string> write_text_file(const std::string& path, const std::string& text);

}  // namespace sb::app
