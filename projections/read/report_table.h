// A report as it is filed (调度报表, 政策调查表): a title row naming region
// and period, a header row, then one row per region, the region's total
// first. Cells are typed so that every format writes them as people read
// them — amounts in yuan with two decimals, ratios in percent — while the
// JSON answers keep fen and basis points. CSV here; XLSX in
// daemon/report_xlsx.h.
// Thread-safety: functions and values.
#pragma once

#include <string>
#include <vector>

#include "projections/read/queries.h"

namespace safetynet {

struct ReportColumn {
  enum class Kind {
    kText,        // the value as it is
    kRegionName,  // a region code, written as its division's name ("" = 全部地区, null = empty)
    kCount,
    kFen,  // an amount in fen, written in yuan
    kBp,   // a ratio in basis points, written in percent
  };
  std::string path;  // JSON pointer into a row
  std::string header;
  Kind kind;
};

struct ReportTable {
  std::string title;
  std::vector<ReportColumn> columns;
  std::vector<Json> rows;
};

// "黑龙江省" for "23", "全部地区" for "", the code where no name is known.
std::string RegionTitle(const std::string& region);
// 123456 fen -> "1234.56"; -5 -> "-0.05".
std::string YuanText(int64_t fen);
// 1234 bp -> "12.34%".
std::string PercentText(int64_t bp);
// A cell as text (empty for null), as the CSV writes it.
std::string CellText(const ReportColumn& c, const Json& row);
// UTF-8 with a BOM (Excel reads it as UTF-8), CRLF rows: the title, the
// headers, the rows.
std::string ReportCsv(const ReportTable& t);

}  // namespace safetynet
