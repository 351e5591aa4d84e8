#!/usr/bin/env python3
"""Media relay capacity on loopback: Switchboard's relay, rtpengine and a minimal C loop, same run.

Each relay runs pinned to core 1 (`taskset -c 1`), the load generator bench/media/rtp_load to
core 0. A call is two G.711 streams (20 ms, 172-byte RTP packets), one each way, relayed
between the two legs of the call with symmetric latching. For every relay:

  capacity  the number of calls is stepped up (--steps); the largest step with loss < 0.1 %
            is reported, as streams per core (2 per call). Stepping stops at the first failing
            step (retried --retries times), or when the generator itself falls behind (then the
            figure is a lower bound: "generator-bound"), or when the steps run out. The
            generator does the same kernel work per packet as a minimal relay (a send and a
            receive), so on two cores it cannot outrun c_relay: for fast relays the capacity is
            generator-bound, and "streams per core from CPU share" (calls at the largest passing
            step / relay CPU share there) is the comparable figure; it is rough, since the cost
            per packet falls as the load rises.
  CPU       relay CPU time per relayed packet at a common load (--cpu-calls), from the kernel's
            per-thread run time (/proc/PID/task/*/schedstat, all threads; utime+stime from
            /proc/PID/stat is in --json). --cpu-repeats samples per relay, taken interleaved
            across the relays; the least counts. On loopback a sendto() also runs the
            receiver's UDP input in the sender's context, so every relay pays the same kernel
            costs, which dominate.
  memory    (VmRSS after the load at N calls - VmRSS idle) / N, at the largest passing step;
            kernel socket buffers are not in RSS. Idle: rtpengine before any call, the pair
            relays started with one pair.

Other work on the two cores disturbs all of this; the report says how much there was. --rt runs
relays and generator SCHED_FIFO (chrt -f 50) so that such work only gets their idle time.

Relays:
  ours       <build-dir>/bench/media_relay_server --pairs N --port-base P (prints READY; call i
             has legs on P+4i and P+4i+2); skipped with a message when the binary is missing
  rtpengine  /usr/bin/rtpengine, userspace forwarding (--table=-1), one worker thread; calls
             set up with offer/answer over the ng control protocol
  c_relay    <build-dir>/bench/c_relay (bench/media/c_relay.c): one thread, epoll,
             recvfrom/sendto per packet; the anchor for CPU per packet

    bench/media_relay.py --build-dir build [--rt] [--duration 5] [--steps 250,500,...] [--markdown]
"""
import argparse
import json
import os
import random
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

RELAY_CORE = "1"
GEN_CORE = "0"
LOSS_LIMIT = 0.001
DEFAULT_STEPS = "250,500,1000,1500,2000,3000,4000"
# Ports. Pair relays: a block P..P+4N (call i: P+4i, P+4i+2) at or above RELAY_PORT_BASE, the
# generator on ephemeral ports. rtpengine: it allocates from RELAY_PORT_BASE up, and the
# generator binds a block L..L+4N below it (call i: caller L+4i, callee L+4i+2), as its SDP says.
# Blocks are picked where /proc/net/udp shows nothing bound; a step that still meets a taken
# port (the machine is shared) is retried with fresh blocks.
GEN_LOCAL_BASE = 1100
RELAY_PORT_BASE = 17200

LIVE = []  # processes to kill on the way out
PRIO = []  # ["chrt", "-f", "50"] with --rt


# ---------------------------------------------------------------- process helpers

def start(argv, log_path, core):
    log = open(log_path, "w")
    proc = subprocess.Popen(PRIO + ["taskset", "-c", core] + argv, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    log.close()
    LIVE.append(proc)
    return proc


def stop(proc, timeout=5.0):
    if proc is None or proc.poll() is not None:
        if proc in LIVE:
            LIVE.remove(proc)
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=5)
    if proc in LIVE:
        LIVE.remove(proc)


def stop_all():
    for proc in list(LIVE):
        stop(proc, timeout=2.0)


def wait_ready(proc, log_path, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        with open(log_path, errors="replace") as f:
            if "READY" in f.read():
                return True
        time.sleep(0.02)
    return False


def tail(path, n=600):
    try:
        with open(path, errors="replace") as f:
            return f.read()[-n:].strip()
    except OSError:
        return ""


def cpu_seconds(pid):
    """(run time of all threads from schedstat, utime+stime from stat), in seconds."""
    run_ns = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    run_ns += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # whole process: all threads, live and exited
    except (OSError, IndexError, ValueError):
        return None
    return run_ns / 1e9, ticks / os.sysconf("SC_CLK_TCK")


def core_busy_seconds():
    """{core: busy seconds} from /proc/stat (everything but idle and iowait)."""
    out = {}
    hz = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith("cpu") and line[3].isdigit():
                name, *vals = line.split()
                vals = [int(v) for v in vals[:8]]
                out[name[3:]] = (sum(vals) - vals[3] - vals[4]) / hz
    return out


def udp_drops(pid):
    """Packets dropped at the process's UDP sockets' full receive queues (/proc/net/udp)."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
        total = 0
        with open("/proc/net/udp") as f:
            next(f)
            for line in f:
                cols = line.split()
                if len(cols) >= 13 and cols[9] in inodes:
                    total += int(cols[-1])
        return total
    except OSError:
        return None


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


# ---------------------------------------------------------------- bencode / ng protocol

def bencode(v):
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, (bytes, bytearray)):
        return b"%d:%s" % (len(v), bytes(v))
    if isinstance(v, (list, tuple)):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, x) for k, x in v.items())
        return b"d" + b"".join(bencode(k) + bencode(x) for k, x in items) + b"e"
    raise TypeError(f"cannot bencode {type(v)}")


def bdecode(data):
    def parse(i):
        c = data[i:i + 1]
        if c == b"i":
            end = data.index(b"e", i)
            return int(data[i + 1:end]), end + 1
        if c == b"l":
            out, i = [], i + 1
            while data[i:i + 1] != b"e":
                x, i = parse(i)
                out.append(x)
            return out, i + 1
        if c == b"d":
            out, i = {}, i + 1
            while data[i:i + 1] != b"e":
                k, i = parse(i)
                out[k.decode(errors="replace")], i = parse(i)
            return out, i + 1
        if c.isdigit():
            colon = data.index(b":", i)
            n = int(data[i:colon])
            return data[colon + 1:colon + 1 + n], colon + 1 + n
        raise ValueError(f"bad bencode at {i}")
    value, end = parse(0)
    return value


class NgClient:
    """rtpengine ng control protocol over UDP: "<cookie> <bencoded dict>", pipelined."""

    def __init__(self, port):
        self.addr = ("127.0.0.1", port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.prefix = "%08x" % random.getrandbits(32)
        self.seq = 0

    def close(self):
        self.sock.close()

    def requests(self, msgs, window=64, timeout=3.0, retries=3, budget=120.0):
        """Send the dicts (at most `window` outstanding); returns the decoded replies in order."""
        replies = [None] * len(msgs)
        pending = {}  # cookie -> [index, payload, sent_at, tries]
        nxt = 0
        deadline = time.monotonic() + budget
        while (nxt < len(msgs) or pending) and time.monotonic() < deadline:
            while nxt < len(msgs) and len(pending) < window:
                self.seq += 1
                cookie = f"{self.prefix}_{self.seq}"
                payload = cookie.encode() + b" " + bencode(msgs[nxt])
                self.sock.sendto(payload, self.addr)
                pending[cookie] = [nxt, payload, time.monotonic(), 1]
                nxt += 1
            ready, _, _ = select.select([self.sock], [], [], 0.05)
            if ready:
                for _ in range(window):
                    try:
                        data = self.sock.recv(65536)
                    except BlockingIOError:
                        break
                    cookie, _, body = data.partition(b" ")
                    entry = pending.pop(cookie.decode(errors="replace"), None)
                    if entry is not None:
                        replies[entry[0]] = bdecode(body)
            now = time.monotonic()
            for cookie, entry in list(pending.items()):
                if now - entry[2] > timeout:
                    if entry[3] > retries:
                        raise RuntimeError(f"rtpengine ng: no reply to request {entry[0]}")
                    self.sock.sendto(entry[1], self.addr)
                    entry[2], entry[3] = now, entry[3] + 1
        if nxt < len(msgs) or pending:
            raise RuntimeError("rtpengine ng: requests did not finish in time")
        return replies


def sdp(port, session):
    return ("v=0\r\n"
            f"o=- {session} 1 IN IP4 127.0.0.1\r\n"
            "s=bench\r\n"
            "c=IN IP4 127.0.0.1\r\n"
            "t=0 0\r\n"
            f"m=audio {port} RTP/AVP 0\r\n"
            "a=rtpmap:0 PCMU/8000\r\n"
            "a=ptime:20\r\n"
            "a=sendrecv\r\n")


def sdp_audio_port(reply, what):
    if not isinstance(reply, dict) or reply.get("result") != b"ok":
        raise RuntimeError(f"rtpengine {what} failed: {reply!r}"[:400])
    m = re.search(rb"^m=audio (\d+) ", reply.get("sdp", b""), re.M)
    if not m:
        raise RuntimeError(f"rtpengine {what}: no m=audio in reply SDP")
    return int(m.group(1))


# ---------------------------------------------------------------- relays under test

class PairRelay:
    """c_relay and our relay: --pairs N --port-base P, READY on stdout, one process per step."""

    def __init__(self, name, argv, workdir):
        self.name, self.argv, self.workdir = name, argv, workdir
        self.proc = None
        self.idle_rss = None

    def idle(self):
        """VmRSS of the relay with one call pair, nothing flowing: the per-call baseline."""
        if self.idle_rss is None:
            self.setup(1)
            time.sleep(0.2)
            self.idle_rss = rss_kib(self.proc.pid)
            self.teardown()
        return self.idle_rss

    def setup(self, calls):
        log = os.path.join(self.workdir, f"{self.name}-{calls}.log")
        base = free_block(4 * calls, RELAY_PORT_BASE, 65000)
        self.proc = start(self.argv + ["--pairs", str(calls), "--port-base", str(base)], log, RELAY_CORE)
        if not wait_ready(self.proc, log):
            self.teardown()
            raise RuntimeError(f"{self.name} did not print READY: {tail(log)}")
        return ["--relay-ports", str(base), "--local-base", "0"]

    def prepare(self):
        self.idle()

    def baseline_rss(self):
        return self.idle_rss

    def teardown(self):
        stop(self.proc)


class Rtpengine:
    """rtpengine 10.5 in userspace (--table=-1), fresh process per step; idle RSS per step."""

    def __init__(self, binary, workdir, max_calls):
        self.binary, self.workdir = binary, workdir
        self.port_max = min(65000, RELAY_PORT_BASE + max(2000, 6 * max_calls))
        self.proc = self.ng = None
        self.idle_rss = None
        self.call_ids = []

    def setup(self, calls):
        ng_port = free_udp_port()
        log = os.path.join(self.workdir, f"rtpengine-{calls}.log")
        argv = [self.binary, "--config-file=none", "--foreground", "--log-stderr", "--log-level=4",
                "--interface=127.0.0.1", f"--listen-ng=127.0.0.1:{ng_port}",
                f"--port-min={RELAY_PORT_BASE}", f"--port-max={self.port_max}",
                "--num-threads=1", "--table=-1", "--delete-delay=0", "--timeout=60"]
        self.proc = start(argv, log, RELAY_CORE)
        self.ng = NgClient(ng_port)
        deadline = time.monotonic() + 15
        while True:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.teardown()
                raise RuntimeError(f"rtpengine did not answer ng ping: {tail(log)}")
            try:
                if self.ng.requests([{"command": "ping"}], timeout=0.3, retries=0, budget=1)[0].get("result") == b"pong":
                    break
            except RuntimeError:
                pass
        time.sleep(0.1)
        self.idle_rss = rss_kib(self.proc.pid)
        local = free_block(4 * calls, GEN_LOCAL_BASE, RELAY_PORT_BASE)
        tag = "%06x" % random.getrandbits(24)
        self.call_ids = [f"sb-bench-{tag}-{i}" for i in range(calls)]
        offers = [{"command": "offer", "call-id": cid, "from-tag": f"caller-{i}",
                   "sdp": sdp(local + 4 * i, 1000 + i), "ICE": "remove"}
                  for i, cid in enumerate(self.call_ids)]
        callee_targets = [sdp_audio_port(r, "offer") for r in self.ng.requests(offers)]
        answers = [{"command": "answer", "call-id": cid, "from-tag": f"caller-{i}", "to-tag": f"callee-{i}",
                    "sdp": sdp(local + 4 * i + 2, 5000 + i), "ICE": "remove"}
                   for i, cid in enumerate(self.call_ids)]
        caller_targets = [sdp_audio_port(r, "answer") for r in self.ng.requests(answers)]
        path = os.path.join(self.workdir, f"rtpengine-targets-{calls}.txt")
        with open(path, "w") as f:
            for a, b in zip(caller_targets, callee_targets):
                f.write(f"{a} {b}\n")
        return ["--targets", path, "--local-base", str(local)]

    def prepare(self):
        pass

    def baseline_rss(self):
        return self.idle_rss

    def teardown(self):
        try:
            if self.ng and self.proc and self.proc.poll() is None and self.call_ids:
                self.ng.requests([{"command": "delete", "call-id": cid, "from-tag": f"caller-{i}"}
                                  for i, cid in enumerate(self.call_ids)], timeout=1.0, retries=1, budget=30)
        except (RuntimeError, OSError) as e:
            print(f"  rtpengine: deleting calls: {e}", file=sys.stderr)
        finally:
            self.call_ids = []
            if self.ng:
                self.ng.close()
                self.ng = None
            stop(self.proc)


def free_block(size, lo, hi):
    """The lowest even port P >= lo with nothing bound on UDP P..P+size-1, P+size <= hi."""
    used = set()
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    used.add(int(line.split()[1].rsplit(":", 1)[1], 16))
        except (OSError, IndexError, ValueError):
            pass
    base = lo + (lo & 1)
    while base + size <= hi:
        clash = [p for p in range(base, base + size) if p in used]
        if not clash:
            return base
        base = clash[-1] + 1 + ((clash[-1] + 1) & 1)
    raise RuntimeError(f"no {size} free UDP ports between {lo} and {hi}")


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- measurement

def run_step(relay, calls, args, rtp_load):
    """One load at `calls` calls through a fresh relay; returns a result dict."""
    relay.prepare()
    try:
        target_args = relay.setup(calls)
    except BaseException:
        relay.teardown()
        raise
    try:
        pid = relay.proc.pid
        cpu0, t0, busy0 = cpu_seconds(pid), time.monotonic(), core_busy_seconds()
        argv = PRIO + ["taskset", "-c", GEN_CORE, rtp_load, "--calls", str(calls), "--duration", str(args.duration),
                ] + target_args
        limit = args.duration + 30
        try:
            done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=limit)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"rtp_load did not finish within {limit:.0f} s")
        cpu1, t1, busy1 = cpu_seconds(pid), time.monotonic(), core_busy_seconds()
        rss, relay_drops = rss_kib(pid), udp_drops(pid)
        if relay.proc.poll() is not None or cpu0 is None or cpu1 is None:
            raise RuntimeError(f"{args.current} exited during the load (rc {relay.proc.poll()})")
        if done.returncode != 0:
            raise RuntimeError(f"rtp_load failed (rc {done.returncode}): {done.stderr.decode(errors='replace')[-400:]}")
        try:
            res = json.loads(done.stdout.decode().strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise RuntimeError(f"rtp_load printed no JSON: {done.stdout.decode(errors='replace')[-200:]!r}")
        base = relay.baseline_rss()
    finally:
        relay.teardown()
    relayed = max(res["received_total"], 1)
    wall = max(t1 - t0, 1e-9)
    # Other work on the two cores (other processes, interrupts) disturbs the figures: say how much.
    res["other_load_core0"] = max(0.0, (busy1[GEN_CORE] - busy0[GEN_CORE] - res["gen_cpu_s"]) / wall)
    res["other_load_core1"] = max(0.0, (busy1[RELAY_CORE] - busy0[RELAY_CORE] - (cpu1[1] - cpu0[1])) / wall)
    res.update({
        "relay_cpu_s": cpu1[0] - cpu0[0],
        "relay_cpu_ticks_s": cpu1[1] - cpu0[1],
        "relay_cpu_fraction": (cpu1[0] - cpu0[0]) / max(t1 - t0, 1e-9),
        "cpu_us_per_packet": (cpu1[0] - cpu0[0]) / relayed * 1e6,
        "cpu_us_per_packet_ticks": (cpu1[1] - cpu0[1]) / relayed * 1e6,
        "relay_rx_drops": relay_drops,
        "rss_kib": rss, "rss_idle_kib": base,
        "mem_per_call_kib": (rss - base) / calls if rss is not None and base is not None else None,
    })
    # The generator is the limit when it fell more than 50 ms behind its schedule (then it did
    # not offer the nominal rate), ran out of core 0, or dropped packets itself. Sends a few ms
    # late (late_sends: > 2 ms) only make the load burstier. A busy core 0 makes it late too:
    # see other_load_core0.
    res["generator_bound"] = (res["max_send_lag_ms"] > 50 or res["gen_cpu_fraction"] > 0.9
                              or res["gen_rx_drops"] > LOSS_LIMIT * res["sent"])
    res["slow"] = bool(args.max_p99_ms) and res["transit_p99_us"] > args.max_p99_ms * 1000
    res["pass"] = (res["loss_fraction"] < LOSS_LIMIT and res["misrouted"] == 0 and res["send_errors"] == 0
                   and not res["slow"])
    return res


def describe(name, calls, r):
    return (f"  {name:9s} {calls:5d} calls  loss {r['loss_fraction'] * 100:7.3f} %  "
            f"relay CPU {r['relay_cpu_fraction'] * 100:5.1f} %  {r['cpu_us_per_packet']:5.2f} µs/pkt  "
            f"RSS {r['rss_kib'] or 0:7d} KiB  transit p99 {r['transit_p99_us']:.0f} µs  "
            f"gen CPU {r['gen_cpu_fraction'] * 100:4.0f} % late {r['late_sends']} (max {r['max_send_lag_ms']:.0f} ms)  "
            f"drops relay/gen {r['relay_rx_drops']}/{r['gen_rx_drops']}  "
            f"other load core0/1 {r['other_load_core0'] * 100:.0f}/{r['other_load_core1'] * 100:.0f} %"
            + ("  [generator-bound]" if r["generator_bound"] else "") + ("" if r["pass"] else "  FAIL"))


def measure_relay(name, relay, args, rtp_load, steps, deadline):
    """Capacity stepping for one relay; the step at --cpu-calls is the first CPU sample."""
    out = {"name": name, "relay": relay, "steps": {}, "cpu_samples": [], "max_calls": 0, "relay_failed": False,
           "limit": "last step passed", "error": None, "deadline": deadline}
    try:
        for calls in steps:
            r = run_counted(out, calls, args, rtp_load)
            if not r["pass"]:
                why = f"loss {r['loss_fraction'] * 100:.2f} %"
                if r["slow"]:
                    why += f", p99 transit {r['transit_p99_us'] / 1000:.0f} ms"
                if r["misrouted"] or r["send_errors"]:
                    why += f", {r['misrouted']} misrouted, {r['send_errors']} send errors"
                out["limit"] = f"{why} at {calls:,}" + (" (generator behind too)" if r["generator_bound"] else "")
                out["relay_failed"] = True
                break
            if r["generator_bound"]:
                # It offered less than the nominal load: this step proves nothing.
                out["limit"] = f"generator-bound at {calls:,}"
                break
            out["max_calls"] = calls
        if args.cpu_calls not in out["steps"]:
            run_counted(out, args.cpu_calls, args, rtp_load)
    except RuntimeError as e:
        out["error"] = str(e)
        if out["limit"] == "last step passed":
            out["limit"] = "stopped by an error"
        print(f"  {name}: {e}", file=sys.stderr)
    return out


def run_counted(out, calls, args, rtp_load, retries=None):
    """run_step with retries of a failing step, bounded by the relay's time budget."""
    last = None
    for attempt in range(1 + (args.retries if retries is None else retries)):
        if time.monotonic() > out["deadline"]:
            raise RuntimeError("time budget (--max-seconds) exhausted")
        args.current = out["name"]
        for clash in range(3):
            try:
                last = run_step(out["relay"], calls, args, rtp_load)
                break
            except RuntimeError as e:
                if "in use" not in str(e) or clash == 2:
                    raise
                print(f"  {out['name']}: {e}; retrying with other ports", file=sys.stderr)
        if not args.quiet:
            print(describe(out["name"], calls, last) + (f"  (retry {attempt})" if attempt else ""), file=sys.stderr)
        if last["pass"]:
            break
    out["steps"][calls] = last
    if calls == args.cpu_calls:
        out["cpu_samples"].append(last)
    return last


def summarize(out, args):
    """Fold the samples into the reported figures."""
    samples = [r for r in out["cpu_samples"] if r["pass"]] or out["cpu_samples"]
    cpu = min(samples, key=lambda r: r["cpu_us_per_packet"]) if samples else None
    out["cpu_us_per_packet"] = cpu["cpu_us_per_packet"] if cpu else None
    out["cpu_us_samples"] = [round(r["cpu_us_per_packet"], 3) for r in out["cpu_samples"]]
    out["cpu_transit_p99_us"] = cpu["transit_p99_us"] if cpu else None
    best = out["steps"].get(out["max_calls"])
    out["mem_per_call_kib"] = best["mem_per_call_kib"] if best else None
    out["mem_calls"] = out["max_calls"] if best else None
    # Capacity is a lower bound when the relay never lost packets: the generator or the steps ran out.
    out["bound"] = not out["relay_failed"]
    # Calls per full core, extrapolated from the relay's CPU share at the largest passing step.
    out["calls_per_core_cpu"] = (best["calls"] / best["relay_cpu_fraction"]
                                 if best and best["relay_cpu_fraction"] > 0.05 else None)
    out.pop("relay", None)
    out.pop("deadline", None)
    return out


# ---------------------------------------------------------------- report

def ratio(a, b):
    return a / b if a and b else None


def fmt(v, spec, none="n/a"):
    return none if v is None else format(v, spec)


def report(results, args):
    by = {r["name"]: r for r in results if not r.get("skipped")}
    ours, rte, c = by.get("ours"), by.get("rtpengine"), by.get("c_relay")

    def streams(r):
        return 2 * r["max_calls"] if r and r["max_calls"] else None

    def cap(r):
        s = streams(r)
        return "n/a" if s is None else ("≥ " if r["bound"] else "") + f"{s:,}"

    def transit(us):
        if us is None:
            return "n/a"
        return "≥ 2 s" if us >= 2e6 else f"{us / 1000:.1f} ms" if us >= 1000 else f"{us:.0f} µs"

    def extrapolated(r):
        return 2 * r["calls_per_core_cpu"] if r and r.get("calls_per_core_cpu") else None

    crit = "loss < 0.1 %" + (f", p99 ≤ {args.max_p99_ms:g} ms" if args.max_p99_ms else "")
    head = ["relay", f"G.711 streams per core, {crit}", "limited by", "p99 transit there",
            "streams per core from CPU share",
            f"relay CPU µs per packet @ {args.cpu_calls} calls", "× C loop", "memory per call",
            f"p99 transit @ {args.cpu_calls} calls"]
    rows = []
    for r in results:
        if r.get("skipped"):
            rows.append([r["name"], "skipped: " + r["skipped"]] + [""] * (len(head) - 2))
            continue
        vs_c = ratio(r["cpu_us_per_packet"], c and c["cpu_us_per_packet"])
        mem = (f"{r['mem_per_call_kib']:.1f} KiB @ {r['mem_calls']:,}" if r["mem_per_call_kib"] is not None else "n/a")
        limit = r["limit"] + (f"; error: {' '.join(r['error'].split())}" if r["error"] else "")
        samples = "/".join(f"{x:.2f}" for x in r["cpu_us_samples"])
        best = r["steps"].get(r["max_calls"])
        rows.append([r["name"], cap(r), limit, transit(best and best["transit_p99_us"]), fmt(extrapolated(r), ",.0f"),
                     fmt(r["cpu_us_per_packet"], ".2f") + (f" ({samples})" if len(r["cpu_us_samples"]) > 1 else ""),
                     fmt(vs_c, ".2f"), mem, transit(r["cpu_transit_p99_us"])])
    lines = []
    if args.markdown:
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|---|---:|---|---:|---:|---:|---:|---:|---:|")
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    else:
        widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
        lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths)))
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in rows]

    notes = []
    s_ratio = ratio(streams(ours), streams(rte))
    if s_ratio:
        qual = ""
        if ours["bound"] and rte["bound"]:
            qual = " (inconclusive: neither lost packets within the steps)"
        elif ours["bound"]:
            qual = " (a lower bound: ours did not lose packets within the steps)"
        elif rte["bound"]:
            qual = " (an upper bound: rtpengine did not lose packets within the steps)"
        notes.append(f"ours/rtpengine streams per core: {s_ratio:.2f}{qual}")
    x_ratio = ratio(extrapolated(ours), extrapolated(rte))
    if x_ratio:
        notes.append(f"ours/rtpengine streams per core from CPU share: {x_ratio:.2f}")
    c_ratio = ratio(ours and ours["cpu_us_per_packet"], c and c["cpu_us_per_packet"])
    if c_ratio:
        notes.append(f"ours/c_relay CPU per packet: {c_ratio:.2f}")
    if not ours:
        notes.append("ours not measured: no ratios for it")
    steps = [st for r in by.values() for st in r["steps"].values()]
    if steps:
        o0 = max(st["other_load_core0"] for st in steps)
        o1 = max(st["other_load_core1"] for st in steps)
        if max(o0, o1) > 0.05:
            how = ("they ran SCHED_FIFO, so that work only took idle time, but it shares caches"
                   if PRIO else "rerun on a quiet machine or with --rt")
            notes.append(f"caveat: other work used up to {o0 * 100:.0f} % of core 0 (generator) and "
                         f"{o1 * 100:.0f} % of core 1 (relay) during some steps; {how}")
    lines.append("")
    lines += [("- " if args.markdown else "") + n for n in notes]
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build-dir", default=os.path.join(ROOT, "build"),
                   help="holds bench/rtp_load, bench/c_relay and bench/media_relay_server")
    p.add_argument("--duration", type=float, default=5.0, help="measured seconds per step (after 1 s warm-up)")
    p.add_argument("--steps", default=DEFAULT_STEPS, help="calls per step, ascending")
    p.add_argument("--cpu-calls", type=int, default=500, help="the common load for CPU per packet")
    p.add_argument("--only", choices=["ours", "rtpengine", "c_relay"], action="append",
                   help="measure only this relay (repeatable)")
    p.add_argument("--cpu-repeats", type=int, default=2,
                   help="samples of CPU per packet at --cpu-calls per relay (interleaved; the least counts)")
    p.add_argument("--max-p99-ms", type=float, default=0,
                   help="also fail a step whose p99 transit exceeds this (default: loss only)")
    p.add_argument("--retries", type=int, default=1, help="re-runs of a failing step before it counts")
    p.add_argument("--ours-cmd", help="command line of our relay (default <build-dir>/bench/media_relay_server)")
    p.add_argument("--rtpengine", default=shutil.which("rtpengine") or "/usr/bin/rtpengine")
    p.add_argument("--max-seconds", type=float, default=240, help="time budget per relay")
    p.add_argument("--rt", action="store_true",
                   help="run relay and generator SCHED_FIFO (chrt -f 50), shielding them from other work "
                        "on the cores; needs root or CAP_SYS_NICE (else ignored with a warning)")
    p.add_argument("--logs", help="keep the relays' logs and rtpengine's targets files in this directory")
    p.add_argument("--markdown", action="store_true")
    p.add_argument("--json", action="store_true", help="print every step's raw figures as JSON")
    p.add_argument("--quiet", action="store_true", help="no per-step lines on stderr")
    args = p.parse_args()
    steps = sorted({int(s) for s in args.steps.split(",") if s.strip()})
    if not steps or steps[0] <= 0 or args.duration <= 0:
        sys.exit("--steps and --duration must be positive")
    max_calls = max(steps + [args.cpu_calls])
    if GEN_LOCAL_BASE + 4 * max_calls > RELAY_PORT_BASE or RELAY_PORT_BASE + 4 * max_calls > 65000:
        sys.exit(f"at most {(RELAY_PORT_BASE - GEN_LOCAL_BASE) // 4} calls per step (port layout)")
    if not shutil.which("taskset"):
        sys.exit("taskset not found (util-linux)")
    if args.rt:
        if shutil.which("chrt") and subprocess.run(["chrt", "-f", "50", "true"],
                                                   stderr=subprocess.DEVNULL).returncode == 0:
            PRIO[:] = ["chrt", "-f", "50"]
        else:
            print("--rt: chrt -f 50 is not permitted here (needs root or CAP_SYS_NICE); "
                  "running at normal priority", file=sys.stderr)
    if os.cpu_count() < 2:
        sys.exit("needs two cores: relay on core 1, generator on core 0")
    bench_dir = os.path.join(args.build_dir, "bench")
    rtp_load = os.path.join(bench_dir, "rtp_load")
    if not os.access(rtp_load, os.X_OK):
        sys.exit(f"{rtp_load} not found: build the bench targets (SB_BUILD_BENCH=ON)")
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = 4 * max_calls + 256
        if soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    except (ValueError, OSError):
        pass

    selected = args.only or ["ours", "rtpengine", "c_relay"]
    results = []
    started = time.monotonic()

    def on_signal(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        with tempfile.TemporaryDirectory(prefix="sb-mediarelay-") as tmp:
            workdir = args.logs or tmp
            os.makedirs(workdir, exist_ok=True)
            for name in ("ours", "rtpengine", "c_relay"):
                if name not in selected:
                    continue
                if name == "ours":
                    argv = args.ours_cmd.split() if args.ours_cmd else [os.path.join(bench_dir, "media_relay_server")]
                    if not os.access(argv[0], os.X_OK):
                        msg = f"{argv[0]} not built"
                        print(f"ours: skipped, {msg}", file=sys.stderr)
                        results.append({"name": name, "skipped": msg})
                        continue
                    relay = PairRelay(name, argv, workdir)
                elif name == "c_relay":
                    binary = os.path.join(bench_dir, "c_relay")
                    if not os.access(binary, os.X_OK):
                        results.append({"name": name, "skipped": f"{binary} not built"})
                        continue
                    relay = PairRelay(name, [binary], workdir)
                else:
                    if not os.access(args.rtpengine, os.X_OK):
                        msg = f"{args.rtpengine} not found (apt-get install rtpengine-daemon)"
                        print(f"rtpengine: skipped, {msg}", file=sys.stderr)
                        results.append({"name": name, "skipped": msg})
                        continue
                    relay = Rtpengine(args.rtpengine, workdir, max_calls)
                results.append(measure_relay(name, relay, args, rtp_load, steps,
                                             time.monotonic() + args.max_seconds))
            # More CPU samples at the common load, relays interleaved so that a change in the
            # background load hits all of them alike; the smallest sample counts.
            for _ in range(max(0, args.cpu_repeats - 1)):
                for out in results:
                    if out.get("skipped") or out["error"]:
                        continue
                    out["deadline"] = time.monotonic() + 60
                    try:
                        run_counted(out, args.cpu_calls, args, rtp_load, retries=0)
                    except RuntimeError as e:
                        print(f"  {out['name']}: {e}", file=sys.stderr)
            for out in results:
                if not out.get("skipped"):
                    summarize(out, args)
    except KeyboardInterrupt:
        stop_all()
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        stop_all()
    if args.json:
        print(json.dumps(results, indent=1, default=str))
    print(report(results, args))
    print(f"(total {time.monotonic() - started:.0f} s)", file=sys.stderr)
    measured = [r for r in results if not r.get("skipped")]
    return 1 if any(r["error"] for r in measured) or not measured else 0


if __name__ == "__main__":
    sys.exit(main())
