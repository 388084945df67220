#!/usr/bin/python3
"""Runs the example GitHub Actions workflow (examples/ci/contracts.yml) the
way a runner would, as far as an offline machine can.

The workflow is parsed (python3-yaml) and its one job's steps run in order in
a temporary pull-request checkout: a bare "origin" holds `main` (a copy of
examples/contracts and its checked-in generated files) and a branch per
scenario; the work tree is the merge of the branch into main, detached, with
every branch fetched (what actions/checkout with fetch-depth 0 gives for a
pull_request event). `run:` steps run with bash -eo pipefail, the workflow's,
job's and step's env, ${{ }} expressions evaluated (the subset the workflow
uses: github.*, steps.*.outcome, env.*, !, &&, ||, ==, !=, success(),
failure(), always(), cancelled()), GITHUB_PATH and GITHUB_ENV honoured.
`if:` decides whether a step runs, as on GitHub.

What cannot run here is emulated or checked instead: actions/checkout is the
checkout above (the step must ask for fetch-depth 0); upload-sarif validates
the file against the SARIF 2.1.0 schema and GitHub's requirements
(tests/scripts/sarif_valid.py) and records the category. MESHC_DEB_URL is
this build's package (cpack -G DEB, ctest `package-deb`) as a file:// URL,
which the install step downloads with its own curl. apt-get, there, is a
stand-in that installs nothing on this machine: `update` does nothing,
`install NAME` requires NAME to be a Debian package (one installed here), and
`install ./FILE.deb` (apt's form for a file; a bare FILE.deb would be looked
up as a package name and fail) unpacks the package with dpkg-deb -x into a
directory whose usr/bin then goes on the job's PATH, as /usr/bin is in the
container; without -y (or -qq) it aborts, as apt-get does with no one to
answer. dpkg is a stand-in that refuses to run (dpkg -i would not install the
Depends). After the step, each shared library the packaged meshc and
mesh-devkafka load must come from a package apt installs with it: one its
Depends names, or one the step names.

Scenarios: a clean change passes every step; a breaking change fails the
breaking step (its SARIF still uploaded); a contract edited without
regenerating fails the generated-code step; a type error fails the check
(its SARIF uploaded, pointing into the repository); a push to main skips the
breaking steps.

usage: run.py BUILD_DIR --deb DEB [--work DIR]
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WORKFLOW = ROOT / "examples/ci/contracts.yml"
sys.path.insert(0, str(ROOT / "tests/scripts"))
import debian_package  # noqa: E402
import sarif_valid  # noqa: E402
from harness import arguments, expect, finish  # noqa: E402


# --- ${{ }} expressions -----------------------------------------------------

TOKEN = re.compile(r"\s*(?:(==|!=|&&|\|\||[!().])|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_-]*))")


class Expr:
    """The subset of GitHub's expression language the workflow uses; anything
    else is an error, never silently true."""

    def __init__(self, text, context, functions):
        self.tokens = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ValueError(f"cannot read expression {text!r} at {pos}")
            op, string, ident = m.groups()
            self.tokens.append(("op", op) if op else ("str", string.replace("''", "'")) if string is not None
                               else ("id", ident))
            pos = m.end()
        self.i = 0
        self.context = context
        self.functions = functions

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (value and tok[1] != value):
            raise ValueError(f"expected {value or kind} in expression, got {tok}")
        self.i += 1
        return tok

    def evaluate(self):
        value = self.disjunction()
        if self.i != len(self.tokens):
            raise ValueError(f"trailing tokens in expression: {self.tokens[self.i:]}")
        return value

    def chain(self, op, operand, keep_left):
        """operand (op operand)*, left to right: each step keeps the left
        value when keep_left(truthy(left)), else takes the right one."""
        value = operand()
        while self.peek() == ("op", op):
            self.take()
            right = operand()
            value = value if keep_left(truthy(value)) else right
        return value

    def disjunction(self):
        return self.chain("||", self.conjunction, lambda left_true: left_true)

    def conjunction(self):
        return self.chain("&&", self.unary, lambda left_true: not left_true)

    def unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.unary())
        left = self.primary()
        if self.peek() in (("op", "=="), ("op", "!=")):
            op = self.take()[1]
            right = self.primary()
            same = str(left).lower() == str(right).lower() if isinstance(left, str) and isinstance(right, str) \
                else left == right
            return same if op == "==" else not same
        return left

    def primary(self):
        kind, value = self.peek()
        if (kind, value) == ("op", "("):
            self.take()
            inner = self.disjunction()
            self.take("op", ")")
            return inner
        if kind == "str":
            self.take()
            return value
        name = self.take("id")[1]
        if self.peek() == ("op", "("):
            self.take()
            self.take("op", ")")
            if name not in self.functions:
                raise ValueError(f"unknown function {name}()")
            return self.functions[name]()
        if name not in self.context:
            raise ValueError(f"unknown context {name!r}")
        value = self.context[name]
        while self.peek() == ("op", "."):
            self.take()
            key = self.take("id")[1]
            if not isinstance(value, dict) or key not in value:
                raise ValueError(f"no property {key!r} in {name}")
            value = value[key]
        return value


def truthy(value):
    return bool(value) and value != ""


def substitute(text, context, functions):
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(Expr(m.group(1), context, functions).evaluate()), str(text))


# --- the runner --------------------------------------------------------------

class Job:
    def __init__(self, workflow, checkout, event, base_ref, head_ref, deb, work, schema):
        self.workflow = workflow
        self.deb = deb
        self.checkout = checkout
        self.work = work
        self.schema = schema
        self.github = {"event_name": event, "base_ref": base_ref if event == "pull_request" else "",
                       "head_ref": head_ref if event == "pull_request" else "", "workspace": str(checkout)}
        self.overrides = {"MESHC_DEB_URL": deb.as_uri()}
        self.steps = {}  # id -> {"outcome": ...}
        self.failed = False
        self.log = []  # (name, outcome, output)
        self.uploads = {}  # category -> SARIF log

    def run(self, job):
        runner_temp = self.work / "runner-temp"
        runner_temp.mkdir(parents=True, exist_ok=True)
        self.path_file = self.work / "github-path"
        self.env_file = self.work / "github-env"
        self.path_file.write_text("")
        self.env_file.write_text("")
        shims = self.apt_get_stand_in()
        self.base_env = {
            "PATH": f"{shims}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(self.work / "home"),
            "LANG": "C.UTF-8", "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(self.checkout),
            "GITHUB_EVENT_NAME": self.github["event_name"], "GITHUB_BASE_REF": self.github["base_ref"],
            "GITHUB_HEAD_REF": self.github["head_ref"], "RUNNER_TEMP": str(runner_temp),
            "GITHUB_PATH": str(self.path_file), "GITHUB_ENV": str(self.env_file), "NO_COLOR": "1",
            "MESH_TODAY": "2026-11-25"}
        (self.work / "home").mkdir(exist_ok=True)
        for step in job["steps"]:
            self.step(job, step)

    def context(self, env):
        return {"github": self.github, "steps": self.steps, "env": env}

    def functions(self):
        return {"success": lambda: not self.failed, "failure": lambda: self.failed, "always": lambda: True,
                "cancelled": lambda: False}

    def step(self, job, step):
        name = step.get("name") or step.get("uses") or step.get("run", "").splitlines()[0]
        env = dict(self.base_env)
        for scope in (self.workflow.get("env", {}), job.get("env", {})):
            env.update({k: str(v) for k, v in scope.items()})
        env.update(self.overrides)
        for line in self.env_file.read_text().splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                env[k] = v
        extra = [p for p in self.path_file.read_text().splitlines() if p]
        if extra:
            env["PATH"] = ":".join(reversed(extra)) + ":" + env["PATH"]
        context = self.context(env)
        for k, v in step.get("env", {}).items():
            env[k] = substitute(v, context, self.functions())
        condition = str(step.get("if", "success()"))
        condition = condition.strip()
        if condition.startswith("${{") and condition.endswith("}}"):
            condition = condition[3:-2]
        # GitHub: without a status function the condition means success() && it.
        if not re.search(r"\b(success|failure|always|cancelled)\(\)", condition):
            condition = f"success() && ({condition})"
        run_it = truthy(Expr(condition, context, self.functions()).evaluate())
        if not run_it:
            self.record(step, name, "skipped", "")
            return
        if "run" in step:
            script = substitute(step["run"], context, self.functions())
            shell = step.get("shell") or self.workflow.get("defaults", {}).get("run", {}).get("shell", "bash")
            if shell != "bash":
                raise ValueError(f"step {name!r}: shell {shell} is not emulated")
            r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=self.checkout,
                               env=env, capture_output=True, text=True, timeout=300)
            self.record(step, name, "success" if r.returncode == 0 else "failure", r.stdout + r.stderr)
            if step.get("id") == "install":
                self.check_install()
        elif step.get("uses", "").startswith("actions/checkout@"):
            ok = str(step.get("with", {}).get("fetch-depth")) == "0"
            self.record(step, name, "success" if ok else "failure",
                        "" if ok else "checkout without fetch-depth 0: the target branch would not be there")
        elif step.get("uses", "").startswith("github/codeql-action/upload-sarif@"):
            self.upload(step, name, {k: substitute(v, context, self.functions()) for k, v in step["with"].items()})
        else:
            raise ValueError(f"step {name!r} uses an action the test cannot run: {step.get('uses')}")

    def record(self, step, name, outcome, output):
        if step.get("id"):
            self.steps[step["id"]] = {"outcome": outcome, "conclusion": outcome}
        if outcome == "failure":
            self.failed = True
        self.log.append((name, outcome, output))

    def upload(self, step, name, inputs):
        import jsonschema
        path = self.checkout / inputs["sarif_file"]
        try:
            log = json.loads(path.read_text())
            jsonschema.validate(log, self.schema)
            problems = sarif_valid.github_problems(log)
        except (OSError, ValueError, jsonschema.ValidationError) as e:
            problems = [f"{path.name}: {e}"]
        if problems:
            self.record(step, name, "failure", "\n".join(problems))
        else:
            self.uploads[inputs.get("category", "")] = log
            self.record(step, name, "success", "")

    def apt_get_stand_in(self):
        """A directory with the apt-get the job's steps run (the docstring at
        the top says what it does); it logs each call."""
        shims = self.work / "shims"
        shims.mkdir()
        self.apt_log = self.work / "apt-get.log"
        self.apt_root = self.work / "apt-root"
        script = shims / "apt-get"
        script.write_text(f"""#!/bin/bash
printf '%s\\n' "$*" >> '{self.apt_log}'
case "$1" in
  update) exit 0 ;;
  install) shift ;;
  *) echo "apt-get stand-in: only update and install" >&2; exit 100 ;;
esac
# Without -y (or -qq, which implies it) apt-get asks, and a job has no one to answer.
case " $* " in
  *" -y "*|*" --yes "*|*" --assume-yes "*|*" -qq "*) ;;
  *) echo "E: apt-get install without -y asks for confirmation: Abort." >&2; exit 1 ;;
esac
for arg; do
  case "$arg" in
    -*) ;;
    /*.deb|./*.deb|../*.deb)
      dpkg-deb -x "$arg" '{self.apt_root}' || exit 100
      echo '{self.apt_root}/usr/bin' >> "$GITHUB_PATH" ;;
    *)
      dpkg-query -W -f='${{Status}}' "$arg" 2>/dev/null | grep -q 'install ok installed' ||
        {{ echo "E: Unable to locate package $arg" >&2; exit 100; }} ;;
  esac
done
""")
        script.chmod(0o755)
        # dpkg -i would install on this machine, and in the container it
        # would not install the package's Depends: the step must use apt-get.
        dpkg = shims / "dpkg"
        dpkg.write_text("#!/bin/sh\necho 'dpkg stand-in: not run here; install the package with apt-get' >&2\n"
                        "exit 2\n")
        dpkg.chmod(0o755)
        return shims

    def check_install(self):
        """The install step installed the package with apt, so its Depends
        came along; with the packages it names, they give every shared
        library the packaged binaries load."""
        calls = self.apt_log.read_text().splitlines() if self.apt_log.exists() else []
        named = {arg for call in calls if call.startswith("install ") for arg in call.split()[1:]
                 if not arg.startswith("-") and not arg.endswith(".deb")}
        bin_dir = self.apt_root / "usr/bin"
        if not expect(bin_dir.is_dir(), f"the install step did not apt-get install the package: {calls}"):
            return
        depends = debian_package.relation_names(debian_package.control(self.deb).get("Depends"))
        binaries = sorted(bin_dir.iterdir())
        for problem in debian_package.uncovered_libraries(binaries, depends | named):
            expect(False, f"the install step: {problem}")

    def outcome(self, name_part):
        for name, outcome, _ in self.log:
            if name_part in name:
                return outcome
        raise KeyError(name_part)

    def output(self, name_part):
        return "".join(out for name, _, out in self.log if name_part in name)

    def summary(self):
        return "\n".join(f"  {outcome:8} {name}\n" + "".join(f"           {line}\n" for line in out.splitlines()[-15:])
                         for name, outcome, out in self.log)


def git(args, cwd, env):
    r = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"git {' '.join(args)} failed:\n{r.stdout}{r.stderr}")
    return r.stdout.strip()


def main():
    build_dir, work, deb = arguments("build_dir", "ci", "deb")
    if not deb or not deb.is_file():
        sys.exit(f"no package at {deb}: ctest `package-deb` (cpack -G DEB) makes it")
    workflow = yaml.safe_load(WORKFLOW.read_text())
    # YAML 1.1 reads the key `on` as true.
    triggers = workflow.get("on", workflow.get(True))
    expect("pull_request" in triggers and "push" in triggers, "the workflow must run on pull_request and push")
    (job_name, job), = workflow["jobs"].items()
    with open(ROOT / "tests/data/sarif-schema-2.1.0.json") as f:
        schema = json.load(f)

    meshc = build_dir / "meshc"

    genv = dict(os.environ, HOME=str(work), GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Domain Team",
                GIT_AUTHOR_EMAIL="domain@example.com", GIT_COMMITTER_NAME="Domain Team",
                GIT_COMMITTER_EMAIL="domain@example.com", MESH_TODAY="2026-11-25")

    def regenerate(tree):
        # As the workspace file says, as the workflow's `meshc build --check` checks.
        r = subprocess.run([str(meshc), "build"], cwd=tree, env=genv, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"meshc build in {tree} failed:\n{r.stderr}")

    # origin: main, then one branch per scenario.
    seed = work / "seed"
    shutil.copytree(ROOT / "examples/contracts", seed / "contracts")
    shutil.copy(ROOT / "examples/ci/mesh.yaml", seed / "mesh.yaml")
    (seed / ".github/workflows").mkdir(parents=True)
    shutil.copy(WORKFLOW, seed / ".github/workflows/contracts.yml")
    regenerate(seed)
    git(["init", "-q", "-b", "main"], seed, genv)
    git(["add", "-A"], seed, genv)
    git(["commit", "-q", "-m", "contracts"], seed, genv)
    origin = work / "origin.git"
    git(["clone", "-q", "--bare", str(seed), str(origin)], work, genv)
    git(["remote", "add", "origin", str(origin)], seed, genv)

    events = pathlib.Path("contracts/sales/orders/events.mesh")
    original = (seed / events).read_text()
    qty = "qty:        int32 where value > 0;"
    attributes = "  /// Free-form attributes from the storefront (`channel`, `campaign`, ...).\n" \
                 "  attributes:  map<string, string>;\n"
    coupon = "  coupon:      string?;\n"
    assert qty in original and attributes in original and coupon in original, \
        "examples/contracts changed: update tests/ci/run.py"
    scenarios = {
        # An optional field added and the generated files regenerated.
        "clean": (original.replace(coupon, coupon + "  /// Gift note, if any.\n  gift_note:   string?;\n"), True),
        # orders_placed is backward compatible: a required field added (an
        # error, in this file) and a field removed (a note, in the baseline's
        # file), no major version bump.
        "breaking": (original.replace(coupon, coupon + "  channel:     string;\n").replace(attributes, ""), True),
        # An optional field added, generated files not regenerated.
        "stale": (original.replace(coupon, coupon + "  /// Gift note, if any.\n  gift_note:   string?;\n"), False),
        # A type error.
        "type-error": (original.replace(qty, 'qty:        int32 where value > "none";'), False),
    }
    for branch, (text, regen) in scenarios.items():
        git(["checkout", "-q", "-b", branch, "main"], seed, genv)
        (seed / events).write_text(text)
        if regen:
            regenerate(seed)
        git(["commit", "-q", "-am", branch], seed, genv)
        git(["add", "-A"], seed, genv)
        if git(["status", "--porcelain"], seed, genv):
            git(["commit", "-q", "-m", f"{branch}: generated"], seed, genv)
        git(["push", "-q", "origin", branch], seed, genv)
        git(["checkout", "-q", "main"], seed, genv)

    def run_job(branch, event):
        checkout = work / f"checkout-{branch}-{event}"
        git(["clone", "-q", str(origin), str(checkout)], work, genv)
        if event == "pull_request":
            # refs/pull/N/merge: the branch merged into the target, detached.
            git(["checkout", "-q", "--detach", "origin/main"], checkout, genv)
            git(["merge", "-q", "--no-ff", "--no-edit", f"origin/{branch}"], checkout, genv)
        job_work = work / f"job-{branch}-{event}"
        job_work.mkdir()
        j = Job(workflow, checkout, event, "main", branch, deb, job_work, schema)
        j.run(job)
        print(f"{branch} ({event}):\n{j.summary()}")
        return j

    def outcomes(j):
        return {name: outcome for name, outcome, _ in j.log}

    clean = run_job("clean", "pull_request")
    expect(not clean.failed and all(o in ("success",) for o in outcomes(clean).values()),
           f"the clean change did not pass every step: {outcomes(clean)}")
    expect(set(clean.uploads) == {"meshc-check", "meshc-breaking"}, f"clean: uploads {set(clean.uploads)}")
    notes = [r["ruleId"] for r in clean.uploads.get("meshc-breaking", {"runs": [{"results": []}]})["runs"][0]["results"]]
    expect("N0702" in notes, f"clean: the added optional field is not noted in the breaking SARIF: {notes}")

    breaking = run_job("breaking", "pull_request")
    expect(breaking.outcome("Breaking changes") == "failure", f"breaking: {outcomes(breaking)}")
    expect(breaking.outcome("Generated code") == "skipped", f"breaking: later steps ran: {outcomes(breaking)}")
    log = breaking.uploads.get("meshc-breaking")
    results = log["runs"][0]["results"] if log else []
    where = {(r["ruleId"], r["level"]): r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results}
    expect(where.get(("E0701", "error")) == {"uri": str(events), "uriBaseId": "%SRCROOT%"},
           f"breaking: the added required field should be an error in {events} under %SRCROOT%: {where}")
    expect({"uri": str(events), "uriBaseId": "MESHC_BASELINE"} in
           [loc for (code, level), loc in where.items() if level == "note"],
           f"breaking: the removed field should be a note in the baseline's {events} (MESHC_BASELINE): {where}")
    expect("error[E07" in breaking.output("Breaking changes"), "breaking: no text diagnostic in the step's log")

    stale = run_job("stale", "pull_request")
    expect(stale.outcome("Breaking changes") == "success" and stale.outcome("Generated code") == "failure",
           f"stale: {outcomes(stale)}")
    expect("stale jsonschema/sales.orders.OrderEvent.schema.json" in stale.output("Generated code"),
           f"stale: the stale schema is not named:\n{stale.output('Generated code')}")

    bad = run_job("type-error", "pull_request")
    expect(bad.outcome("Check the contracts") == "failure" and bad.outcome("Upload the check") == "success"
           and bad.outcome("Breaking changes") == "skipped", f"type-error: {outcomes(bad)}")
    log = bad.uploads.get("meshc-check")
    located = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]
               if r["ruleId"] == "E0301"] if log else []
    expect(located == [{"uri": str(events), "uriBaseId": "%SRCROOT%"}],
           f"type-error: the uploaded E0301 should point at {events} under %SRCROOT%: {located}")

    push = run_job("main", "push")
    expect(not push.failed and push.outcome("Breaking changes") == "skipped"
           and push.outcome("Upload the breaking") == "skipped" and set(push.uploads) == {"meshc-check"},
           f"push to main: {outcomes(push)}")

    finish("ci", "the workflow passes a clean change and fails a breaking change, stale generated code and a type "
          "error, with SARIF uploads GitHub accepts")


if __name__ == "__main__":
    main()
