// A filed report (projections/read/report_table.h) as the file a user
// downloads: CSV, or an XLSX workbook written with libxlsxwriter: one sheet, the title merged over the first row,
// the headers frozen under it with the region columns, amounts as numbers in
// yuan shown with thousands separators and two decimals, ratios as numbers
// shown in percent, so that the sheet sums and sorts as people expect.
// Thread-safety: functions (each workbook is written to its own temporary file).
#pragma once

#include <string>
#include <string_view>

#include "events/status.h"
#include "projections/read/report_table.h"

namespace safetynet {

// The bytes of the .xlsx file.
Result<std::string> ReportXlsx(const ReportTable& t);

struct ReportFile {
  std::string body;
  std::string content_type;
  std::string extension;  // "csv", "xlsx"
};
// `format` "csv" or "xlsx"; Invalid otherwise.
Result<ReportFile> MakeReportFile(const ReportTable& t, const std::string& format);

}  // namespace safetynet
