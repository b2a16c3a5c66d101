#include "projections/read/report_table.h"

#include <cstdlib>

#include "events/divisions.h"

namespace safetynet {
namespace {

// n / 100 with two decimals, exact in integers.
std::string Hundredths(int64_t n) {
  const bool negative = n < 0;
  const uint64_t a = negative ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  std::string frac = std::to_string(a % 100);
  if (frac.size() < 2) frac.insert(0, 1, '0');
  return (negative ? "-" : "") + std::to_string(a / 100) + "." + frac;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string RegionTitle(const std::string& region) {
  if (region.empty()) return "全部地区";
  const std::string_view name = DivisionName(region);
  return name.empty() ? region : std::string(name);
}

std::string YuanText(int64_t fen) { return Hundredths(fen); }

std::string PercentText(int64_t bp) { return Hundredths(bp) + "%"; }

std::string CellText(const ReportColumn& c, const Json& row) {
  const Json& v = row.at(Json::json_pointer(c.path));
  using K = ReportColumn::Kind;
  if (v.is_null()) return "";
  if (c.kind == K::kRegionName) return RegionTitle(v.get<std::string>());
  switch (c.kind) {
    case K::kFen: return YuanText(v.get<int64_t>());
    case K::kBp: return PercentText(v.get<int64_t>());
    default: return v.is_string() ? v.get<std::string>() : v.dump();
  }
}

std::string ReportCsv(const ReportTable& t) {
  std::string out = "\xEF\xBB\xBF" + CsvField(t.title) + "\r\n";
  std::string line;
  for (const ReportColumn& c : t.columns) line += (line.empty() ? "" : ",") + CsvField(c.header);
  out += line + "\r\n";
  for (const Json& row : t.rows) {
    line.clear();
    for (size_t i = 0; i < t.columns.size(); ++i) line += (i == 0 ? "" : ",") + CsvField(CellText(t.columns[i], row));
    out += line + "\r\n";
  }
  return out;
}

}  // namespace safetynet
