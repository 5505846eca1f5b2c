// Progress renderers of the progressive canary: one line per event, JSON
// lines, and the live step table for a terminal.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <ostream>

#include <nlohmann/json.hpp>

#include "lib/canary/progressive.h"

namespace meshctl::canary {

namespace {

using Kind = ProgressEvent::Kind;

std::string Percent(const std::optional<double>& v) {
  if (!v) return "-";
  return fmt::format("{:.2f}%", *v);
}

std::string Millis(const std::optional<double>& v) {
  if (!v) return "-";
  if (std::isinf(*v)) return "+Inf";
  return fmt::format("{:.0f}ms", *v);
}

std::string Requests(const std::optional<double>& v) { return v ? fmt::format("{:.0f}", *v) : "-"; }

class LineSink : public ProgressSink {
 public:
  explicit LineSink(std::ostream& out) : out_(out) {}
  void Event(const ProgressEvent& e) override {
    switch (e.kind) {
      case Kind::kPlan: {
        out_ << fmt::format("plan: {} -> {}, steps {} every {}", e.stable, e.canary, fmt::join(e.plan, ","),
                            HumanDuration(e.interval))
             << (e.workload.empty() ? "" : ", canary workload " + e.workload) << "\n";
        if (!e.message.empty()) out_ << e.message << "\n";
        if (e.queries.empty()) out_ << "checks: none (no --prometheus): each step waits the interval only\n";
        for (const auto& q : e.queries)
          out_ << "query " << q.name << (q.condition.empty() ? "" : " (" + q.condition + ")") << ": " << q.query
               << "\n";
        break;
      }
      case Kind::kChecked: {
        const RoundResult& r = *e.round;
        out_ << fmt::format("step {}/{} ({}%): {}; requests {}, success rate {}, p99 {}", e.step, e.steps, e.weight,
                            VerdictName(r.verdict), Requests(r.requests), Percent(r.success_rate),
                            Millis(r.latency_p99_ms));
        for (const auto& c : r.checks)
          if (c.name != "requests" && c.name != "success-rate" && c.name != "latency-p99")
            out_ << fmt::format(", {} {}", c.name, c.value ? fmt::format("{:g}", *c.value) : "-");
        out_ << "\n";
        if (r.verdict != Verdict::kPassed) out_ << "  " << r.Summary() << "\n";
        break;
      }
      default:
        out_ << e.message << "\n";
    }
    out_.flush();
  }

 private:
  std::ostream& out_;
};

class JsonLinesSink : public ProgressSink {
 public:
  explicit JsonLinesSink(std::ostream& out) : out_(out) {}
  void Event(const ProgressEvent& e) override {
    nlohmann::ordered_json j;
    j["event"] = std::string(EventName(e.kind));
    j["time"] = Rfc3339(std::chrono::system_clock::now());
    if (e.step > 0) {
      j["step"] = e.step;
      j["steps"] = e.steps;
    }
    if (e.kind != Kind::kPlan && e.kind != Kind::kWaitReady && e.kind != Kind::kReady) j["weight"] = e.weight;
    if (e.kind == Kind::kPlan) {
      j["stable"] = e.stable;
      j["canary"] = e.canary;
      j["workload"] = e.workload;
      j["plan"] = e.plan;
      j["intervalSeconds"] = static_cast<double>(e.interval.count()) / 1000;
      nlohmann::ordered_json qs = nlohmann::ordered_json::array();
      for (const auto& q : e.queries) qs.push_back({{"name", q.name}, {"query", q.query}, {"condition", q.condition}});
      j["checks"] = qs;
    }
    if (e.round) {
      const RoundResult& r = *e.round;
      j["verdict"] = std::string(VerdictName(r.verdict));
      auto num = [](const std::optional<double>& v) -> nlohmann::ordered_json {
        if (!v || std::isnan(*v)) return nullptr;
        if (std::isinf(*v)) return "+Inf";
        return *v;
      };
      j["requests"] = num(r.requests);
      j["successRate"] = num(r.success_rate);
      j["latencyP99Ms"] = num(r.latency_p99_ms);
      nlohmann::ordered_json cs = nlohmann::ordered_json::array();
      for (const auto& c : r.checks) {
        nlohmann::ordered_json cj{{"name", c.name}, {"value", num(c.value)}, {"verdict", VerdictName(c.verdict)}};
        if (!c.message.empty()) cj["message"] = c.message;
        cs.push_back(cj);
      }
      j["checks"] = cs;
      j["failures"] = e.failures;
    }
    if (!e.message.empty()) j["message"] = e.message;
    out_ << j.dump() << "\n";
    out_.flush();
  }

 private:
  std::ostream& out_;
};

// The live table: one row per step, redrawn in place (cursor up, clear to
// the end of the screen) after every event and every tick. Long lines (the
// plan's queries, why a check failed) are printed once above it, so the
// redrawn part holds only short lines that never wrap.
class TableSink : public ProgressSink {
 public:
  explicit TableSink(std::ostream& out) : out_(out) {}

  void Event(const ProgressEvent& e) override {
    bool final = false;
    if (e.kind == Kind::kPlan) {
      steps_ = e.plan;
      for (size_t i = 0; i < steps_.size(); ++i) rows_[static_cast<int>(i) + 1].weight = steps_[i];
      above_ += fmt::format("{} -> {}, every {}{}\n", e.stable, e.canary, HumanDuration(e.interval),
                            e.workload.empty() ? "" : " (workload " + e.workload + ")");
      if (!e.message.empty()) above_ += e.message + "\n";
      for (const auto& q : e.queries) above_ += "  " + q.name + ": " + q.query + "\n";
    } else if (e.kind == Kind::kApplied || e.kind == Kind::kResumed) {
      Row& r = rows_[e.step];
      r.weight = e.weight;
      r.verdict = "running";
      current_ = e.step;
      if (e.kind == Kind::kResumed) above_ += e.message + "\n";
    } else if (e.kind == Kind::kChecked) {
      Row& r = rows_[e.step];
      r.success = Percent(e.round->success_rate);
      r.p99 = Millis(e.round->latency_p99_ms);
      r.requests = Requests(e.round->requests);
      r.verdict = std::string(VerdictName(e.round->verdict));
      r.left.clear();
      if (e.round->verdict != Verdict::kPassed) above_ += fmt::format("step {}: {}\n", e.step, e.round->Summary());
    } else if (e.kind == Kind::kInterruptRequested || e.kind == Kind::kWaitReady || e.kind == Kind::kReady) {
      status_ = e.message;
    } else {
      if (e.kind == Kind::kRolledBack && current_ > 0) rows_[current_].verdict += " (rolled back)";
      final = true;
    }
    Draw();
    if (final) {
      out_ << e.message << "\n";
      out_.flush();
      drawn_lines_ = 0;
    }
  }

  void Tick(int step, std::chrono::milliseconds left) override {
    std::string l = HumanDuration(std::chrono::milliseconds((left.count() + 999) / 1000 * 1000));
    if (rows_[step].left == l) return;
    rows_[step].left = l;
    Draw();
  }

 private:
  struct Row {
    int weight = 0;
    std::string requests = "", success = "", p99 = "", verdict = "", left = "";
  };

  void Draw() {
    std::string table = steps_.empty() ? ""
                                       : fmt::format("{:<6}{:<8}{:<10}{:<14}{:<10}{:<22}{}\n", "STEP", "WEIGHT",
                                                     "REQUESTS", "SUCCESS RATE", "P99", "VERDICT", "TIME LEFT");
    for (size_t i = 0; i < steps_.size(); ++i) {
      const Row& r = rows_[static_cast<int>(i) + 1];
      std::string line = fmt::format("{:<6}{:<8}{:<10}{:<14}{:<10}{:<22}{}", i + 1, fmt::format("{}%", r.weight),
                                     r.requests.empty() ? "-" : r.requests, r.success.empty() ? "-" : r.success,
                                     r.p99.empty() ? "-" : r.p99, r.verdict.empty() ? "pending" : r.verdict, r.left);
      while (!line.empty() && line.back() == ' ') line.pop_back();
      table += line + "\n";
    }
    if (!status_.empty()) table += status_.substr(0, 76) + "\n";
    if (drawn_lines_ > 0) out_ << "\x1b[" << drawn_lines_ << "F\x1b[J";
    out_ << above_ << table;
    out_.flush();
    above_.clear();
    drawn_lines_ = 0;
    for (char c : table) drawn_lines_ += c == '\n';
  }

  std::ostream& out_;
  std::vector<int> steps_;
  std::map<int, Row> rows_;
  std::string above_, status_;
  int current_ = 0;
  int drawn_lines_ = 0;
};

}  // namespace

std::string_view EventName(ProgressEvent::Kind k) {
  switch (k) {
    case Kind::kPlan: return "plan";
    case Kind::kWaitReady: return "waiting-ready";
    case Kind::kReady: return "ready";
    case Kind::kResumed: return "resumed";
    case Kind::kApplied: return "step-applied";
    case Kind::kChecked: return "step-checked";
    case Kind::kPromoted: return "promoted";
    case Kind::kRolledBack: return "rolled-back";
    case Kind::kPaused: return "paused";
    case Kind::kAborted: return "aborted";
    case Kind::kInterruptRequested: return "interrupt";
    case Kind::kError: return "error";
  }
  return "?";
}

std::unique_ptr<ProgressSink> NewLineSink(std::ostream& out) { return std::make_unique<LineSink>(out); }
std::unique_ptr<ProgressSink> NewJsonLinesSink(std::ostream& out) { return std::make_unique<JsonLinesSink>(out); }
std::unique_ptr<ProgressSink> NewTableSink(std::ostream& out) { return std::make_unique<TableSink>(out); }

}  // namespace meshctl::canary
