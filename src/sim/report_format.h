// sim/report_format.h: the simulation report as a terminal table, CSV or JSON text.
#pragma once

#include <string>

#include "sim/report.h"

namespace sb::sim {

std::string format_table(const SimulationReport& report);
std::string format_csv(const SimulationReport& report);
std::string format_json(const SimulationReport& report);

}  // namespace sb::sim
