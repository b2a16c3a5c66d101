// Reading one projection record: Get from a Store or a Txn (both have the
// same Get) and decode it with T::Decode(bytes, T*), which leaves *out as it
// was when the bytes are unreadable.
// Thread-safety: as the source's Get.
#pragma once

#include <string>
#include <string_view>

#include "events/store.h"

namespace safetynet {

// NotFound when absent, Corruption (naming the column family) when unreadable.
template <typename T, typename Source>
Status LoadRecord(const Source& from, Cf cf, std::string_view key, T* out) {
  std::string v;
  Status st = from.Get(cf, key, &v);
  if (!st.ok()) return st;
  return T::Decode(v, out) ? Status::Ok() : Status::Corruption(std::string(CfName(cf)) + " record unreadable");
}

// The record, or T{} when there is none: a projection folds from the empty state.
template <typename T, typename Source>
T RecordOr(const Source& from, Cf cf, std::string_view key) {
  T out;
  if (!LoadRecord(from, cf, key, &out).ok()) out = T();
  return out;
}

}  // namespace safetynet
