// sim/svg_chart.cc: plain SVG building; axes, grid, legend, two panels sharing the time axis.
#include "sim/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <map>
#include <vector>

namespace sb::sim {
namespace {

constexpr double kWidth = 960, kLeft = 70, kRight = 170, kTop = 40, kPanel = 210, kGap = 60;
constexpr const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                   "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

struct Series {
  std::string queue;
  std::vector<double> values;  // per interval; negative = no data
};

std::string polyline(const Series& s, double x0, double dx, double y0, double height, double max,
                     const char* color) {
  std::string points;
  std::string out;
  auto flush = [&] {
    if (!points.empty()) {
      out += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n",
                         color, points);
      points.clear();
    }
  };
  for (size_t i = 0; i < s.values.size(); ++i) {
    if (s.values[i] < 0) {
      flush();
      continue;
    }
    const double x = x0 + dx * (static_cast<double>(i) + 0.5);
    const double y = y0 + height - height * std::min(1.0, s.values[i] / max);
    points += fmt::format("{:.1f},{:.1f} ", x, y);
  }
  flush();
  return out;
}

std::string panel(const std::vector<Series>& series, double y0, double max, const std::string& title,
                  const std::string& unit, int intervals, Duration start, Duration interval,
                  std::optional<double> reference) {
  const double plot_w = kWidth - kLeft - kRight;
  const double dx = plot_w / std::max(1, intervals);
  std::string out = fmt::format(
      "<text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\">{}</text>\n", kLeft, y0 - 10,
      escape(title));
  out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#999\"/>\n",
                     kLeft, y0, plot_w, kPanel);
  for (int g = 0; g <= 4; ++g) {
    const double y = y0 + kPanel - kPanel * g / 4.0;
    out += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>\n", kLeft, y,
                       kLeft + plot_w, y);
    out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"end\">{:g}{}</text>\n",
                       kLeft - 6, y + 4, max * g / 4.0, unit);
  }
  const int label_every = std::max(1, intervals / 10);
  for (int i = 0; i <= intervals; i += label_every) {
    const auto minutes =
        std::chrono::duration_cast<std::chrono::minutes>(start + interval * i).count();
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{:02}:{:02}</text>\n",
                       kLeft + dx * i, y0 + kPanel + 16, (minutes / 60) % 24, minutes % 60);
  }
  if (reference) {
    const double y = y0 + kPanel - kPanel * std::min(1.0, *reference / max);
    out += fmt::format(
        "<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#000\" stroke-dasharray=\"6,4\"/>\n",
        kLeft, y, kLeft + plot_w, y);
  }
  for (size_t s = 0; s < series.size(); ++s) {
    out += polyline(series[s], kLeft, dx, y0, kPanel, max, kColors[s % 10]);
  }
  return out;
}

}  // namespace

std::string render_svg_chart(const SimulationReport& report) {
  std::map<std::string, size_t> index;
  std::vector<Series> sl, length;
  int intervals = 0;
  Duration start{};
  for (const auto& r : report.intervals) {
    auto [it, fresh] = index.emplace(r.queue, sl.size());
    if (fresh) {
      sl.push_back({r.queue, {}});
      length.push_back({r.queue, {}});
    }
    if (r.interval == 0) {
      start = r.start;
    }
    sl[it->second].values.push_back(r.offered > 0 ? 100 * r.service_level : -1);
    length[it->second].values.push_back(r.avg_queue_length);
    intervals = std::max(intervals, r.interval + 1);
  }
  double max_length = 1;
  for (const auto& s : length) {
    for (double v : s.values) max_length = std::max(max_length, v);
  }
  max_length = std::ceil(max_length / 4) * 4;

  const double height = kTop + 2 * kPanel + kGap + 50;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      kWidth, height);
  out += panel(sl, kTop, 100, "Service level per interval (dashed: target)", "%", intervals, start,
               report.interval_length, 100 * report.target_service_level);
  out += panel(length, kTop + kPanel + kGap, max_length, "Average queue length", "", intervals,
               start, report.interval_length, std::nullopt);
  for (size_t s = 0; s < sl.size(); ++s) {
    const double y = kTop + 20 + 22.0 * static_cast<double>(s);
    out += fmt::format("<rect x=\"{}\" y=\"{:.0f}\" width=\"14\" height=\"4\" fill=\"{}\"/>\n",
                       kWidth - kRight + 15, y, kColors[s % 10]);
    out += fmt::format("<text x=\"{}\" y=\"{:.0f}\" font-size=\"12\">{}</text>\n",
                       kWidth - kRight + 35, y + 5, escape(sl[s].queue));
  }
  out += "</svg>\n";
  return out;
}

}  // namespace sb::sim
