// Reading one projection record: Get from a Store or a Txn (both have the
// same Get) and decode it with T::Decode(bytes, T*), which leaves *out as it
// was when the bytes are unreadable.
// Thread-safety: as the source's Get.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

#include "events/store.h"

namespace safetynet {

// NotFound when absent, Corruption (naming the column family) when
// unreadable, the read's error otherwise. A Txn also notes the error (see
// Txn::read_status), so a fold that treats it as absence cannot be written.
template <typename T, typename Source>
Status LoadRecord(const Source& from, Cf cf, std::string_view key, T* out) {
  std::string v;
  Status st = from.Get(cf, key, &v);
  if (!st.ok()) return st;
  if (T::Decode(v, out)) return Status::Ok();
  st = Status::Corruption(std::string(CfName(cf)) + " record unreadable");
  if constexpr (std::is_same_v<Source, Txn>) from.NoteReadError(st);
  return st;
}

// The record if present: Ok with *found false when absent; any other error as is.
template <typename T, typename Source>
Status LoadIfPresent(const Source& from, Cf cf, std::string_view key, T* out, bool* found) {
  const Status st = LoadRecord(from, cf, key, out);
  *found = st.ok();
  return st.IsNotFound() ? Status::Ok() : st;
}

// The record, or T{} when there is none: a projection folds from the empty state.
template <typename T, typename Source>
T RecordOr(const Source& from, Cf cf, std::string_view key) {
  T out;
  if (!LoadRecord(from, cf, key, &out).ok()) out = T();
  return out;
}

}  // namespace safetynet
