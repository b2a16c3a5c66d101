#include "tools/generate/emitter.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace safetynet::gen::internal {
namespace {

constexpr std::string_view kPayloadTypeNames[kPayloadTypeCount] = {
    "IdentityGranted",
    "IdentityRevoked",
    "RosterDelivered",
    "EnrollmentChanged",
    "ContributionPaid",
    "NonEnrollmentReasonRecorded",
    "ClaimSettled",
    "ClaimReversed",
    "ReimbursementPaid",
    "ReimbursementReversed",
    "PolicyPublished",
    "RectificationOpened",
    "RectificationProgressed",
    "RectificationRectified",
    "RectificationVerified",
    "RectificationReopened",
};

// Every kDifferentContentEvery-th duplicate reuses the event_id with other
// content instead of repeating the line exactly.
constexpr int64_t kDifferentContentEvery = 8;

}  // namespace

std::string_view PayloadTypeName(PayloadType type) { return kPayloadTypeNames[static_cast<int>(type)]; }

void AppendInt(std::string* out, int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  out->append(digits, result.ptr);
}

void AppendPadded(std::string* out, uint64_t value, int width) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  if (result.ptr - digits < width) out->append(width - (result.ptr - digits), '0');
  out->append(digits, result.ptr);
}

EventBody::EventBody(std::string* out, PayloadType type, int occurred_on, std::string_view source_prefix,
                     std::string_view source_suffix, std::string_view region, std::string_view person_id)
    : out_(out) {
  out_->clear();
  out_->append("\"occurred_on\":");
  AppendInt(out_, occurred_on);
  out_->append(",\"source\":\"");
  out_->append(source_prefix);
  out_->append(source_suffix);
  out_->append("\",\"region\":\"");
  out_->append(region);
  if (!person_id.empty()) {
    out_->append("\",\"person_id\":\"");
    out_->append(person_id);
  }
  out_->append("\",\"payload_type\":\"");
  out_->append(PayloadTypeName(type));
  out_->append("\",\"payload\":{");
}

void EventBody::Key(std::string_view key) {
  if (!first_) out_->push_back(',');
  first_ = false;
  out_->push_back('"');
  out_->append(key);
  out_->append("\":");
}

EventBody& EventBody::Str(std::string_view key, std::string_view value) {
  Key(key);
  out_->push_back('"');
  out_->append(value);
  out_->push_back('"');
  return *this;
}

EventBody& EventBody::Int(std::string_view key, int64_t value) {
  Key(key);
  AppendInt(out_, value);
  return *this;
}

EventBody& EventBody::Bool(std::string_view key, bool value) {
  Key(key);
  out_->append(value ? "true" : "false");
  return *this;
}

EventBody& EventBody::Raw(std::string_view key, std::string_view json) {
  Key(key);
  out_->append(json);
  return *this;
}

void EventBody::Finish() { out_->append("}}"); }

Emitter::Emitter(const GenerateOptions& opts, std::ostream* out)
    : out_(out),
      rng_(opts.seed, /*stream=*/0xFA17),
      malformed_share_(opts.malformed_share),
      duplicate_share_(opts.duplicate_share) {
  AppendInt(&seed_text_, static_cast<int64_t>(opts.seed));
  event_id_prefix_ = "{\"event_id\":\"g" + seed_text_ + "-";
  buffer_.reserve(kFlushBytes + 4096);
}

void Emitter::AppendEventId(std::string* out) { AppendPadded(out, next_event_++, 9); }

void Emitter::Emit(PayloadType type, std::string_view body) {
  line_.assign(event_id_prefix_);
  AppendEventId(&line_);
  line_.append("\",");
  line_.append(body);
  WriteLine(line_);
  ++by_type_[static_cast<int>(type)];
  recent_[recent_written_++ % kRecentLines].assign(line_);
  if (duplicate_share_ > 0 && rng_.Chance(duplicate_share_)) EmitDuplicate();
  if (malformed_share_ > 0 && !person_id_.empty() && rng_.Chance(malformed_share_)) {
    EmitMalformed();
  }
}

void Emitter::EmitDuplicate() {
  const size_t filled = std::min(recent_written_, kRecentLines);
  line_.assign(recent_[rng_.Below(filled)]);
  if (duplicates_ % kDifferentContentEvery == kDifferentContentEvery - 1) {
    // Same event_id, other content: the producer re-sent the event with a
    // changed source name.
    constexpr std::string_view kSourceKey = "\"source\":\"";
    const size_t value_at = line_.find(kSourceKey) + kSourceKey.size();
    line_.insert(line_.find('"', value_at), "-resent");
  }
  WriteLine(line_);
  ++duplicates_;
}

void Emitter::Defer(int date, PayloadType type, std::string body) {
  kept_[date].push_back(Kept{type, std::move(body)});
}

void Emitter::EmitDue(int date) {
  while (!kept_.empty() && kept_.begin()->first <= date) {
    for (const Kept& kept : kept_.begin()->second) Emit(kept.type, kept.body);
    kept_.erase(kept_.begin());
  }
}

void Emitter::SetContext(int date, std::string_view region, std::string_view person_id) {
  date_ = date;
  region_.assign(region);
  person_id_.assign(person_id);
}

void Emitter::WriteLine(std::string_view line) {
  buffer_.append(line);
  buffer_.push_back('\n');
  ++lines_;
  if (buffer_.size() >= kFlushBytes) Flush();
}

void Emitter::Flush() {
  out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

GenerateStats Emitter::Finish() {
  while (!kept_.empty()) EmitDue(kept_.begin()->first);
  Flush();
  out_->flush();
  GenerateStats stats;
  stats.lines = lines_;
  stats.malformed = malformed_;
  stats.duplicates = duplicates_;
  for (int i = 0; i < kPayloadTypeCount; ++i) {
    if (by_type_[i] > 0) {
      stats.by_type[std::string(kPayloadTypeNames[i])] = by_type_[i];
    }
  }
  return stats;
}

}  // namespace safetynet::gen::internal
