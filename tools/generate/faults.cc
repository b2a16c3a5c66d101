// Deliberately malformed messages, one kind after the other, so that every
// kind the ingest must reject (events.md "rejected", quality.md R3) shows up
// in any run with ten or more of them. Each is built around the person and
// county of the current activity, with its own fresh event_id and claim_id
// (claim ids "C<seed>-M…" never collide with real claims), so that its only
// fault is the deliberate one.

#include <string>
#include <string_view>

#include "tools/generate/calendar.h"
#include "tools/generate/emitter.h"

namespace safetynet::gen::internal {
namespace {

enum class MalformedKind {
  kUnknownEnumName,
  kUnknownField,
  kNegativeAmount,
  kAmountsExceedTotal,
  kImpossibleDate,
  kMissingEventId,
  kRegionNotSixDigits,
  kOversizedString,
  kWrongTopic,
  kNotJson,
};
constexpr int64_t kMalformedKinds = 10;

// Appends `raw` as the contents of a JSON string.
void AppendEscaped(std::string* out, std::string_view raw) {
  for (char c : raw) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
}

void AppendWrapped(std::string* out, std::string_view topic, std::string_view key, std::string_view value) {
  out->append("{\"topic\":\"");
  out->append(topic);
  out->append("\",\"key\":\"");
  out->append(key);
  out->append("\",\"value\":\"");
  AppendEscaped(out, value);
  out->append("\"}");
}

}  // namespace

void Emitter::EmitMalformed() {
  const auto kind = static_cast<MalformedKind>(malformed_ % kMalformedKinds);
  const int64_t variant = malformed_ / kMalformedKinds;
  ++malformed_;

  std::string claim_id = "C" + seed_text_ + "-M";
  AppendInt(&claim_id, 100000 + malformed_);
  const std::string hospital_id = "H" + region_ + "001";
  const int admitted_on = AddDays(date_, -3);
  const int64_t total = 480000 + 1000 * (malformed_ % 97);
  const int64_t out_of_catalog = total / 20;

  std::string body;
  auto claim = [&](int occurred_on, std::string_view region, std::string_view visit) {
    EventBody b(&body, PayloadType::kClaimSettled, occurred_on, "hospital-", hospital_id, region, person_id_);
    b.Str("claim_id", claim_id)
        .Str("visit", visit)
        .Str("hospital_id", hospital_id)
        .Bool("county_internal", true)
        .Int("admitted_on", admitted_on)
        .Int("discharged_on", date_)
        .Int("total", total)
        .Int("out_of_catalog", out_of_catalog);
    return b;
  };

  line_.assign(event_id_prefix_);
  AppendEventId(&line_);
  line_.append("\",");
  switch (kind) {
    case MalformedKind::kUnknownEnumName:
      if (variant % 2 == 0) {
        EventBody(&body, PayloadType::kEnrollmentChanged, date_, "medical-insurance-", region_, region_, person_id_)
            .Str("tier", "BASIC_RURAL")
            .Bool("enrolled", true)
            .Int("effective_on", date_)
            .Finish();
      } else {
        claim(date_, region_, "EMERGENCY").Int("in_policy", total - out_of_catalog).Str("diagnosis", "J18.9").Finish();
      }
      break;
    case MalformedKind::kUnknownField:
      claim(date_, region_, "INPATIENT")
          .Int("in_policy", total - out_of_catalog)
          .Str("diagnosis", "I63.9")
          .Str("ward", "3B")
          .Finish();
      break;
    case MalformedKind::kNegativeAmount:
      EventBody(&body, PayloadType::kReimbursementPaid, date_, "hospital-", hospital_id, region_, person_id_)
          .Str("claim_id", claim_id)
          .Str("tier", "MEDICAL_ASSISTANCE")
          .Int("amount", -(total / 3))
          .Bool("one_stop", true)
          .Finish();
      break;
    case MalformedKind::kAmountsExceedTotal:
      claim(date_, region_, "INPATIENT")
          .Int("in_policy", total - out_of_catalog / 2)
          .Str("diagnosis", "K80.2")
          .Finish();
      break;
    case MalformedKind::kImpossibleDate:
      claim(MakeDate(YearOf(date_), 2, 31), region_, "OUTPATIENT")
          .Int("in_policy", total - out_of_catalog)
          .Str("diagnosis", "J06.9")
          .Finish();
      break;
    case MalformedKind::kMissingEventId:
      line_.assign("{");
      EventBody(&body, PayloadType::kEnrollmentChanged, date_, "medical-insurance-", region_, region_, person_id_)
          .Str("tier", "CRITICAL_ILLNESS")
          .Bool("enrolled", true)
          .Int("effective_on", date_)
          .Finish();
      break;
    case MalformedKind::kRegionNotSixDigits:
      claim(date_, variant % 2 == 0 ? region_.substr(0, 4) : region_ + "0", "INPATIENT")
          .Int("in_policy", total - out_of_catalog)
          .Str("diagnosis", "I10")
          .Finish();
      break;
    case MalformedKind::kOversizedString:
      line_.assign(event_id_prefix_);
      line_.append("oversized-");
      AppendEventId(&line_);
      line_.resize(line_.size() + (100 - (line_.size() - 13)), '7');
      line_.append("\",");
      claim(date_, region_, "CHRONIC_OUTPATIENT")
          .Int("in_policy", total - out_of_catalog)
          .Str("diagnosis", "E11.9")
          .Finish();
      break;
    case MalformedKind::kWrongTopic:
    case MalformedKind::kNotJson: {
      claim(date_, region_, "INPATIENT").Int("in_policy", total - out_of_catalog).Str("diagnosis", "J44.1").Finish();
      line_.append(body);
      std::string value;
      if (kind == MalformedKind::kWrongTopic) {
        value = line_;
      } else if (variant % 2 == 0) {
        value = line_.substr(0, line_.size() / 2);  // truncated in transit
      } else {
        value = "claim_id=" + claim_id + ";total=" + std::to_string(total);
      }
      line_.clear();
      AppendWrapped(&line_, kind == MalformedKind::kWrongTopic ? "safetynet.roster" : "safetynet.claims", person_id_,
                    value);
      WriteLine(line_);
      return;
    }
  }
  line_.append(body);
  WriteLine(line_);
}

}  // namespace safetynet::gen::internal
