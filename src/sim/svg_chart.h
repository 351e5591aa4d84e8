// sim/svg_chart.h: an SVG chart of the simulated day: service level per interval (top) and
// average queue length (bottom), one line per queue. Self-contained markup, no scripts.
#pragma once

#include <string>

#include "sim/report.h"

namespace sb::sim {

std::string render_svg_chart(const SimulationReport& report);

}  // namespace sb::sim
