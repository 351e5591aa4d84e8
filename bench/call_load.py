#!/usr/bin/env python3
"""Whole inbound calls through Switchboard's call center, and Kamailio in the same run, on loopback.

A SIPp UAC calls a DID routed straight to a queue; Switchboard answers, queues the call and
offers it to a free agent by INVITE to the agent's registered phone, a SIPp UAS that answers;
the caller talks for --talk seconds and hangs up; Switchboard hangs up the agent leg. The agents
(a template, as many as the largest step holds calls, plus --spare-agents) register and log in
beforehand with digest auth from SIPp (bench/call_load/agent_register.xml, agent_login.xml).

The anchor is Kamailio (Debian package) as a transaction-stateful proxy with record-routing and
one UDP worker (bench/call_load/kamailio.cfg.in) forwarding the same SIPp calls to a SIPp UAS.

1. Call rate: a bounded search over --rates. Each step places min(rate x --talk, --max-calls)
   calls at that rate; a step passes when the caller and the answering UAS each count every call
   successful and none failed (with Switchboard, the UAS count proves every call reached an
   agent). A system stops after a failed step or one where fewer than 90 % of the asked rate
   were answered. Reported per system: the highest passing rate (as achieved: 200s per second,
   from SIPp's per-call -trace_rtt stamps), the server's CPU per call (utime+stime from /proc,
   all of Kamailio's processes; Switchboard's main thread apart), the Switchboard/Kamailio ratio.
   Steps alternate between the systems; each waits until no compiler runs and is measured again
   (twice at most) when one started meanwhile.
2. Concurrent relayed calls (Switchboard only): --hold steps of N calls held up together with
   G.711 RTP both ways (the caller streams PCMU every 20 ms with SIPp's rtp_stream, the agent's
   UAS echoes it with -rtp_echo, Switchboard relays both directions); a fresh server per step,
   media_timeout 5 s (a call whose RTP stops in either direction is hung up and fails). Memory
   per call = (VmRSS during the plateau - VmRSS with the agents logged in and no call) / N.

    bench/call_load.py --switchboard build/switchboard [--rates 50,100,200,400,800,1600,3200,6400]
                       [--hold 200,500,1000] [--markdown] [--keep]
"""
import argparse
import csv
import glob
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCEN = os.path.join(HERE, "call_load")
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import sip_load  # noqa: E402  (free ports, readiness probe, /proc CPU, Server)

DID = "+15550199"
SB_RTP = (10000, 29999)      # Switchboard's media ports: 4 per relayed call (RTP + RTCP, two legs)
CALLER_RTP_BASE = 42000      # SIPp's rtp_stream ports for the callers (2 per call, counted up)
UAS_MEDIA_PORT = 41000       # the agents' UAS -rtp_echo port (and +2)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def wait_for_quiet_machine(max_wait=600):
    """Waits (bounded) while a compiler or ninja runs on the machine, so figures are not disturbed."""
    deadline = time.monotonic() + max_wait
    said = False
    while time.monotonic() < deadline:
        if not build_running():
            return True
        if not said:
            log("  a build is running (ninja/cc1plus): waiting for it to end")
            said = True
        time.sleep(5)
    log("  still a build running after the wait: measuring anyway (figures may be disturbed)")
    return False


def build_running():
    busy = subprocess.run(["pgrep", "-f", "ninja|cc1plus"], stdout=subprocess.PIPE).stdout.split()
    return any(int(p) != os.getpid() for p in busy)


class BuildWatch:
    """Notes whether a compiler ran at any time while a step was measured (polled every second)."""

    def __enter__(self):
        self.seen, self._stop = False, threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()
        return self

    def _poll(self):
        while not self._stop.wait(1.0):
            if build_running():
                self.seen = True

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def measured(step, what):
    """Runs step() on a quiet machine; again (twice at most) when a build started meanwhile."""
    for attempt in range(3):
        wait_for_quiet_machine()
        with BuildWatch() as watch:
            result = step()
        result["disturbed"] = watch.seen
        if not watch.seen:
            return result
        log(f"  a build ran during {what}: measuring it again" if attempt < 2 else
            f"  a build ran during {what} again: keeping this figure (marked disturbed)")
    return result


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def udp_counters():
    with open("/proc/net/snmp") as f:
        lines = [l.split() for l in f if l.startswith("Udp:")]
    return dict(zip(lines[0][1:], map(int, lines[1][1:])))


def udp_socket_drops(ranges):
    """Datagrams dropped on receive by the open UDP sockets whose local port is in each range."""
    totals = {name: 0 for name in ranges}
    with open("/proc/net/udp") as f:
        next(f)
        for line in f:
            fields = line.split()
            port = int(fields[1].split(":")[1], 16)
            for name, (lo, hi) in ranges.items():
                if lo <= port <= hi:
                    totals[name] += int(fields[-1])
    return totals


def thread_cpu(pid):
    """CPU seconds of the main thread (Switchboard's control plane) and of all the others."""
    ticks = os.sysconf("SC_CLK_TCK")
    main = others = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        t = int(fields[11]) + int(fields[12])
        if int(tid) == pid:
            main += t
        else:
            others += t
    return main / ticks, others / ticks


def cpu_by_thread_name(pid):
    """CPU seconds per thread name (sb-media, sb-store, sb-recordings; the main thread as
    "main"), to tell where the CPU beyond the control plane goes."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = "main" if int(tid) == pid else f.read().strip()
        except OSError:
            continue
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return out


class Sipp:
    """One SIPp process in the background; its final counts from -trace_stat, its CPU from wait4."""

    def __init__(self, tag, scenario, target, workdir, *extra, port=None, timeout=300):
        self.tag, self.workdir, self.timeout = tag, workdir, timeout
        self.stat = os.path.join(workdir, f"{tag}_stat.csv")
        self.errors = os.path.join(workdir, f"{tag}_errors.log")
        self.rundir = os.path.join(workdir, tag)
        os.makedirs(self.rundir, exist_ok=True)
        if TONE:  # rtp_stream reads its file from SIPp's working directory
            os.symlink(TONE, os.path.join(self.rundir, "tone.ulaw"))
        self.port = port or sip_load.free_udp_port()
        argv = ["sipp", "-sf", scenario, "-i", "127.0.0.1", "-p", str(self.port), "-nostdin",
                "-timeout", f"{timeout}s", "-timeout_error", "-buff_size", str(4 << 20),
                "-trace_stat", "-stf", self.stat, "-fd", "1", "-trace_err", "-error_file", self.errors,
                "-max_recv_loops", "10000", "-max_sched_loops", "10000", *extra]
        if target:
            argv.insert(3, target)
        self.argv = argv
        self.stderr = open(os.path.join(workdir, f"{tag}_stderr.log"), "w")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=self.stderr, cwd=self.rundir,
                                     start_new_session=True)
        self.cpu = None
        self.rc = None

    def alive(self):
        return self.proc.poll() is None

    def wait(self, timeout=None):
        """Waits for the exit (SIGUSR1 then SIGKILL after `timeout`); returns the exit code."""
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout + 30)
        while True:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                self.rc = os.waitstatus_to_exitcode(status)
                self.proc.returncode = self.rc
                self.cpu = usage.ru_utime + usage.ru_stime
                self.elapsed = time.monotonic() - self.started
                self.stderr.close()
                return self.rc
            if time.monotonic() > deadline:
                os.killpg(self.proc.pid, signal.SIGUSR1 if time.monotonic() < deadline + 5 else signal.SIGKILL)
            time.sleep(0.05)

    def stop(self):
        if self.rc is None:
            if self.alive():
                os.killpg(self.proc.pid, signal.SIGUSR1)
            self.wait(timeout=10)
        return self.rc

    def counts(self):
        """Final (successful, failed, outgoing/incoming calls) from the statistics file."""
        try:
            with open(self.stat) as f:
                rows = list(csv.reader(f, delimiter=";"))
        except FileNotFoundError:
            return 0, 0, 0
        if len(rows) < 2:
            return 0, 0, 0
        h, last = rows[0], rows[-1]
        made = int(last[h.index("OutgoingCall(C)")]) + int(last[h.index("IncomingCall(C)")])
        return int(last[h.index("SuccessfulCall(C)")]), int(last[h.index("FailedCall(C)")]), made

    def call_times(self):
        """(first, last) time a call got its 200, from -trace_rtt (Date_ms per call), in seconds."""
        files = glob.glob(os.path.join(self.rundir, "*_rtt.csv"))
        stamps, rtds = [], []
        for path in files:
            with open(path) as f:
                for row in csv.reader(f, delimiter=";"):
                    try:
                        stamps.append(float(row[0]) / 1000.0)
                        rtds.append(float(row[1]))
                    except (ValueError, IndexError):
                        continue
        return stamps, rtds

    def error_text(self, limit=2000):
        text = ""
        for path in (self.errors, self.stderr.name):
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    body = f.read()
                if body.strip():
                    text += f"--- {os.path.basename(path)} ---\n{body[:limit]}\n"
        return text


def switchboard_config(workdir, port, agents, media_timeout=None):
    lines = [
        "# written by bench/call_load.py",
        "routing:",
        "  reason_codes: [break]",
        "  missed: {penalty: 0s, auto_not_ready_after: 0}",
        "skills: [bench]",
        "queues:",
        "  bench: {skills: {bench: 1}, wrap_up: 0s, ring_timeout: 10s, overflow: hangup, max_wait: 5m}",
        "agents:",
    ]
    first = 1
    while first <= agents:  # templates hold at most 10,000 agents each
        count = min(10000, agents - first + 1)
        lines.append(f'  - {{name: "agent-{{n}}", first: {first}, count: {count}, skills: {{bench: 1}}}}')
        first += count
    prompts = os.path.join(os.path.dirname(os.path.abspath(ARGS.switchboard)), "prompts")
    lines += [
        f'inbound: [{{did: "{DID}", queue: bench}}]',
        f"prompts: {{dir: {prompts}, languages: [en]}}",
        f"store: {{path: {workdir}/data/sb.db, voicemail_dir: {workdir}/vm}}",
        "media:",
        "  address: 127.0.0.1",
        f"  rtp_port_min: {SB_RTP[0]}",
        f"  rtp_port_max: {SB_RTP[1]}",
        f"  recordings_dir: {workdir}/rec",
        "  threads: 1",
    ]
    if media_timeout:
        lines.append(f"  media_timeout: {media_timeout}")
    lines += [
        "sip:",
        f"  listen: [{{transport: udp, address: 127.0.0.1, port: {port}}}]",
        "  realm: bench",
        "  digest_algorithms: [MD5]",
        "  protection: {requests_per_second: 1000000, request_burst: 1000000}",
        "  accounts:",
    ]
    lines += [f'    - {{user: "agent-{n}", password: "pw{n}"}}' for n in range(1, agents + 1)]
    path = os.path.join(workdir, f"switchboard-{port}.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def start_switchboard(workdir, agents, media_timeout=None, log_level=None):
    port = sip_load.free_udp_port()
    config = switchboard_config(workdir, port, agents, media_timeout)
    argv = [os.path.abspath(ARGS.switchboard), "serve", "--config", config, "--log-level", log_level or ARGS.log_level]
    server = sip_load.Server(f"switchboard-{port}", argv, port, workdir)
    server.log_path = os.path.join(workdir, f"switchboard-{port}.log")
    return server.__enter__()


def start_kamailio(workdir, uas_port):
    port = sip_load.free_udp_port()
    with open(os.path.join(SCEN, "kamailio.cfg.in")) as f:
        cfg = f.read().replace("@PORT@", str(port)).replace("@UAS_PORT@", str(uas_port))
    path = os.path.join(workdir, f"kamailio-{port}.cfg")
    with open(path, "w") as f:
        f.write(cfg)
    kamailio = shutil.which("kamailio") or "/usr/sbin/kamailio"
    argv = [kamailio, "-f", path, "-DD", "-E", "-m", "512", "-M", "16",
            "-Y", workdir, "-P", os.path.join(workdir, f"kamailio-{port}.pid"), "-w", workdir]
    server = sip_load.Server(f"kamailio-{port}", argv, port, workdir)
    server.log_path = os.path.join(workdir, f"kamailio-{port}.log")
    return server.__enter__()


def server_log_tail(server, lines=30):
    try:
        with open(server.log_path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def login_agents(server, workdir, agents, uas_port):
    """Registers and logs in agent-1..agent-N (their Contact: the UAS at uas_port)."""
    csv_path = os.path.join(workdir, "agents.csv")
    with open(csv_path, "w") as f:
        f.write("SEQUENTIAL\n")
        for n in range(1, agents + 1):
            # SIPp takes a digest keyword from a CSV field (the scenario's [field1] line).
            f.write(f"agent-{n};[authentication username=agent-{n} password=pw{n}];{uas_port}\n")
    rate = str(ARGS.login_rate)
    for step in ("register", "login"):
        # SIPp's digest uri is remote_ip:remote_port unless -auth_uri says otherwise: the login
        # dials *1 alone (the agent named like the account), the same URI for every agent.
        auth_uri = ["-auth_uri", f"*1@127.0.0.1:{server.port}"] if step == "login" else []
        # Switchboard sends a phone's calls where its REGISTER came from (received/rport), so the
        # REGISTERs leave from the port the UAS binds afterwards.
        sipp = Sipp(f"agents_{step}_{server.port}", os.path.join(SCEN, f"agent_{step}.xml"),
                    f"127.0.0.1:{server.port}", workdir, *auth_uri, "-inf", csv_path, "-m", str(agents), "-r", rate,
                    "-l", str(max(2 * ARGS.login_rate, 10)), "-mp", str(UAS_MEDIA_PORT + 10),
                    port=uas_port if step == "register" else None, timeout=agents // ARGS.login_rate + 60)
        sipp.wait()
        ok, failed, _ = sipp.counts()
        if ok != agents or failed:
            raise RuntimeError(f"agent {step}: {ok} of {agents} ok, {failed} failed (sipp rc {sipp.rc})\n"
                               + sipp.error_text() + "--- server ---\n" + server_log_tail(server))
    time.sleep(1.0)


def run_calls(name, server, workdir, target, uas_port, rate, calls, talk_ms, caller_scenario, rtp=False,
              sample=None):
    """One step: the UAS at uas_port, the caller at `rate`; returns a dict of the step's figures."""
    tag = f"{name}_{rate}cps_{calls}_{int(time.monotonic() * 1000) % 100000}"
    ramp = calls / rate
    budget = int(ramp + talk_ms / 1000 + 60)
    uas_extra = ["-m", str(calls), "-trace_rtt", "-rtt_freq", "1"]
    if rtp:
        uas_extra += ["-rtp_echo", "-mp", str(UAS_MEDIA_PORT)]
    else:
        uas_extra += ["-mp", str(UAS_MEDIA_PORT)]
    uas = Sipp(f"{tag}_uas", os.path.join(SCEN, "agent_uas.xml"), None, workdir, *uas_extra, port=uas_port,
               timeout=budget + 30)
    time.sleep(0.5)
    if not uas.alive():
        uas.wait()
        raise RuntimeError(f"the UAS did not start on {uas_port}:\n" + uas.error_text())
    cpu0 = server.cpu()
    threads0 = thread_cpu(server.proc.pid) if name == "switchboard" else (0, 0)
    named0 = cpu_by_thread_name(server.proc.pid) if name == "switchboard" else {}
    udp0 = udp_counters()
    caller_extra = ["-s", DID, "-r", str(rate), "-m", str(calls), "-l", str(calls), "-d", str(talk_ms),
                    "-trace_rtt", "-rtt_freq", "1"]
    caller_extra += ["-mp", str(CALLER_RTP_BASE)] if rtp else ["-mp", str(UAS_MEDIA_PORT + 20)]
    caller = Sipp(f"{tag}_caller", caller_scenario, target, workdir, *caller_extra, timeout=budget)
    samples = sample(caller) if sample else None
    caller.wait()
    uas.wait(timeout=15)
    cpu = server.cpu() - cpu0
    threads1 = thread_cpu(server.proc.pid) if name == "switchboard" else (0, 0)
    named1 = cpu_by_thread_name(server.proc.pid) if name == "switchboard" else {}
    udp1 = udp_counters()
    ok, failed, made = caller.counts()
    uas_ok, uas_failed, uas_made = uas.counts()
    stamps, rtds = caller.call_times()
    achieved = 0.0
    if len(stamps) >= 2 and max(stamps) > min(stamps):
        achieved = (len(stamps) - 1) / (max(stamps) - min(stamps))
    rtds.sort()
    passed = (ok == calls and failed == 0 and uas_ok == calls and uas_failed == 0 and caller.rc == 0
              and server.proc.poll() is None)
    out = {
        "system": name, "rate": rate, "calls": calls, "ok": ok, "failed": failed, "uas_ok": uas_ok,
        "uas_failed": uas_failed, "achieved": achieved, "passed": passed, "cpu_s": cpu,
        "cpu_us": cpu / max(ok, 1) * 1e6, "caller_cpu": caller.cpu, "uas_cpu": uas.cpu,
        "main_us": (threads1[0] - threads0[0]) / max(ok, 1) * 1e6,
        "others_us": (threads1[1] - threads0[1]) / max(ok, 1) * 1e6,
        "by_thread_us": {k: (v - named0.get(k, 0.0)) / max(ok, 1) * 1e6 for k, v in sorted(named1.items())},
        "elapsed": caller.elapsed, "rc": caller.rc, "uas_rc": uas.rc,
        "setup_p50": rtds[len(rtds) // 2] if rtds else float("nan"),
        "setup_p99": rtds[min(len(rtds) - 1, int(len(rtds) * 0.99))] if rtds else float("nan"),
        "samples": samples,
        "errors": "" if passed else caller.error_text() + uas.error_text(),
    }
    if not passed:
        out["errors"] += f"--- {name} log (tail) ---\n" + server_log_tail(server)
    return out


def describe(r):
    threads = ""
    if r["system"] == "switchboard":
        named = ", ".join(f"{k} {v:.0f}" for k, v in r.get("by_thread_us", {}).items() if k != "main")
        threads = f" (main thread {r['main_us']:.0f}, others {r['others_us']:.0f}: {named})"
    verdict = ("PASS" if r["passed"] else "FAIL") + (" (a build ran meanwhile)" if r.get("disturbed") else "")
    return (f"  {r['system']:11s} {r['rate']:4d} cps x {r['calls']:5d}: {verdict}  "
            f"caller {r['ok']} ok / {r['failed']} failed, UAS {r['uas_ok']} ok / {r['uas_failed']} failed, "
            f"achieved {r['achieved']:.0f} cps, server {r['cpu_us']:.0f} µs CPU/call{threads}, "
            f"setup p50 {r['setup_p50']:.0f} ms p99 {r['setup_p99']:.0f} ms, "
            f"SIPp CPU caller {r['caller_cpu']:.1f} s UAS {r['uas_cpu']:.1f} s over {r['elapsed']:.1f} s")


def rate_search(workdir):
    """Step up the rates for both systems (interleaved); each stops at its first failed step."""
    rates = [int(r) for r in ARGS.rates.split(",")]
    peak = max(min(r * ARGS.talk, ARGS.max_calls) for r in rates)
    agents = peak + ARGS.spare_agents
    sb_uas_port = sip_load.free_udp_port()
    kam_uas_port = sip_load.free_udp_port()
    results = {"switchboard": [], "kamailio": []}
    wait_for_quiet_machine()
    log(f"switchboard: {agents} agents register and log in")
    sb = start_switchboard(workdir, agents)
    kam = None
    try:
        t0 = time.monotonic()
        login_agents(sb, workdir, agents, sb_uas_port)
        log(f"  {agents} agents logged in after {time.monotonic() - t0:.1f} s; RSS {rss_kib(sb.proc.pid)} KiB")
        kam = start_kamailio(workdir, kam_uas_port)
        time.sleep(2.0)  # the login prompts have played out
        for name, server in (("switchboard", sb), ("kamailio", kam)):
            def idle(server=server):
                c0 = server.cpu()
                time.sleep(5.0)
                return {"share": (server.cpu() - c0) / 5.0}
            results[f"{name}_idle"] = measured(idle, f"{name} idle")["share"]
        results["agents"] = agents
        log(f"  idle CPU: switchboard {results['switchboard_idle']:.1%} of a core with {agents} agents logged in, "
            f"kamailio {results['kamailio_idle']:.1%}")
        scenario = os.path.join(SCEN, "caller.xml")
        running = {"switchboard": True, "kamailio": True}
        for rate in rates:
            calls = min(rate * ARGS.talk, ARGS.max_calls)
            for name, server, uas_port in (("switchboard", sb, sb_uas_port), ("kamailio", kam, kam_uas_port)):
                if not running[name]:
                    continue
                r = measured(lambda: run_calls(name, server, workdir, f"127.0.0.1:{server.port}", uas_port, rate,
                                               calls, ARGS.talk * 1000, scenario), f"{name} {rate} cps")
                log(describe(r))
                if r["errors"]:
                    log(r["errors"][-6000:])
                results[name].append(r)
                # Stop at a failure, or once SIPp could not place calls at the asked rate.
                if not r["passed"] or r["achieved"] < 0.9 * rate:
                    running[name] = False
                time.sleep(2.0)
            if not any(running.values()):
                break
    finally:
        sb.__exit__(None, None, None)
        if kam:
            kam.__exit__(None, None, None)
    return results


def hold_test(workdir, calls):
    return measured(lambda: hold_once(workdir, calls), f"the hold of {calls} calls")


def hold_once(workdir, calls):
    """N calls with RTP both ways held up together; a fresh Switchboard with N agents."""
    ramp_rate = ARGS.hold_rate
    ramp = calls / ramp_rate
    talk_ms = int((ramp + ARGS.hold_seconds) * 1000)
    # Info level here (a few lines per call at 100 cps): a media timeout would say which leg fell silent.
    sb = start_switchboard(workdir, calls + ARGS.spare_agents, media_timeout="5s", log_level="info")
    uas_port = sip_load.free_udp_port()
    try:
        login_agents(sb, workdir, calls + ARGS.spare_agents, uas_port)
        time.sleep(2.0)  # the login prompts have played out
        idle = rss_kib(sb.proc.pid)
        pid = sb.proc.pid

        def sample(caller):
            # The plateau: all calls up, from the end of the ramp (+2 s) to the first hang-up.
            start = caller.started + ramp + 2.0
            end = caller.started + talk_ms / 1000.0 - 0.5
            rss, cpu, udp = [], [], []
            while time.monotonic() < start and caller.alive():
                time.sleep(0.1)
            c0, u0, t0 = sb.cpu(), udp_counters(), time.monotonic()
            while time.monotonic() < end and caller.alive():
                rss.append(rss_kib(pid))
                time.sleep(0.5)
            c1, u1, t1 = sb.cpu(), udp_counters(), time.monotonic()
            # Receive drops of the sockets still open, by owner (the calls are still up).
            drops = udp_socket_drops({"switchboard": SB_RTP, "caller": (CALLER_RTP_BASE, CALLER_RTP_BASE + 4 * calls + 100),
                                      "agent": (UAS_MEDIA_PORT, UAS_MEDIA_PORT + 3)})
            dt = max(t1 - t0, 1e-6)
            return {"rss": rss, "cpu_share": (c1 - c0) / dt, "udp_pps": (u1["OutDatagrams"] - u0["OutDatagrams"]) / dt,
                    "drops": drops, "seconds": dt}

        r = run_calls("switchboard", sb, workdir, f"127.0.0.1:{sb.port}", uas_port, ramp_rate, calls, talk_ms,
                      os.path.join(SCEN, "caller_rtp.xml"), rtp=True, sample=sample)
        s = r["samples"] or {"rss": [], "cpu_share": 0, "udp_pps": 0, "drops": {}, "seconds": 0}
        peak = max(s["rss"]) if s["rss"] else idle
        r.update(idle_rss=idle, peak_rss=peak, kib_per_call=(peak - idle) / calls, cpu_share=s["cpu_share"],
                 udp_pps=s["udp_pps"], drops=s["drops"], plateau_s=s["seconds"], expected_pps=calls * 50 * 4)
        return r
    finally:
        sb.__exit__(None, None, None)


def write_tone(path, seconds=2):
    """A 400 Hz tone, 8 kHz mu-law (G.711 PCMU) bytes, for SIPp's rtp_stream."""
    def ulaw(sample):
        bias, clip = 0x84, 32635
        sign = 0x80 if sample < 0 else 0
        sample = min(abs(sample), clip) + bias
        exponent = 7
        while exponent > 0 and not sample & (0x4000 >> (7 - exponent)):
            exponent -= 1
        mantissa = (sample >> (exponent + 3)) & 0x0F
        return ~(sign | (exponent << 4) | mantissa) & 0xFF
    data = bytes(ulaw(int(8000 * math.sin(2 * math.pi * 400 * n / 8000))) for n in range(8000 * seconds))
    with open(path, "wb") as f:
        f.write(data)


def best(rows):
    passing = [r for r in rows if r["passed"]]
    return max(passing, key=lambda r: r["achieved"]) if passing else None


def report(rates, holds):
    md = ARGS.markdown
    sb, kam = best(rates["switchboard"]), best(rates["kamailio"])
    print()
    if rates["switchboard"] or rates["kamailio"]:
        print(f"Inbound calls DID -> queue -> agent, {ARGS.talk} s talk, at most {ARGS.max_calls} calls per step "
              f"({rates.get('agents', 0)} agents logged in):")
        if md:
            print("| system | step: cps asked x calls | result | achieved cps | failed (caller / UAS) "
                  "| server CPU µs/call | setup p50 / p99 (ms) | SIPp CPU s caller / UAS, wall s |")
            print("|---|---|---|---:|---:|---:|---:|---:|")
        for name in ("switchboard", "kamailio"):
            for r in rates[name]:
                cpu = f"{r['cpu_us']:,.0f}"
                if name == "switchboard":
                    cpu += f" ({r['main_us']:,.0f} main thread)"
                if md:
                    verdict = ("pass" if r["passed"] else "**FAIL**") + (" (build ran)" if r.get("disturbed") else "")
                    print(f"| {name} | {r['rate']} x {r['calls']} | {verdict} | "
                          f"{r['achieved']:,.0f} | {r['failed']} / {r['uas_failed']} | {cpu} | "
                          f"{r['setup_p50']:.0f} / {r['setup_p99']:.0f} | {r['caller_cpu']:.1f} / {r['uas_cpu']:.1f}, "
                          f"{r['elapsed']:.1f} |")
                else:
                    print(describe(r))
        print()
        ratio = sb["achieved"] / kam["achieved"] if sb and kam and kam["achieved"] else float("nan")
        fmt = lambda r: f"{r['achieved']:,.0f} cps ({r['rate']} asked)" if r else "none"
        print(f"highest rate with 0 failed calls: Switchboard {fmt(sb)}, Kamailio {fmt(kam)}; "
              f"ratio {ratio:.2f}x (floor 0.5x)")
        both = [(a, b) for a in rates["switchboard"] for b in rates["kamailio"]
                if a["rate"] == b["rate"] and a["passed"] and b["passed"]]
        if both:
            a, b = both[-1]
            print(f"server CPU per call at the highest step both passed ({a['rate']} cps asked): Switchboard "
                  f"{a['cpu_us']:,.0f} µs ({a['main_us']:,.0f} main thread, {a['others_us']:,.0f} other threads), "
                  f"Kamailio {b['cpu_us']:,.0f} µs: {a['cpu_us'] / max(b['cpu_us'], 1e-9):.2f}x")
        if "switchboard_idle" in rates:
            print(f"idle CPU before the steps: Switchboard {rates['switchboard_idle']:.1%} of a core, "
                  f"Kamailio {rates['kamailio_idle']:.1%}")
    else:
        ratio = float("nan")
    if holds:
        print()
        print(f"Concurrent calls with G.711 RTP both ways (Switchboard relays; fresh server per step, "
              f"plateau {ARGS.hold_seconds:.0f} s):")
        if md:
            print("| calls up together | result | failed (caller / UAS) | RSS idle → plateau (MiB) | memory per call "
                  "| Switchboard CPU (cores) | UDP datagrams sent/s (expected) "
                  "| receive drops: Switchboard / agent (echo) / caller sockets |")
            print("|---:|---|---:|---:|---:|---:|---:|---:|")
        for h in holds:
            d = h.get("drops", {})
            verdict = ("pass" if h["passed"] else "**FAIL**") + (" (build ran)" if h.get("disturbed") else "")
            line = (f"{h['calls']:,} | {verdict} | {h['failed']} / {h['uas_failed']} | "
                    f"{h['idle_rss'] / 1024:.1f} → {h['peak_rss'] / 1024:.1f} | {h['kib_per_call']:.1f} KiB | "
                    f"{h['cpu_share']:.2f} | {h['udp_pps']:,.0f} ({h['expected_pps']:,}) | "
                    f"{d.get('switchboard', 0):,} / {d.get('agent', 0):,} / {d.get('caller', 0):,} |")
            print(("| " + line) if md else ("  " + line.replace(" |", ";")))
    ok = (not rates["switchboard"] or (sb is not None and kam is not None and ratio >= 0.5)) and \
        all(h["passed"] for h in holds)
    return 0 if ok else 1


def main():
    global ARGS
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--switchboard", default=os.path.join(ROOT, "build", "switchboard"))
    p.add_argument("--rates", default="50,100,200,400,800,1600,3200,6400",
                   help="call rates to step through (cps); empty: skip")
    p.add_argument("--talk", type=int, default=10, help="seconds each call talks")
    p.add_argument("--max-calls", type=int, default=4000,
                   help="calls per rate step at most (Switchboard holds 4 sockets per call: fd limit)")
    p.add_argument("--spare-agents", type=int, default=100)
    p.add_argument("--hold", default="200,500,1000", help="concurrent calls with RTP to hold (empty: skip)")
    p.add_argument("--hold-seconds", type=float, default=10.0, help="how long all calls are up together")
    p.add_argument("--hold-rate", type=int, default=100, help="cps at which the held calls are placed")
    p.add_argument("--login-rate", type=int, default=200, help="agent registrations/logins per second")
    p.add_argument("--log-level", default="warn")
    p.add_argument("--markdown", action="store_true")
    p.add_argument("--keep", action="store_true", help="keep the work directory (logs, SIPp files)")
    ARGS = p.parse_args()
    for tool in ("sipp",):
        if not shutil.which(tool):
            sys.exit("sipp not found: run scripts/install-deps.sh")
    if not (shutil.which("kamailio") or os.path.exists("/usr/sbin/kamailio")):
        sys.exit("kamailio not found: run scripts/install-deps.sh")
    if not os.path.isdir(os.path.join(os.path.dirname(os.path.abspath(ARGS.switchboard)), "prompts", "en")):
        sys.exit("no prompts next to the switchboard binary: build the 'prompts' target")
    workdir = tempfile.mkdtemp(prefix="sb-callload-")
    write_tone(os.path.join(workdir, "tone.ulaw"))
    global TONE
    TONE = os.path.join(workdir, "tone.ulaw")
    holds = []
    try:
        rates = rate_search(workdir) if ARGS.rates else {"switchboard": [], "kamailio": []}
        for n in [int(x) for x in ARGS.hold.split(",") if x]:
            log(f"hold {n} calls with RTP")
            h = hold_test(workdir, n)
            log(describe(h) + f"; RSS {h['idle_rss']} → {h['peak_rss']} KiB, {h['kib_per_call']:.1f} KiB/call, "
                f"{h['udp_pps']:,.0f} UDP datagrams/s on loopback (expected {h['expected_pps']:,})")
            if h["errors"]:
                log(h["errors"][-6000:])
            holds.append(h)
            if not h["passed"]:
                break
        rc = report(rates, holds)
    finally:
        if ARGS.keep:
            log(f"work directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return rc


ARGS = None
TONE = None

if __name__ == "__main__":
    sys.exit(main())
