// The dashboard's files, embedded at build time from daemon/web/ (the page,
// and what ops/vendor-web.sh brought from npm): the daemon serves them
// without files or network, so the page works on a closed network.
// Thread-safety: safe from any thread.
#pragma once

#include <string_view>

namespace safetynet {

// GET /: daemon/web/dashboard.html.
std::string_view DashboardHtml();
// GET /assets/echarts.min.js: Apache ECharts.
std::string_view EchartsJs();
// The map outline (ECharts GeoJSON, each feature with properties.code, the
// region prefix) for `key`: "china" (the provinces) or a province's 2 digits
// (its cities); empty where there is none (daemon/web/maps.tsv).
std::string_view MapOutline(std::string_view key);

}  // namespace safetynet
