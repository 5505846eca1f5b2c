#!/usr/bin/python3
"""The CI recipes in docs/ci/ and .pre-commit-hooks.yaml work as written.

Every shell line of the GitHub Actions and GitLab recipes that calls meshctl
is run with bash against two manifest trees standing in for the user's k8s/:
a clean one (every line must succeed, as on a good pull request) and
testdata/bookinfo with its planted mistakes (the validate and analyze lines
must fail the job, and -o github must annotate lines). The pre-commit hooks
are run the way pre-commit runs them: entry + args (+ file names).

  tests/ci/recipes_test.py MESHCTL_BINARY SOURCE_DIR
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml

binary, src = sys.argv[1], sys.argv[2]
failures = []

CLEAN = """\
apiVersion: v1
kind: Service
metadata: {name: ratings, namespace: shop}
spec:
  selector: {app: ratings}
  ports: [{name: http, port: 9080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ratings-v1, namespace: shop}
spec:
  selector: {matchLabels: {app: ratings, version: v1}}
  template:
    metadata: {labels: {app: ratings, version: v1}}
    spec: {containers: [{name: ratings, image: ratings:1}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings, namespace: shop}
spec:
  host: ratings
  subsets: [{name: v1, labels: {version: v1}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: shop}
spec:
  hosts: [ratings]
  http: [{route: [{destination: {host: ratings, subset: v1}}]}]
"""


def shell_lines(recipe):
    """The shell commands of a workflow: `run:` blocks and GitLab `script:`."""
    doc = yaml.safe_load(open(recipe))
    lines = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "run" and isinstance(value, str):
                    lines.extend(value.splitlines())
                elif key == "script" and isinstance(value, list):
                    lines.extend(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(doc)
    return [l.strip() for l in lines if re.match(r"\s*meshctl\s", l)]


def run(line, tree, bindir):
    env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"])
    cmd = line.replace("k8s/", tree + "/")
    return subprocess.run(["bash", "-c", cmd], cwd=os.path.dirname(tree), env=env,
                          capture_output=True, text=True, timeout=120)


def check(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


with tempfile.TemporaryDirectory() as tmp:
    bindir = os.path.join(tmp, "bin")
    os.mkdir(bindir)
    os.symlink(os.path.abspath(binary), os.path.join(bindir, "meshctl"))
    clean = os.path.join(tmp, "clean", "k8s")
    os.makedirs(clean)
    open(os.path.join(clean, "ratings.yaml"), "w").write(CLEAN)
    broken = os.path.join(tmp, "broken", "k8s")
    shutil.copytree(os.path.join(src, "testdata", "bookinfo"), broken)

    for recipe in ("docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"):
        lines = shell_lines(os.path.join(src, recipe))
        check(len(lines) >= 2, f"{recipe}: has meshctl steps ({len(lines)})")
        for line in lines:
            r = run(line, clean, bindir)
            check(r.returncode == 0, f"{recipe}: `{line}` passes on a clean tree (exit {r.returncode}) {r.stderr[-300:]}")
            r = run(line, broken, bindir)
            gated = "||" not in line  # lines that keep a report go on
            if gated:
                check(r.returncode != 0, f"{recipe}: `{line}` fails the job on bookinfo's mistakes (exit {r.returncode})")
            if "-o github" in line:
                check("::error" in r.stdout or "::warning" in r.stdout,
                      f"{recipe}: `{line}` annotates the pull request")

    hooks = yaml.safe_load(open(os.path.join(src, ".pre-commit-hooks.yaml")))
    check({h["id"] for h in hooks} == {"meshctl-validate", "meshctl-analyze"}, "pre-commit: both hooks defined")
    for hook in hooks:
        argv = shlex.split(hook["entry"]) + hook.get("args", [])
        for tree, want_ok in ((clean, True), (broken, False)):
            files = []
            if hook.get("pass_filenames", True):
                for root, _, names in os.walk(tree):
                    files += [os.path.relpath(os.path.join(root, n), tree) for n in sorted(names)
                              if re.search(hook["files"], n) and not re.search(hook.get("exclude", "^$"), n)]
            env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"])
            r = subprocess.run(argv + files, cwd=tree, env=env, capture_output=True, text=True, timeout=120)
            what = "clean" if want_ok else "bookinfo"
            check((r.returncode == 0) == want_ok, f"pre-commit {hook['id']} on {what}: exit {r.returncode} {r.stderr[-300:]}")

print(f"{len(failures)} failed" if failures else "recipes: ok")
sys.exit(1 if failures else 0)
