#include "lib/canary/progressive.h"

#include <fmt/format.h>

#include <cmath>
#include <ctime>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "lib/canary/service_info.h"
#include "lib/core/exit_codes.h"
#include "lib/model/loader.h"

namespace meshctl::canary {

namespace {

using std::chrono::milliseconds;
using TimePoint = std::chrono::system_clock::time_point;

core::Result<TimePoint> ParseRfc3339(const std::string& s) {
  std::tm tm{};
  const char* end = ::strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') return core::DataError("\"" + s + "\" is not an RFC 3339 UTC time");
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

class SystemClock : public Clock {
 public:
  TimePoint Now() override { return std::chrono::system_clock::now(); }
  void Sleep(milliseconds d) override { std::this_thread::sleep_for(d); }
};

bool IsRouteKind(std::string_view kind) {
  return kind == "VirtualService" || kind == "HTTPRoute" || kind == "TrafficSplit";
}

std::string Scalar(const yaml::Node& obj, std::string_view path) {
  const yaml::Node* n = obj.Find(path);
  return n ? n->ToScalarString() : "";
}

std::string GroupOf(const std::string& api_version) {
  return api_version.find('/') == std::string::npos ? "" : api_version.substr(0, api_version.rfind('/'));
}

struct RouteKey {
  std::string group, kind, ns, name;
  bool empty() const { return kind.empty(); }
  std::string Label() const { return kind + " " + ns + "/" + name; }
};

RouteKey KeyOf(const yaml::Node& obj) {
  return {GroupOf(Scalar(obj, "apiVersion")), Scalar(obj, "kind"), Scalar(obj, "metadata.namespace"),
          Scalar(obj, "metadata.name")};
}

// One state of the plan, computed from freshly read objects.
struct Prepared {
  CanaryResult result;
  io::InputSet inputs;
  std::shared_ptr<model::LoadResult> live;
  const model::Resource* route = nullptr;  // the live routed resource (nullptr: created by this state)
  std::optional<RunState> state;           // its annotation
};

std::string RandomId() {
  std::random_device rd;
  return fmt::format("{:08x}{:08x}", rd(), rd());
}

class Runner {
 public:
  Runner(ProgressiveCluster& cluster, metrics::MetricsSource* metrics, Clock& clock, ProgressSink& sink,
         const std::atomic<int>* interrupts, const ProgressiveOptions& o)
      : cluster_(cluster), metrics_(metrics), clock_(clock), sink_(sink), interrupts_(interrupts), o_(o) {}

  RunOutcome Run();
  RunOutcome Abort(bool dry_run);
  RunOutcome Preview(bool server_dry_run);

 private:
  // Reads the cluster and builds the state for `weight`; errors are exit codes.
  std::optional<Prepared> Prepare(int weight, RunOutcome& fail);
  // Finds the routed resource (once) and the canary workload.
  bool Resolve(RunOutcome& fail);
  // Who may write: kOwn needs the lease this process holds; kAcquire takes
  // it unless another live run holds it; kForce (--abort) takes it anyway.
  enum class Lease { kOwn, kAcquire, kForce };
  // Writes `weight` with `state` in the route's annotation.
  bool Write(int weight, RunState state, Lease lease, RunOutcome& fail, bool dry_run = false);
  bool WaitReady(RunOutcome& fail);
  // Waits the interval; false when Ctrl-C was pressed twice (stop now).
  bool WaitInterval(int step);
  RunOutcome Rollback(RunState st, const std::string& why, Lease lease = Lease::kOwn);
  ProgressEvent Ev(ProgressEvent::Kind k, int step_index = -1) const;
  CheckConfig Checks() const;
  RunState Fresh() const;
  int Interrupts() const { return interrupts_ ? interrupts_->load() : 0; }

  ProgressiveCluster& cluster_;
  metrics::MetricsSource* metrics_;
  Clock& clock_;
  ProgressSink& sink_;
  const std::atomic<int>* interrupts_;
  ProgressiveOptions o_;
  RouteKey route_;
  std::string stable_, canary_, workload_;
  std::vector<const model::Resource*> canary_workloads_;
  std::shared_ptr<model::LoadResult> keep_;  // owns canary_workloads_
  std::string notes_;  // notes and warnings of the first state, for the plan
  std::string run_id_;
};

ProgressEvent Runner::Ev(ProgressEvent::Kind k, int step_index) const {
  ProgressEvent e;
  e.kind = k;
  e.steps = static_cast<int>(o_.plan.size());
  if (step_index >= 0) {
    e.step = step_index + 1;
    e.weight = step_index < e.steps ? o_.plan[static_cast<size_t>(step_index)] : 100;
  }
  e.stable = stable_;
  e.canary = canary_;
  e.workload = workload_;
  e.interval = o_.interval;
  return e;
}

CheckConfig Runner::Checks() const {
  CheckConfig c = *o_.checks;
  if (c.ns.empty()) c.ns = o_.spec.ns;
  if (c.workload.empty()) c.workload = workload_;
  c.window = o_.interval;
  return c;
}

RunState Runner::Fresh() const {
  RunState s;
  s.run_id = run_id_;
  s.holder = o_.holder;
  s.phase = "Progressing";
  s.plan = o_.plan;
  s.stable = stable_;
  s.canary = canary_;
  return s;
}

std::optional<Prepared> Runner::Prepare(int weight, RunOutcome& fail) {
  auto inputs = cluster_.Read();
  if (!inputs.ok()) {
    fail = {core::kExitUnavailable, inputs.status().message()};
    return std::nullopt;
  }
  CanarySpec spec = o_.spec;
  spec.weight = weight;
  if (!stable_.empty()) {
    spec.stable = stable_;
    spec.canary = canary_;
  }
  auto r = RunCanary(*inputs, spec);
  if (!r.ok()) {
    fail = {r.status().ExitCode(), r.status().message()};
    return std::nullopt;
  }
  if (r->has_errors) {
    std::string why;
    for (const auto& d : r->findings)
      if (d.severity == diag::Severity::kError) why += "\n  " + d.ToString();
    fail = {core::kExitDataError,
            fmt::format("the state with {}% to the canary does not pass verification; nothing was written:{}", weight,
                        why)};
    return std::nullopt;
  }
  if (!o_.force)
    for (const auto& d : r->findings)
      if (d.code == "MSH0303") {
        fail = {core::kExitDataError, d.ToString() + "\nanother controller owns a resource this run would change; "
                                                      "nothing was applied. Pass --force to apply anyway."};
        return std::nullopt;
      }
  Prepared p{std::move(r).value(), std::move(inputs).value(), nullptr, nullptr, std::nullopt};
  p.live = std::make_shared<model::LoadResult>(model::LoadSnapshot(p.inputs, {}));
  if (!route_.empty()) {
    p.route = p.live->snapshot.Find({route_.group, route_.kind}, route_.ns, route_.name);
    if (p.route) {
      std::string_view text = p.route->Annotation(kStateAnnotation);
      if (!text.empty()) {
        auto st = StateFromJson(std::string(text));
        if (!st.ok()) {
          fail = {core::kExitDataError, route_.Label() + ": " + st.status().message()};
          return std::nullopt;
        }
        p.state = std::move(st).value();
      }
    }
  }
  return p;
}

bool Runner::Resolve(RunOutcome& fail) {
  // The routed resource is the VirtualService / HTTPRoute / TrafficSplit a
  // state changes; the first step or the rollback changes it (their weights
  // differ, so one of them differs from the cluster).
  for (int w : {o_.plan.front(), 0, 100}) {
    auto p = Prepare(w, fail);
    if (!p) return false;
    stable_ = p->result.stable;
    canary_ = p->result.canary;
    for (const auto& obj : p->result.objects)
      if (IsRouteKind(Scalar(obj, "kind"))) {
        route_ = KeyOf(obj);
        break;
      }
    if (route_.empty()) continue;
    // The canary's workloads, for the readiness gate and the metrics.
    CanarySpec spec = o_.spec;
    auto info = FindService(p->live->snapshot, spec);
    if (info.ok())
      if (const VersionWorkloads* vw = info->Find(canary_)) canary_workloads_ = vw->workloads;
    workload_ = o_.canary_workload;
    if (workload_.empty() && !canary_workloads_.empty()) workload_ = canary_workloads_.front()->name;
    for (const auto& n : p->result.notes) notes_ += "note: " + n + "\n";
    for (const auto& d : p->result.findings) notes_ += d.ToString() + "\n";
    keep_ = std::move(p->live);
    return true;
  }
  fail = {core::kExitDataError, "cannot find the VirtualService, HTTPRoute or TrafficSplit that routes " +
                                    o_.spec.service + " in " + o_.spec.ns};
  return false;
}

bool Runner::Write(int weight, RunState state, Lease lease, RunOutcome& fail, bool dry_run) {
  auto p = Prepare(weight, fail);
  if (!p) return false;
  const std::optional<RunState>& cur = p->state;
  if (lease == Lease::kOwn &&
      (!cur || cur->run_id != run_id_ || cur->holder != o_.holder || cur->phase != "Progressing")) {
    std::string who = cur ? fmt::format("it is now {} by run {} ({})", cur->phase, cur->run_id, cur->holder)
                          : "its state annotation was removed";
    fail = {core::kExitUnavailable,
            fmt::format("{} changed under this run: {}; this run stops and leaves the traffic as it is",
                        route_.Label(), who)};
    return false;
  }
  if (lease == Lease::kAcquire && cur && cur->phase == "Progressing" && cur->lease_until > clock_.Now() &&
      !(cur->run_id == run_id_ && cur->holder == o_.holder)) {
    fail = {core::kExitUnavailable,
            fmt::format("another canary run holds {}: run {} ({}), at step {} ({}%), lease until {}; wait for it, "
                        "or stop it and roll back with: {}",
                        route_.Label(), cur->run_id, cur->holder, cur->step + 1, cur->weight,
                        Rfc3339(cur->lease_until), o_.abort_command)};
    return false;
  }
  std::vector<yaml::Node> objects = p->result.objects;
  bool has_route = false;
  for (auto& obj : objects) has_route = has_route || (IsRouteKind(Scalar(obj, "kind")) && KeyOf(obj).name == route_.name &&
                                                      KeyOf(obj).kind == route_.kind && KeyOf(obj).ns == route_.ns);
  if (!has_route) {
    if (!p->route) {
      fail = {core::kExitUnavailable, route_.Label() + " is gone from the cluster"};
      return false;
    }
    objects.push_back(*p->route->root);
  }
  state.weight = weight;
  state.updated = clock_.Now();
  // DestinationRules first: a VirtualService may name a subset they add;
  // the routed resource (with the state) last.
  std::vector<yaml::Node*> order;
  for (auto& obj : objects)
    if (Scalar(obj, "kind") == "DestinationRule") order.push_back(&obj);
  for (auto& obj : objects) {
    RouteKey k = KeyOf(obj);
    if (k.kind != "DestinationRule" && !(k.kind == route_.kind && k.ns == route_.ns && k.name == route_.name))
      order.push_back(&obj);
  }
  for (auto& obj : objects) {
    RouteKey k = KeyOf(obj);
    if (k.kind == route_.kind && k.ns == route_.ns && k.name == route_.name) order.push_back(&obj);
  }
  for (yaml::Node* obj : order) {
    RouteKey k = KeyOf(*obj);
    bool is_route = k.kind == route_.kind && k.ns == route_.ns && k.name == route_.name;
    obj->Remove("status");
    yaml::Node* md = obj->GetMutable("metadata");
    if (md) {
      // The precondition is the version this run read: the live routed
      // resource, not the generated object (canary's output drops the
      // fields the API server owns).
      std::string rv;
      if (is_route && p->route) {
        const yaml::Node* live_md = p->route->root->Get("metadata");
        const yaml::Node* live_rv = live_md ? live_md->Get("resourceVersion") : nullptr;
        if (live_rv) rv = live_rv->ToScalarString();
      }
      for (const char* f : {"managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"})
        md->Remove(f);
      if (is_route) {
        if (!rv.empty()) md->Set("resourceVersion", Str(rv));  // the precondition
        if (!md->Get("annotations") || !md->Get("annotations")->IsMap()) md->Set("annotations", yaml::Node::Map({}));
        md->GetMutable("annotations")->Set(kStateAnnotation, Str(StateToJson(state)));
      }
    }
    core::Status st = cluster_.Apply(*obj, dry_run, o_.force_conflicts);
    if (!st.ok()) {
      fail = {core::kExitUnavailable,
              st.message() + (is_route ? fmt::format("\n{} was not changed: this run stops. Re-run the same command "
                                                     "to resume, or roll back with: {}",
                                                     route_.Label(), o_.abort_command)
                                       : "")};
      return false;
    }
  }
  return true;
}

bool Runner::WaitReady(RunOutcome& fail) {
  if (canary_workloads_.empty()) return true;  // routes-only: nothing to look at
  TimePoint deadline = clock_.Now() + o_.ready_timeout;
  bool announced = false;
  while (true) {
    auto inputs = cluster_.Read();
    if (!inputs.ok()) {
      fail = {core::kExitUnavailable, inputs.status().message()};
      return false;
    }
    model::LoadResult live = model::LoadSnapshot(*inputs, {});
    std::string not_ready;
    for (const model::Resource* w : canary_workloads_) {
      const model::Resource* now = live.snapshot.Find(w->gk(), w->ns, w->name);
      int64_t want = 1, ready = 0;
      if (now) {
        if (now->kind == "DaemonSet") {
          const yaml::Node* d = now->root->Find("status.desiredNumberScheduled");
          want = d && d->AsInt() ? *d->AsInt() : 0;
          const yaml::Node* r = now->root->Find("status.numberReady");
          ready = r && r->AsInt() ? *r->AsInt() : 0;
        } else {
          const yaml::Node* d = now->root->Find("spec.replicas");
          want = d && d->AsInt() ? *d->AsInt() : 1;
          const yaml::Node* r = now->root->Find("status.readyReplicas");
          ready = r && r->AsInt() ? *r->AsInt() : 0;
        }
      }
      if (!now || want <= 0 || ready < want) {
        if (!not_ready.empty()) not_ready += ", ";
        not_ready += fmt::format("{} {}/{} {}/{} ready", w->kind, w->ns, w->name, ready, want);
      }
    }
    if (not_ready.empty()) {
      if (announced) {
        ProgressEvent e = Ev(ProgressEvent::Kind::kReady);
        e.message = "canary workload ready";
        sink_.Event(e);
      }
      return true;
    }
    if (clock_.Now() >= deadline) {
      fail = {core::kExitFindings,
              fmt::format("the canary is not ready after {}: {} (--ready-timeout)", HumanDuration(o_.ready_timeout),
                          not_ready)};
      return false;
    }
    if (!announced) {
      ProgressEvent e = Ev(ProgressEvent::Kind::kWaitReady);
      e.message = "waiting for " + not_ready;
      sink_.Event(e);
      announced = true;
    }
    if (Interrupts() > 0) {
      fail = {kExitInterrupted, "interrupted while waiting for the canary to be ready; nothing was changed"};
      return false;
    }
    clock_.Sleep(milliseconds(std::min<int64_t>(1000, o_.ready_timeout.count())));
  }
}

bool Runner::WaitInterval(int step) {
  TimePoint end = clock_.Now() + o_.interval;
  bool told = false;
  while (true) {
    TimePoint now = clock_.Now();
    if (now >= end) return true;
    int n = Interrupts();
    if (n >= 2) return false;
    if (n == 1 && !told) {
      ProgressEvent e = Ev(ProgressEvent::Kind::kInterruptRequested, step);
      e.message = "interrupt: stopping after this step (Ctrl-C again to stop now)";
      sink_.Event(e);
      told = true;
    }
    auto left = std::chrono::duration_cast<milliseconds>(end - now);
    sink_.Tick(step + 1, left);
    clock_.Sleep(std::min(left, milliseconds(200)));
  }
}

RunOutcome Runner::Rollback(RunState st, const std::string& why, Lease lease) {
  st.phase = "RolledBack";
  st.message = why;
  st.lease_until = {};
  RunOutcome fail;
  if (!Write(0, st, lease, fail)) {
    fail.message = "rolling back failed: " + fail.message + "\nthe canary still gets traffic; roll back with: " +
                   o_.abort_command;
    return fail;
  }
  ProgressEvent e = Ev(ProgressEvent::Kind::kRolledBack, st.step);
  e.weight = 0;
  e.failures = st.failures;
  e.message = "rolled back to 0%: " + why;
  sink_.Event(e);
  return {core::kExitFindings, ""};
}

RunOutcome Runner::Run() {
  RunOutcome fail;
  if (!Resolve(fail)) return fail;
  if (o_.checks && workload_.empty())
    return {core::kExitUsage, "cannot tell the canary's workload (the destination_workload of its metrics): give "
                              "--canary-workload NAME"};
  auto p = Prepare(o_.plan.front(), fail);
  if (!p) return fail;
  RunState st;
  bool resume = false;
  TimePoint now = clock_.Now();
  if (p->state) {
    const RunState& s = *p->state;
    bool same = s.plan == o_.plan && s.stable == stable_ && s.canary == canary_;
    if (s.phase == "Progressing" && s.lease_until > now) {
      return {core::kExitUnavailable,
              fmt::format("another canary run holds {}: run {} ({}), at step {} ({}%), lease until {}; wait for it, "
                          "or stop it and roll back with: {}",
                          route_.Label(), s.run_id, s.holder, s.step + 1, s.weight, Rfc3339(s.lease_until),
                          o_.abort_command)};
    }
    if (s.phase == "Promoted" && s.stable == stable_ && s.canary == canary_) {
      ProgressEvent e = Ev(ProgressEvent::Kind::kPromoted, static_cast<int>(o_.plan.size()) - 1);
      e.weight = 100;
      e.message = fmt::format("already promoted: {} gets 100% (run {}, {})", canary_, s.run_id, Rfc3339(s.updated));
      sink_.Event(e);
      return {core::kExitOk, ""};
    }
    if (s.phase == "Progressing" || s.phase == "Paused") {
      if (!same)
        return {core::kExitUnavailable,
                fmt::format("{} holds an unfinished run with another plan ({} -> {}, steps {}), stopped at {}%; "
                            "resume it with its own flags, or roll it back first with: {}",
                            route_.Label(), s.stable, s.canary, fmt::join(s.plan, ","), s.weight, o_.abort_command)};
      st = s;
      resume = true;
    }
  }
  run_id_ = resume ? st.run_id : RandomId();
  if (!resume) st = Fresh();
  // Take the lease (a resumed run keeps its id but gets a new holder).
  st.holder = o_.holder;

  ProgressEvent plan = Ev(ProgressEvent::Kind::kPlan);
  plan.plan = o_.plan;
  if (o_.checks) plan.queries = PlanQueries(Checks());
  plan.message = notes_;
  while (!plan.message.empty() && plan.message.back() == '\n') plan.message.pop_back();
  sink_.Event(plan);
  if (!WaitReady(fail)) {
    if (resume && st.weight > 0 && fail.exit_code == core::kExitFindings)
      return Rollback(st, fail.message, Lease::kAcquire);
    return fail;
  }
  if (resume) {
    ProgressEvent e = Ev(ProgressEvent::Kind::kResumed, st.step);
    e.weight = st.weight;
    e.failures = st.failures;
    e.message = fmt::format("resuming run {} at step {} ({}%{})", run_id_, st.step + 1, st.weight,
                            st.step_passed ? ", checks passed" : "");
    sink_.Event(e);
  }
  size_t i = st.step < 0 ? 0 : static_cast<size_t>(st.step) + (st.step_passed ? 1 : 0);
  bool first_write = true;
  while (i < o_.plan.size()) {
    int w = o_.plan[i];
    RunState next = st;
    next.phase = "Progressing";
    next.step = static_cast<int>(i);
    if (next.step != st.step) {
      next.step_passed = false;
      next.inconclusive = 0;
    }
    next.lease_until = clock_.Now() + o_.interval + o_.lease_grace;
    next.message.clear();
    if (!Write(w, next, first_write ? Lease::kAcquire : Lease::kOwn, fail)) return fail;
    bool moved = st.weight != w || first_write;
    first_write = false;
    st = next;
    st.weight = w;
    if (moved) {
      ProgressEvent e = Ev(ProgressEvent::Kind::kApplied, static_cast<int>(i));
      e.failures = st.failures;
      e.message = fmt::format("step {}/{}: {}% to {}", i + 1, o_.plan.size(), w, canary_);
      sink_.Event(e);
    }
    bool now_stop = !WaitInterval(static_cast<int>(i));
    if (now_stop) {
      st.phase = "Paused";
      st.lease_until = {};
      st.message = "stopped by Ctrl-C during step " + std::to_string(i + 1);
      if (!Write(w, st, Lease::kOwn, fail)) return fail;
      ProgressEvent e = Ev(ProgressEvent::Kind::kPaused, static_cast<int>(i));
      e.message = fmt::format("stopped at step {} ({}%, not checked). Resume with: {}  Roll back with: {}", i + 1, w,
                              o_.resume_command, o_.abort_command);
      sink_.Event(e);
      return {kExitInterrupted, ""};
    }
    Verdict verdict = Verdict::kPassed;
    if (o_.checks && metrics_) {
      RoundResult round = RunChecks(*metrics_, Checks());
      verdict = round.verdict;
      if (verdict == Verdict::kFailed) st.failures++;
      st.inconclusive = verdict == Verdict::kNotEnoughTraffic ? st.inconclusive + 1 : 0;
      ProgressEvent e = Ev(ProgressEvent::Kind::kChecked, static_cast<int>(i));
      e.failures = st.failures;
      e.message = round.Summary();
      e.round = round;
      sink_.Event(e);
      if (verdict == Verdict::kFailed && st.failures >= o_.failure_limit)
        return Rollback(st, fmt::format("step {} ({}%) failed its checks ({} of --failure-limit {}): {}", i + 1, w,
                                        st.failures, o_.failure_limit, round.Summary()));
      if (verdict == Verdict::kNotEnoughTraffic && st.inconclusive >= o_.inconclusive_limit)
        return Rollback(st, fmt::format("step {} ({}%) had not enough traffic to judge in {} checks in a row "
                                        "(--inconclusive-limit {}): {}",
                                        i + 1, w, st.inconclusive, o_.inconclusive_limit, round.Summary()));
    }
    st.step_passed = verdict == Verdict::kPassed;
    if (Interrupts() > 0) {
      st.phase = "Paused";
      st.lease_until = {};
      st.message = "stopped by Ctrl-C after step " + std::to_string(i + 1);
      if (!Write(w, st, Lease::kOwn, fail)) return fail;
      ProgressEvent e = Ev(ProgressEvent::Kind::kPaused, static_cast<int>(i));
      e.message = fmt::format("stopped after step {} ({}%{}). Resume with: {}  Roll back with: {}", i + 1, w,
                              st.step_passed ? ", checks passed" : ", to be checked again", o_.resume_command,
                              o_.abort_command);
      sink_.Event(e);
      return {kExitInterrupted, ""};
    }
    if (st.step_passed) ++i;
  }
  st.phase = "Promoted";
  st.lease_until = {};
  st.step = static_cast<int>(o_.plan.size()) - 1;
  if (!Write(100, st, Lease::kOwn, fail)) return fail;
  ProgressEvent e = Ev(ProgressEvent::Kind::kPromoted, st.step);
  e.weight = 100;
  e.failures = st.failures;
  e.message = fmt::format("promoted: {} gets 100%", canary_);
  sink_.Event(e);
  return {core::kExitOk, ""};
}

RunOutcome Runner::Abort(bool dry_run) {
  RunOutcome fail;
  if (!Resolve(fail)) return fail;
  auto p = Prepare(0, fail);
  if (!p) return fail;
  if (p->state && !p->state->stable.empty() && !p->state->canary.empty()) {
    // Roll back what the run shifted, whatever the flags resolve to now.
    stable_ = p->state->stable;
    canary_ = p->state->canary;
  }
  RunState st = p->state ? *p->state : Fresh();
  if (!p->state) st.run_id = RandomId();
  run_id_ = st.run_id;
  std::string was = p->state ? fmt::format(" (run {} was {} at {}%)", st.run_id, st.phase, st.weight) : "";
  st.phase = "Aborted";
  st.holder = o_.holder;
  st.lease_until = {};
  st.message = "aborted with --abort";
  if (!Write(0, st, Lease::kForce, fail, dry_run)) return fail;
  ProgressEvent e = Ev(ProgressEvent::Kind::kAborted, st.step);
  e.weight = 0;
  e.message = "aborted: rolled back to 0%" + was + (dry_run ? " (server dry run)" : "");
  sink_.Event(e);
  return {core::kExitOk, ""};
}

RunOutcome Runner::Preview(bool server_dry_run) {
  RunOutcome fail;
  if (!Resolve(fail)) return fail;
  ProgressEvent plan = Ev(ProgressEvent::Kind::kPlan);
  plan.plan = o_.plan;
  if (o_.checks) plan.queries = PlanQueries(Checks());
  std::vector<int> states = o_.plan;
  if (states.back() != 100) states.push_back(100);
  states.push_back(0);
  for (int w : states) {
    auto p = Prepare(w, fail);
    if (!p) return fail;
    if (server_dry_run) {
      run_id_ = "dry-run";
      RunState st = Fresh();
      if (!Write(w, st, Lease::kForce, fail, true)) return fail;
    }
  }
  if (!canary_workloads_.empty()) {
    std::string names;
    for (const auto* w : canary_workloads_) names += (names.empty() ? "" : ", ") + w->kind + " " + w->name;
    plan.message = "readiness gate: " + names + "\n";
  }
  plan.message += notes_;
  plan.message += fmt::format("dry run: every state ({}%, then 0% for a rollback) passes verification{}; nothing "
                              "was written",
                              fmt::join(states.begin(), states.end() - 1, "%, "),
                              server_dry_run ? " and the API server's dry run" : "");
  sink_.Event(plan);
  return {core::kExitOk, ""};
}

}  // namespace

std::string Rfc3339(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string StateToJson(const RunState& s) {
  nlohmann::ordered_json j;
  j["runId"] = s.run_id;
  j["holder"] = s.holder;
  j["phase"] = s.phase;
  j["plan"] = s.plan;
  j["stable"] = s.stable;
  j["canary"] = s.canary;
  j["step"] = s.step;
  j["weight"] = s.weight;
  j["stepPassed"] = s.step_passed;
  j["failures"] = s.failures;
  j["inconclusive"] = s.inconclusive;
  if (s.lease_until != std::chrono::system_clock::time_point{}) j["leaseUntil"] = Rfc3339(s.lease_until);
  j["updated"] = Rfc3339(s.updated);
  if (!s.message.empty()) j["message"] = s.message;
  return j.dump();
}

core::Result<RunState> StateFromJson(const std::string& text) {
  auto bad = [](const std::string& why) {
    return core::DataError(std::string("annotation ") + kStateAnnotation + ": " + why +
                           "; remove the annotation or run --abort");
  };
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  RunState s;
  try {
    s.run_id = j.at("runId").get<std::string>();
    s.holder = j.value("holder", "");
    s.phase = j.at("phase").get<std::string>();
    s.plan = j.at("plan").get<std::vector<int>>();
    s.stable = j.value("stable", "");
    s.canary = j.value("canary", "");
    s.step = j.value("step", -1);
    s.weight = j.value("weight", 0);
    s.step_passed = j.value("stepPassed", false);
    s.failures = j.value("failures", 0);
    s.inconclusive = j.value("inconclusive", 0);
    s.message = j.value("message", "");
    if (j.contains("leaseUntil")) {
      auto t = ParseRfc3339(j["leaseUntil"].get<std::string>());
      if (!t.ok()) return bad("leaseUntil: " + t.status().message());
      s.lease_until = *t;
    }
    if (j.contains("updated")) {
      auto t = ParseRfc3339(j["updated"].get<std::string>());
      if (t.ok()) s.updated = *t;
    }
  } catch (const nlohmann::json::exception& e) {
    return bad(e.what());
  }
  if (s.step >= static_cast<int>(s.plan.size()) || s.step < -1) return bad("step is outside the plan");
  return s;
}

std::unique_ptr<Clock> NewSystemClock() { return std::make_unique<SystemClock>(); }

RunOutcome RunProgressive(ProgressiveCluster& cluster, metrics::MetricsSource* metrics, Clock& clock,
                          ProgressSink& sink, const std::atomic<int>& interrupts, const ProgressiveOptions& o) {
  return Runner(cluster, metrics, clock, sink, &interrupts, o).Run();
}

RunOutcome AbortProgressive(ProgressiveCluster& cluster, Clock& clock, ProgressSink& sink,
                            const ProgressiveOptions& o, bool dry_run) {
  return Runner(cluster, nullptr, clock, sink, nullptr, o).Abort(dry_run);
}

RunOutcome PreviewProgressive(ProgressiveCluster& cluster, ProgressSink& sink, const ProgressiveOptions& o,
                              bool server_dry_run) {
  auto clock = NewSystemClock();
  return Runner(cluster, nullptr, *clock, sink, nullptr, o).Preview(server_dry_run);
}

}  // namespace meshctl::canary
