#include "projections/findings/exchange_projection.h"

#include <algorithm>
#include <string>

#include "events/codec_util.h"
#include "events/date.h"
#include "projections/core/record.h"

namespace safetynet {
namespace {

constexpr std::string_view kKinds[] = {"ROSTER_TO_INSURANCE", "COMPARED_TO_HEALTH"};

uint8_t KindIndex(std::string_view kind) { return kind == kKinds[0] ? 0 : 1; }
// The due day of a period: the 10th for the roster, the 20th for the comparison.
int32_t DueDate(std::string_view kind, int32_t period) { return period * 100 + (KindIndex(kind) == 0 ? 10 : 20); }

std::string ExchangeKey(std::string_view kind, std::string_view region) {
  std::string k(1, static_cast<char>(KindIndex(kind)));
  k.append(region);
  return k;
}

}  // namespace

const Exchange::Delivery* Exchange::Find(int32_t period) const {
  auto it = std::lower_bound(deliveries.begin(), deliveries.end(), period,
                             [](const Delivery& d, int32_t p) { return d.period < p; });
  return it != deliveries.end() && it->period == period ? &*it : nullptr;
}

void Exchange::Deliver(int32_t period, int32_t on) {
  auto it = std::lower_bound(deliveries.begin(), deliveries.end(), period,
                             [](const Delivery& d, int32_t p) { return d.period < p; });
  if (it != deliveries.end() && it->period == period) {
    it->delivered_on = on;
  } else {
    deliveries.insert(it, Delivery{period, on});
  }
}

std::string Exchange::Encode() const {
  ByteWriter w;
  w.Varint(deliveries.size());
  for (const Delivery& d : deliveries) {
    w.Signed(d.period);
    w.Signed(d.delivered_on);
  }
  return std::move(w.buffer());
}

bool Exchange::Decode(std::string_view bytes, Exchange* out) {
  ByteReader r(bytes);
  Exchange x;
  const uint64_t n = r.Varint();
  if (!r.ok() || n > bytes.size()) return false;
  x.deliveries.resize(n);
  for (Delivery& d : x.deliveries) {
    d.period = static_cast<int32_t>(r.Signed());
    d.delivered_on = static_cast<int32_t>(r.Signed());
  }
  if (!r.ok() || !r.done()) return false;
  *out = std::move(x);
  return true;
}

int32_t ExchangeProjection::JudgedFrom(std::string_view kind, int32_t period) const {
  return AddDays(DueDate(kind, period), window_days_ + 1);
}

void ExchangeProjection::Evaluate(Txn& txn, std::string_view kind, std::string_view region, const Exchange& x,
                                  int32_t period) {
  const int32_t due = DueDate(kind, period);
  Evaluation ev;
  ev.threshold = due;
  if (const Exchange::Delivery* d = x.Find(period)) {
    ev.holds = d->delivered_on > due;  // late
    ev.measured = d->delivered_on;
  } else {
    // Missing: expected once the region delivered an earlier period, and the due day has passed.
    ev.holds =
        !x.deliveries.empty() && x.deliveries.front().period < period && *ledger_date_ >= JudgedFrom(kind, period);
    ev.measured = 0;
  }
  const std::string subject = std::string(region) + "/" + std::to_string(period) + "/" + std::string(kind);
  findings_->Record(txn, Check::kC11, subject, region, ev);
}

void ExchangeProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  if (e.payload_type() != fb::Payload::RosterDelivered) return;
  const int32_t today = *ledger_date_;
  const auto* p = e.payload_as_RosterDelivered();
  const std::string_view kind = p->kind()->string_view();
  const std::string_view region = e.region()->string_view();
  const std::string key = ExchangeKey(kind, region);
  Exchange x = RecordOr<Exchange>(txn, Cf::kExchanges, key);
  const int32_t first_before = x.deliveries.empty() ? 0 : x.deliveries.front().period;
  x.Deliver(p->period(), *e.occurred_on());
  txn.Put(Cf::kExchanges, key, x.Encode());
  Evaluate(txn, kind, region, x, p->period());
  // A new first period makes the periods up to the old first expected (or,
  // for a first delivery, those up to today).
  if (first_before == 0 || p->period() < first_before) {
    for (int32_t m = NextMonth(p->period()); JudgedFrom(kind, m) <= today; m = NextMonth(m)) {
      if (first_before != 0 && m >= first_before) break;
      Evaluate(txn, kind, region, x, m);
    }
  }
}

void ExchangeProjection::PassDate(Txn& txn, int32_t previous) {
  // Periods judged from a date in (previous, today] are missing where the
  // region has not delivered them.
  const int32_t today = *ledger_date_;
  txn.ScanPrefix(Cf::kExchanges, {}, [&](std::string_view key, std::string_view value) {
    Exchange x;
    if (!Exchange::Decode(value, &x) || x.deliveries.empty()) return;
    const std::string_view kind = kKinds[static_cast<uint8_t>(key[0]) == 0 ? 0 : 1];
    const std::string_view region = key.substr(1);
    // Periods judged after `previous` have due days at most the window (and a month) before it.
    int32_t start = NextMonth(x.deliveries.front().period);
    if (previous != 0) start = std::max(start, AddDays(previous, -(window_days_ + 31)) / 100);
    for (int32_t m = start; JudgedFrom(kind, m) <= today; m = NextMonth(m)) {
      if (JudgedFrom(kind, m) > previous && x.Find(m) == nullptr) Evaluate(txn, kind, region, x, m);
    }
  });
}

void ExchangeProjection::Reevaluate(Txn& txn, Check check, std::string_view subject) {
  // subject: region / period / kind
  const size_t a = subject.find('/');
  const size_t b = a == std::string_view::npos ? a : subject.find('/', a + 1);
  if (check != Check::kC11 || b == std::string_view::npos) return;
  const std::string_view region = subject.substr(0, a);
  const int32_t period = std::atoi(std::string(subject.substr(a + 1, b - a - 1)).c_str());
  const std::string_view kind = subject.substr(b + 1) == kKinds[0] ? kKinds[0] : kKinds[1];
  const Exchange x = RecordOr<Exchange>(txn, Cf::kExchanges, ExchangeKey(kind, region));
  Evaluate(txn, kind, region, x, period);
}

}  // namespace safetynet
