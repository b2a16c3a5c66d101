#include "projections/coverage/contribution_projection.h"

#include <algorithm>

#include "events/codec_util.h"
#include "events/crypto.h"
#include "projections/core/record.h"
#include "projections/coverage/person_projection.h"

namespace safetynet {
namespace {

struct Contribution {
  int32_t occurred_on = 0;
  int64_t personal_due = 0;
  int64_t subsidy = 0;
  uint64_t seq = 0;
  std::string counted_region;  // where the monthly report counts its subsidy (empty: nowhere)
};

std::string Encode(const Contribution& c) {
  ByteWriter w;
  w.Signed(c.occurred_on);
  w.Signed(c.personal_due);
  w.Signed(c.subsidy);
  w.Varint(c.seq);
  w.Bytes(c.counted_region);
  return std::move(w.buffer());
}

Contribution Decode(std::string_view v) {
  ByteReader r(v);
  Contribution c;
  c.occurred_on = static_cast<int32_t>(r.Signed());
  c.personal_due = r.Signed();
  c.subsidy = r.Signed();
  c.seq = r.Varint();
  c.counted_region = std::string(r.Bytes());
  return c;
}

// Adds (sign 1) or takes out (-1) the contribution's subsidy where the monthly
// report counts it: under `region` (empty: nowhere), in its payment's month.
void CountSubsidy(PrefixDeltas<2>* subsidies, std::string_view region, const Contribution& c, int64_t sign) {
  if (!region.empty()) subsidies->Add(region, 0, c.occurred_on / 100, {sign, sign * c.subsidy});
}

bool Holds(const std::vector<fb::Identity>& ids, fb::Identity id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

void ContributionProjection::Evaluate(Txn& txn, std::string_view key, int32_t year, std::string_view value) {
  const std::string_view person_key = key.substr(0, 32);
  Contribution c = Decode(value);
  const PersonState person = RecordOr<PersonState>(txn, Cf::kPersons, person_key);
  // The monthly report counts a subsidy under the person's region.
  const std::string counted = c.subsidy > 0 ? person.region : std::string();
  if (counted != c.counted_region) {
    CountSubsidy(subsidies_, c.counted_region, c, -1);
    CountSubsidy(subsidies_, counted, c, +1);
    c.counted_region = counted;
    txn.Put(Cf::kContributions, std::string(key), Encode(c));
  }
  const auto ids = person.IdentitiesOn(c.occurred_on);
  Evaluation ev;
  ev.measured = c.subsidy;
  if (Holds(ids, fb::Identity::EXTREME_POOR_SUPPORTED)) {
    ev.threshold = c.personal_due;  // the whole personal contribution
    ev.holds = c.subsidy != c.personal_due;
  } else if (Holds(ids, fb::Identity::REGISTERED_POOR)) {
    ev.threshold = 0;  // the subsidy must be above 0
    ev.holds = c.subsidy == 0;
  }
  const std::string subject = ToHex(person_key) + "/" + std::to_string(year);
  findings_->Record(txn, Check::kC2, subject, person.region, ev);
}

void ContributionProjection::Reevaluate(Txn& txn, Check check, std::string_view subject) {
  // subject: person (hex) / year
  const size_t slash = subject.find('/');
  std::string key;
  if (check != Check::kC2 || slash == std::string_view::npos || !FromHex(subject.substr(0, slash), &key)) return;
  const int32_t year = std::atoi(std::string(subject.substr(slash + 1)).c_str());
  PutU32(&key, static_cast<uint32_t>(year));
  std::string value;
  if (txn.Get(Cf::kContributions, key, &value).ok()) Evaluate(txn, key, year, value);
}

void ContributionProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  const auto type = e.payload_type();
  if (type == fb::Payload::ContributionPaid) {
    const auto* p = e.payload_as_ContributionPaid();
    std::string key = PersonKey(e.person_id()->string_view());
    PutU32(&key, static_cast<uint32_t>(p->year()));
    const std::string value = Encode({*e.occurred_on(), p->personal_due(), p->subsidy(), ev.seq, {}});
    // The month index follows the latest payment of the person and year.
    const auto month_key = [&](int32_t occurred_on) {
      std::string k;
      PutU32(&k, static_cast<uint32_t>(occurred_on / 100));
      return k + key;
    };
    std::string before;
    if (txn.Get(Cf::kContributions, key, &before).ok()) {
      const Contribution b = Decode(before);
      if (b.occurred_on / 100 != *e.occurred_on() / 100)
        txn.Delete(Cf::kContributionsByMonth, month_key(b.occurred_on));
      CountSubsidy(subsidies_, b.counted_region, b, -1);  // the latest payment replaces it in the report too
    }
    txn.Put(Cf::kContributionsByMonth, month_key(*e.occurred_on()), {});
    txn.Put(Cf::kContributions, key, value);
    Evaluate(txn, key, p->year(), value);
  } else if (type == fb::Payload::IdentityGranted || type == fb::Payload::IdentityRevoked) {
    const std::string person_key = PersonKey(e.person_id()->string_view());
    std::vector<std::pair<std::string, std::string>> years;  // read first: Evaluate may write them
    txn.ScanPrefix(Cf::kContributions, person_key,
                   [&](std::string_view key, std::string_view value) { years.emplace_back(key, value); });
    for (const auto& [key, value] : years) Evaluate(txn, key, static_cast<int32_t>(DecodeU32(key.substr(32))), value);
  }
}

}  // namespace safetynet
