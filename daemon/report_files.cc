#include "daemon/report_files.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace safetynet {

Result<std::string> ReportXlsx(const ReportTable& t) {
  // libxlsxwriter 1.1.4 writes files only: a private temporary one.
  std::string path = (std::filesystem::temp_directory_path() / "safetynet-report-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) return Status::Io("cannot make a temporary file for the workbook");
  close(fd);
  struct Remove {
    std::string path;
    ~Remove() { std::filesystem::remove(path); }
  } remove{path};

  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) return Status::Io("cannot start the workbook");
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_text_wrap(header);
  format_set_align(header, LXW_ALIGN_CENTER);
  format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_bg_color(header, 0xE6EBF0);
  format_set_border(header, LXW_BORDER_THIN);
  lxw_format* count = workbook_add_format(wb);
  format_set_num_format(count, "#,##0");
  lxw_format* yuan = workbook_add_format(wb);
  format_set_num_format(yuan, "#,##0.00");
  lxw_format* percent = workbook_add_format(wb);
  format_set_num_format(percent, "0.00%");

  const auto cols = static_cast<lxw_col_t>(t.columns.size());
  if (cols > 1) {
    worksheet_merge_range(ws, 0, 0, 0, cols - 1, t.title.c_str(), title);
  } else {
    worksheet_write_string(ws, 0, 0, t.title.c_str(), title);
  }
  worksheet_set_row(ws, 1, 45, nullptr);
  for (lxw_col_t c = 0; c < cols; ++c) {
    worksheet_write_string(ws, 1, c, t.columns[c].header.c_str(), header);
    worksheet_set_column(ws, c, c, c == 0 ? 14 : 12, nullptr);
  }
  using K = ReportColumn::Kind;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 2);
    for (lxw_col_t c = 0; c < cols; ++c) {
      const ReportColumn& col = t.columns[c];
      const Json& v = t.rows[r].at(Json::json_pointer(col.path));
      if (col.kind == K::kText || col.kind == K::kRegionName) {
        worksheet_write_string(ws, row, c, CellText(col, t.rows[r]).c_str(), nullptr);
      } else if (v.is_number()) {
        const double n = v.get<double>();
        if (col.kind == K::kFen) worksheet_write_number(ws, row, c, n / 100, yuan);
        if (col.kind == K::kBp) worksheet_write_number(ws, row, c, n / 10000, percent);
        if (col.kind == K::kCount) worksheet_write_number(ws, row, c, n, count);
      }
    }
  }
  // The title and headers stay in view, and so do the region columns.
  worksheet_freeze_panes(ws, 2, 2);
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) return Status::Io(std::string("cannot write the workbook: ") + lxw_strerror(err));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Status::Io("cannot read the workbook back");
  return bytes.str();
}

Result<ReportFile> MakeReportFile(const ReportTable& t, const std::string& format) {
  if (format == "csv") return ReportFile{ReportCsv(t), "text/csv; charset=utf-8", "csv"};
  if (format == "xlsx") {
    auto bytes = ReportXlsx(t);
    if (!bytes.ok()) return bytes.status();
    return ReportFile{std::move(*bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"};
  }
  return Status::Invalid("format must be json, csv or xlsx");
}

}  // namespace safetynet
