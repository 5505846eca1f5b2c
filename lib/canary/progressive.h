// A progressive canary run from the command line, with no controller in the
// cluster: apply a step of the plan, wait the interval, check the canary's
// metrics, go on; promote at the end, or roll back to 0 % when the checks
// fail. Each state is built and verified by RunCanary (canary.h) before it
// is written.
//
// The run's state lives in the cluster, in the annotation
// meshctl.io/canary-state on the routed resource (the VirtualService,
// HTTPRoute or TrafficSplit): plan, versions, current step, failures, phase
// and a lease (run id, holder, expiry). It is written in the same
// server-side apply as the step's weights, with the resourceVersion just
// read as a precondition, so a re-run resumes where the last one stopped,
// --abort rolls back, and a second run is refused while the lease holds.
//
// Everything outside (the API server, Prometheus, the clock, progress
// output, Ctrl-C) comes in through the interfaces below.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lib/canary/canary.h"
#include "lib/canary/progressive_checks.h"
#include "lib/core/status.h"
#include "lib/io/files.h"
#include "lib/metrics/prometheus.h"
#include "lib/yaml/node.h"

namespace meshctl::canary {

inline constexpr const char* kStateAnnotation = "meshctl.io/canary-state";
// Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it):
// traffic stays at the last step, the state says "Paused".
inline constexpr int kExitInterrupted = 130;

// The state annotation's content.
struct RunState {
  std::string run_id;
  std::string holder;  // "host pid 1234"
  // Progressing (a run holds the lease), Paused (Ctrl-C), Promoted,
  // RolledBack, Aborted.
  std::string phase;
  std::vector<int> plan;
  std::string stable, canary;
  int step = -1;             // index into plan of the step applied last; -1 = none yet
  int weight = 0;            // the canary weight in the cluster
  bool step_passed = false;  // the checks of `step` passed
  int failures = 0;          // failed checks in this run
  int inconclusive = 0;      // "not enough traffic" rounds in a row at `step`
  std::chrono::system_clock::time_point lease_until{};
  std::chrono::system_clock::time_point updated{};
  std::string message;  // why it was rolled back / paused
};

std::string StateToJson(const RunState& s);
// DataError naming the annotation when the text is not a state meshctl wrote.
core::Result<RunState> StateFromJson(const std::string& text);
// "2026-12-02T07:00:00Z"
std::string Rfc3339(std::chrono::system_clock::time_point t);

// The cluster as the runner sees it.
class ProgressiveCluster {
 public:
  virtual ~ProgressiveCluster() = default;
  // The objects canary needs (routes, Services, workloads), read afresh.
  virtual core::Result<io::InputSet> Read() = 0;
  // Server-side apply of one object. A metadata.resourceVersion in it is a
  // precondition (409 when the object changed since).
  virtual core::Status Apply(const yaml::Node& object, bool dry_run, bool force_conflicts) = 0;
  // "https://10.0.0.1:6443", for messages.
  virtual std::string Server() const = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() = 0;
  // Sleeps at most `d`; may return early (the runner re-checks Ctrl-C).
  virtual void Sleep(std::chrono::milliseconds d) = 0;
};
std::unique_ptr<Clock> NewSystemClock();

// What the runner reports, in order.
struct ProgressEvent {
  enum class Kind {
    kPlan,        // the plan, the checks and their queries (also --dry-run)
    kWaitReady,   // waiting for the canary workload's ready replicas
    kReady,
    kResumed,     // a run found in the cluster goes on
    kApplied,     // a step's weights are in the cluster
    kChecked,     // one analysis round
    kPromoted,
    kRolledBack,
    kPaused,      // Ctrl-C
    kAborted,     // --abort
    kInterruptRequested,
    kError,
  };
  Kind kind = Kind::kPlan;
  int step = 0;   // 1-based; 0 = not about a step
  int steps = 0;  // plan size
  int weight = 0;
  std::string message;
  std::optional<RoundResult> round;
  std::vector<PlannedQuery> queries;  // kPlan
  std::vector<int> plan;              // kPlan
  std::string stable, canary, workload;
  std::chrono::milliseconds interval{0};
  int failures = 0;
};
std::string_view EventName(ProgressEvent::Kind k);  // "plan", "step-applied", ...

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void Event(const ProgressEvent& e) = 0;
  // During a wait, about once a second: the time left of the step's interval.
  virtual void Tick(int step, std::chrono::milliseconds left) {}
};

// Renderers: one line per event (logs, CI); JSON lines (-o json); the live
// step table for a terminal (redrawn in place with ANSI escapes).
std::unique_ptr<ProgressSink> NewLineSink(std::ostream& out);
std::unique_ptr<ProgressSink> NewJsonLinesSink(std::ostream& out);
std::unique_ptr<ProgressSink> NewTableSink(std::ostream& out);

struct ProgressiveOptions {
  CanarySpec spec;  // weight is set per step
  std::vector<int> plan;
  std::chrono::milliseconds interval{60000};
  // Metric checks; nullopt without --prometheus (steps then wait the
  // interval only). ns/workload are filled in by the runner when empty.
  std::optional<CheckConfig> checks;
  int failure_limit = 1;       // failed checks (in the run) that roll back
  int inconclusive_limit = 3;  // "not enough traffic" rounds in a row at one step that roll back
  std::chrono::milliseconds ready_timeout{300000};
  std::chrono::milliseconds lease_grace{30000};  // lease = now + interval + grace
  std::string canary_workload;  // "" = the canary version's Deployment/StatefulSet
  bool force = false;            // apply to resources another controller owns (MSH0303)
  bool force_conflicts = false;  // server-side apply force
  std::string holder;            // "host pid N"
  // The commands a message tells the user to run (resume, abort).
  std::string resume_command;
  std::string abort_command;
};

struct RunOutcome {
  int exit_code = 0;
  std::string message;  // the final line for people ("" when an event said it)
};

// The run: resume or start, readiness gate, steps, promotion or rollback.
// Exit codes: 0 promoted (or already promoted), 65 a state fails
// verification or the input cannot be used, 69 the cluster cannot be
// reached or written, a concurrent run holds the lease, or another run took
// it over, 79 rolled back (failed checks, not enough traffic, canary not
// ready), 130 stopped by Ctrl-C (`interrupts` counts SIGINTs: one stops
// after the current step, two stop at once).
RunOutcome RunProgressive(ProgressiveCluster& cluster, metrics::MetricsSource* metrics, Clock& clock,
                          ProgressSink& sink, const std::atomic<int>& interrupts, const ProgressiveOptions& o);

// --abort: roll back to 0 % and mark the state Aborted (a running run
// stops at its next write). 0, or 65/69 as above.
RunOutcome AbortProgressive(ProgressiveCluster& cluster, Clock& clock, ProgressSink& sink,
                            const ProgressiveOptions& o, bool dry_run);

// --dry-run: verifies every state of the plan (and the rollback) against the
// cluster's objects, reports the plan and the exact queries; with
// `server_dry_run` each state is also sent with dryRun=All. Writes nothing.
RunOutcome PreviewProgressive(ProgressiveCluster& cluster, ProgressSink& sink, const ProgressiveOptions& o,
                              bool server_dry_run);

}  // namespace meshctl::canary
