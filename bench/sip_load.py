#!/usr/bin/env python3
"""SIPp load against `switchboard serve` and Kamailio, in the same run, on loopback.

Two loads, each a bounded number of transactions sent by one SIPp instance as fast as the
server answers (at most --window outstanding):
  options   stateless OPTIONS answers
  register  unauthenticated REGISTERs, each for a new address-of-record
Kamailio runs with one UDP worker (bench/kamailio/kamailio.cfg.in); Switchboard runs its one
control-plane thread. Both get a fresh process per load. Printed: transactions/s, failed
transactions, server CPU per transaction, and the Switchboard/Kamailio ratio.

    bench/sip_load.py --switchboard build/switchboard [--calls 50000] [--markdown]
"""
import argparse
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCENARIOS = {
    "options": os.path.join(ROOT, "tests", "sipp", "options.xml"),
    "register": os.path.join(ROOT, "tests", "sipp", "register_noauth.xml"),
}


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_udp_listening(port, timeout=10.0):
    """True once something answers an OPTIONS on 127.0.0.1:port."""
    probe = (f"OPTIONS sip:probe@127.0.0.1:{port} SIP/2.0\r\n"
             "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKprobe;rport\r\n"
             "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:probe@127.0.0.1>\r\n"
             "Call-ID: probe\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode()
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        s.settimeout(0.2)
        while time.monotonic() < deadline:
            s.sendto(probe, ("127.0.0.1", port))
            try:
                s.recvfrom(65536)
                return True
            except socket.timeout:
                continue
    return False


def process_cpu_seconds(pids):
    """utime + stime of the processes (and their threads), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total / ticks


def group_pids(pgid):
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == pgid:
                    pids.append(int(entry))
            except ProcessLookupError:
                pass
    return pids


class Server:
    def __init__(self, name, argv, port, workdir):
        self.name, self.argv, self.port, self.workdir = name, argv, port, workdir
        self.proc = None

    def __enter__(self):
        log = open(os.path.join(self.workdir, f"{self.name}.log"), "w")
        self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True, cwd=self.workdir)
        if not wait_udp_listening(self.port):
            self.__exit__(None, None, None)
            raise RuntimeError(f"{self.name} did not answer on 127.0.0.1:{self.port}; see {log.name}")
        return self

    def cpu(self):
        return process_cpu_seconds(group_pids(self.proc.pid))

    def __exit__(self, *exc):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def kamailio_server(workdir, port):
    with open(os.path.join(HERE, "kamailio", "kamailio.cfg.in")) as f:
        cfg = f.read().replace("@PORT@", str(port))
    path = os.path.join(workdir, f"kamailio-{port}.cfg")
    with open(path, "w") as f:
        f.write(cfg)
    kamailio = shutil.which("kamailio") or "/usr/sbin/kamailio"
    argv = [kamailio, "-f", path, "-DD", "-E", "-m", "256", "-M", "16",
            "-Y", workdir, "-P", os.path.join(workdir, f"kamailio-{port}.pid"), "-w", workdir]
    return Server("kamailio", argv, port, workdir)


def switchboard_server(binary, workdir, port):
    path = os.path.join(workdir, f"switchboard-{port}.yaml")
    with open(path, "w") as f:
        f.write("# written by bench/sip_load.py\n"
                "sip:\n"
                f"  listen: [{{transport: udp, address: 127.0.0.1, port: {port}}}]\n"
                "  require_auth: false\n"
                "  registration: {max_contacts: 1}\n"
                "  protection: {requests_per_second: 1000000, request_burst: 1000000}\n")
    argv = [os.path.abspath(binary), "serve", "--config", path, "--log-level", "warn"]
    return Server("switchboard", argv, port, workdir)


def run_sipp(scenario, port, calls, window, workdir, tag):
    stat = os.path.join(workdir, f"{tag}_stat.csv")
    local_port = free_udp_port()
    argv = ["sipp", "-sf", scenario, f"127.0.0.1:{port}", "-i", "127.0.0.1", "-p", str(local_port),
            "-m", str(calls), "-r", "1000000", "-l", str(window), "-nostdin", "-timeout", "300s",
            "-timeout_error", "-buff_size", str(4 << 20), "-trace_stat", "-stf", stat, "-fd", "3600", "-s", "bench"]
    start = time.monotonic()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=workdir, timeout=330)
    elapsed = time.monotonic() - start
    ok = failed = 0
    with open(stat) as f:
        rows = list(csv.reader(f, delimiter=";"))
    header, last = rows[0], rows[-1]
    ok = int(last[header.index("SuccessfulCall(C)")])
    failed = int(last[header.index("FailedCall(C)")])
    return ok, failed, elapsed, done.returncode, done.stderr.decode(errors="replace")[-500:]


def measure(server, scenario, calls, window, workdir):
    with server:
        cpu0 = server.cpu()
        ok, failed, elapsed, rc, err = run_sipp(scenario, server.port, calls, window, workdir,
                                                f"{server.name}_{os.path.basename(scenario)}")
        cpu = server.cpu() - cpu0
    return {"ok": ok, "failed": failed, "elapsed": elapsed, "rate": ok / elapsed if elapsed else 0,
            "cpu_us": cpu / max(ok, 1) * 1e6, "rc": rc, "stderr": err}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--switchboard", default=os.path.join(ROOT, "build", "switchboard"))
    p.add_argument("--calls", type=int, default=50000, help="transactions per load and server")
    p.add_argument("--window", type=int, default=200, help="outstanding transactions at most")
    p.add_argument("--loads", default="options,register")
    p.add_argument("--markdown", action="store_true")
    args = p.parse_args()
    if not shutil.which("sipp"):
        sys.exit("sipp not found: run scripts/install-deps.sh")
    results = []
    with tempfile.TemporaryDirectory(prefix="sb-sipload-") as workdir:
        for load in args.loads.split(","):
            row = {"load": load}
            for name in ("switchboard", "kamailio"):
                port = free_udp_port()
                server = (switchboard_server(args.switchboard, workdir, port) if name == "switchboard"
                          else kamailio_server(workdir, port))
                row[name] = measure(server, SCENARIOS[load], args.calls, args.window, workdir)
            results.append(row)
    failed_any = False
    if args.markdown:
        print("| load | Switchboard tx/s | Kamailio tx/s | ratio | failed (SB / Kam) | server CPU µs/tx (SB / Kam) |")
        print("|---|---:|---:|---:|---:|---:|")
    for row in results:
        sb, kam = row["switchboard"], row["kamailio"]
        ratio = sb["rate"] / kam["rate"] if kam["rate"] else float("nan")
        failed_any |= sb["failed"] > 0 or kam["failed"] > 0 or sb["ok"] < args.calls
        if args.markdown:
            print(f"| {row['load']} | {sb['rate']:,.0f} | {kam['rate']:,.0f} | {ratio:.2f}x | "
                  f"{sb['failed']} / {kam['failed']} | {sb['cpu_us']:.1f} / {kam['cpu_us']:.1f} |")
        else:
            print(f"{row['load']:9s} switchboard {sb['rate']:9,.0f} tx/s ({sb['ok']} ok, {sb['failed']} failed, "
                  f"{sb['cpu_us']:.1f} µs CPU/tx)   kamailio {kam['rate']:9,.0f} tx/s ({kam['ok']} ok, "
                  f"{kam['failed']} failed, {kam['cpu_us']:.1f} µs CPU/tx)   ratio {ratio:.2f}x")
        for name in ("switchboard", "kamailio"):
            if row[name]["rc"] not in (0,) and row[name]["failed"]:
                print(f"  {name} sipp rc={row[name]['rc']}: {row[name]['stderr']}", file=sys.stderr)
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main())
