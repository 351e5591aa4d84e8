#!/usr/bin/env python3
"""Checks that every project #include under src/ follows the module arrows.

    scripts/check_includes.py SRC_DIR     check the tree (exit 1 and one line per violation)
    scripts/check_includes.py --self-test prove on a fake tree that a wrong-way include fails

Every .h and .cc under SRC_DIR is read, tests included (*_test.cc, *_fuzz.cc, *_bench.cc and
the test helpers *test_support.h and .cc, test_*.h). Each `#include "x/y.h"` is mapped to a module (the
first folder under src/) and, inside sip/ and media/, to a layer or part; an include that is
not an allowed arrow is reported as

    src/call/foo.cc:12: call/ may not include store/store.h (call may depend on: ...)

<...> includes (std and third-party) are not checked. A quoted include whose first folder is
not a folder of src/ is taken as third-party too. ctest runs this as Arch.IncludeArrows and
the self-test as Arch.IncludeArrowsSelfTest (tests/CMakeLists.txt). Python standard library
only.
"""
import os
import re
import subprocess
import sys
import tempfile

# The module table mirrors DESIGN.md, "Modules and the direction of dependencies": module ->
# the modules it may include. common/ is allowed for everyone and is not repeated. Where the
# table and the code disagreed and the code was right, the entry says why.
MODULES = {
    "common": set(),
    "net": set(),
    "events": set(),
    "sip": {"net"},
    "media": set(),
    "acd": set(),  # no I/O, no threads, no SIP
    "ivr": set(),  # talks to the outside through the commands it returns
    # net: DESIGN.md's net/ row ("the event loop ... shared by sip/, call/, api/"); sb_call
    # links sb_net and posts to the loop.
    "call": {"sip", "media", "acd", "ivr", "events", "net"},
    "store": {"events"},
    "reporting": {"events"},
    "sim": {"acd", "events", "reporting"},
    # net: as for call/ (DESIGN.md's net/ row names api/).
    "api": {"call", "acd", "store", "reporting", "events", "net"},
    "dialer": {"acd", "call", "store"},
    "channels": {"acd", "store", "events"},
    "app": None,  # main and the Server wire everything: may include anything
}

# The layers of sip/ (docs/architecture.md, "src/sip/ layers" and the link lines): layer ->
# the layers it links. Allowed includes are these and what they link in turn (the link lines
# are PUBLIC). A layer is a folder, except the message model "sip" = library sb_sip: the
# folder's root files, parse/, protection/ and the pure parts of transport/ listed in
# SIP_MODEL_IN_TRANSPORT. "net" marks the layers that may use the loop (net/).
SIP_LAYERS = {
    "sip": set(),
    "sip/transport": {"sip", "net"},  # UDP, TCP/TLS, WebSocket on the loop
    "sip/transaction": {"sip"},
    "sip/dialog": {"sip"},
    "sip/auth": {"sip"},
    "sip/registrar": {"sip/auth", "sip"},
    "sip/client": {"sip/transaction", "sip/auth", "sip/dialog", "sip"},
    # Invite sessions. Pure like the layers under them: transport/peer.h (message model) yes,
    # the sockets of sb_sip_transport no. client/: sends INVITEs through the UAC core
    # (stack_port.h uses client/uac.h and request_spec.h; sb_sip_session_layer links it).
    "sip/session": {"sip/client", "sip/dialog", "sip/transaction", "sip"},
    # The assembled stack: everything below it, and it implements session/stack_port.h.
    "sip/stack": {"sip/transport", "sip/transaction", "sip/dialog", "sip/registrar",
                  "sip/client", "sip/session", "sip/auth", "sip", "net"},
}
# Files in sip/transport/ that belong to sb_sip (src/sip/CMakeLists.txt), by name without
# extension: every layer may use them.
SIP_MODEL_IN_TRANSPORT = {"peer", "response_route", "raw_error_response"}
SIP_MODEL_FOLDERS = {"parse", "protection"}

# media/: the parts (rtp/, codec/, sdp/, ...) may include each other and media/frame.h, but
# engine/ (the only part with sockets and threads) is included by no other part.
MEDIA_ENGINE = "media/engine"

# Test targets that link more than their folder's library (their LIBS in CMakeLists.txt):
# file -> extra units it may include.
TEST_TARGET_LINKS = {
    # sip_header_fuzz: LIBS sb_sip sb_sip_auth sb_sip_registrar sb_sip_dialog sb_sip_transport
    "sip/sip_header_fuzz.cc": {"sip/auth", "sip/registrar", "sip/dialog", "sip/transport"},
}

# Wrong-way includes that exist today: (a file, or a folder ending in "/") -> the header it may
# still include, with what must change. An entry that no longer matches anything fails the
# check, so the list only shrinks.
EXCEPTIONS = {
}

TEST_FILE = re.compile(r"(_test\.cc|_fuzz\.cc|_bench\.cc|test_support\.h|test_support\.cc|/test_[^/]*\.h)$")
TEST_HELPER = re.compile(r"(test_support\.h|/test_[^/]*\.h)$")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def unit_of(path):
    """The module, sip layer or media part that a path under src/ belongs to."""
    parts = path.split("/")
    module = parts[0]
    if module == "sip":
        if len(parts) == 2 or parts[1] in SIP_MODEL_FOLDERS:
            return "sip"
        if parts[1] == "transport" and os.path.splitext(parts[-1])[0] in SIP_MODEL_IN_TRANSPORT:
            return "sip"
        return "sip/" + parts[1]
    if module == "media":
        return "media" if len(parts) == 2 else "media/" + parts[1]
    return module


def sip_closure(layer):
    seen, todo = set(), [layer]
    while todo:
        for dep in SIP_LAYERS.get(todo.pop(), ()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


def allowed_text(unit):
    module = unit.split("/")[0]
    if unit in SIP_LAYERS:
        deps = sip_closure(unit) | {"common"}
        return f"{unit} may depend on: {', '.join(sorted(deps))}"
    if module == "media":
        return f"{unit} may depend on: common, media/frame.h, media parts other than engine"
    return f"{module} may depend on: {', '.join(sorted(MODULES[module] | {'common'}))}"


def problem(src, header, src_dir):
    """None when `src` (a path under src/) may include `header`, else what is wrong."""
    module, target = src.split("/")[0], header.split("/")[0]
    if target not in MODULES:
        if os.path.isdir(os.path.join(src_dir, target)):
            return f"{target}/ is not in the module table of scripts/check_includes.py"
        return None  # a quoted third-party header
    if module not in MODULES:
        return f"{module}/ is not in the module table of scripts/check_includes.py"
    is_test = bool(TEST_FILE.search("/" + src))
    if TEST_HELPER.search("/" + header) and not is_test:
        return f"{module}/ may not include {header} (test helpers are for tests)"
    if target == "common" or MODULES[module] is None:
        return None
    if is_test and target == module and TEST_HELPER.search("/" + header):
        return None  # a test may use its own module's test helpers
    src_unit, dst_unit = unit_of(src), unit_of(header)
    extra = TEST_TARGET_LINKS.get(src, set())
    if module == "sip" and src_unit not in SIP_LAYERS:
        return f"{src_unit}/ is not a layer in SIP_LAYERS of scripts/check_includes.py"
    if target == module:
        if module == "sip":
            if dst_unit not in SIP_LAYERS:
                return f"{dst_unit}/ is not a layer in SIP_LAYERS of scripts/check_includes.py"
            ok = dst_unit == src_unit or dst_unit in sip_closure(src_unit) or dst_unit in extra
        elif module == "media":
            ok = dst_unit != MEDIA_ENGINE or src_unit == MEDIA_ENGINE
        else:
            ok = True
    else:
        ok = target in MODULES[module]
        if ok and module == "sip":
            ok = target in sip_closure(src_unit)  # net/: only the layers marked "net"
    if ok:
        return None
    return f"{src_unit}/ may not include {header} ({allowed_text(src_unit)})"


def exception_for(src, header, exceptions):
    for (where, allowed_header) in exceptions:
        if header == allowed_header and (src == where or (where.endswith("/") and src.startswith(where))):
            return (where, allowed_header)
    return None


def check(src_dir, exceptions):
    """Returns (violation lines, unused exceptions, files read, includes checked)."""
    src_dir = os.path.normpath(src_dir)
    shown = os.path.basename(src_dir)
    violations, used, files, includes = [], set(), 0, 0
    for root, dirs, names in os.walk(src_dir):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith((".h", ".cc")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src_dir).replace(os.sep, "/")
            if "/" not in rel:
                continue  # nothing lives directly in src/
            files += 1
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if not m or "/" not in m.group(1):
                        continue
                    header = m.group(1)
                    includes += 1
                    what = problem(rel, header, src_dir)
                    if what is None:
                        continue
                    known = exception_for(rel, header, exceptions)
                    if known:
                        used.add(known)
                        continue
                    violations.append(f"{shown}/{rel}:{number}: {what}")
    unused = [key for key in exceptions if key not in used]
    return violations, unused, files, includes


def run(src_dir):
    if not os.path.isdir(src_dir):
        print(f"check_includes: {src_dir} is not a directory", file=sys.stderr)
        return 2
    violations, unused, files, includes = check(src_dir, EXCEPTIONS)
    for line in violations:
        print(line)
    for where, header in unused:
        print(f"scripts/check_includes.py: the exception ({where!r}, {header!r}) matches no include "
              "any more: remove it here and from docs/architecture.md")
    if violations or unused:
        if violations:
            print(f"{len(violations)} include(s) against the module arrows: see the tables at the top of "
                  "scripts/check_includes.py (DESIGN.md, docs/architecture.md)")
        return 1
    print(f"check_includes: {files} files, {includes} project includes follow the arrows "
          f"({len(EXCEPTIONS)} known exception(s))")
    return 0


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def self_test():
    """The check must fail on a wrong-way include, and pass when it is gone."""
    failures = []

    def expect(name, cond):
        if not cond:
            failures.append(name)

    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        for header in ("common/clock.h", "store/store.h", "acd/router.h", "sip/message.h",
                       "sip/transport/peer.h", "sip/stack/sip_stack.h", "media/frame.h",
                       "media/engine/endpoint.h", "media/rtp/rtp_packet.h",
                       "sip/dialog/dialog_test_support.h"):
            write(src, header, "#pragma once\n")
        # The exceptions in force are used by the fake tree too, so none is reported unused.
        for where, header in EXCEPTIONS:
            write(src, header, "#pragma once\n")
            write(src, where + "excused.cc" if where.endswith("/") else where, f'#include "{header}"\n')
        clean = '#include <vector>\n#include "common/clock.h"\n#include "acd/router.h"\n'
        write(src, "call/foo.cc", clean)
        write(src, "sip/transaction/transaction_layer.cc",
              '#include "sip/message.h"\n#include "sip/transport/peer.h"\n')
        write(src, "sip/session/session_test_support.h", '#include "sip/dialog/dialog_test_support.h"\n')
        write(src, "media/rtp/rtp_fuzz.cc", '#include "media/frame.h"\n')

        script = os.path.abspath(__file__)

        def cli():
            return subprocess.run([sys.executable, script, src], capture_output=True, text=True)

        r = cli()
        expect(f"a clean tree passes (exit {r.returncode}: {r.stdout.strip()})", r.returncode == 0)

        write(src, "call/foo.cc", clean + '#include "store/store.h"\n')
        r = cli()
        lines = [l for l in r.stdout.splitlines() if l.startswith("src/")]
        expect(f"call/ including store/store.h fails (exit {r.returncode})", r.returncode == 1)
        wanted = "src/call/foo.cc:4: call/ may not include store/store.h (call may depend on:"
        expect(f"one line names it: {lines}", len(lines) == 1 and lines[0].startswith(wanted))
        write(src, "call/foo.cc", clean)

        # The finer rules, in process: (what, including file, header, must it fail?).
        cases = [
            ("transaction/ may not include stack/", "sip/transaction/x.cc", "sip/stack/sip_stack.h", True),
            ("the message model may not include transaction/", "sip/message.cc", "sip/transaction/t.h", True),
            ("transaction/ may use transport/peer.h", "sip/transaction/x.cc", "sip/transport/peer.h", False),
            ("transaction/ may not use the sockets", "sip/transaction/x.cc", "sip/transport/udp.h", True),
            ("dialog/ may not use net/", "sip/dialog/x.h", "net/event_loop.h", True),
            ("transport/ may use net/", "sip/transport/x.h", "net/event_loop.h", False),
            ("stack/ may use net/ (through transport/)", "sip/stack/x.cc", "net/event_loop.h", False),
            ("session/ may not include stack/", "sip/session/x.h", "sip/stack/sip_stack.h", True),
            ("registrar/ may use auth/", "sip/registrar/x.h", "sip/auth/digest.h", False),
            ("an unknown sip layer is reported", "sip/newlayer/x.h", "sip/message.h", True),
            ("media/rtp may not include engine/", "media/rtp/x.cc", "media/engine/endpoint.h", True),
            ("media/engine may include rtp/", "media/engine/x.cc", "media/rtp/rtp_packet.h", False),
            ("acd/ may not include sip/", "acd/router.cc", "sip/message.h", True),
            ("app/ may include anything", "app/main.cc", "store/store.h", False),
            ("sim/ may include reporting/", "sim/x.cc", "reporting/erlang.h", False),
            ("a test may use its module's test helpers",
             "sip/transaction/x_test.cc", "sip/dialog/dialog_test_support.h", False),
            ("library code may not use test helpers",
             "sip/session/x.cc", "sip/dialog/dialog_test_support.h", True),
            ("third-party quoted includes are not checked", "acd/x.cc", "fmt/format.h", False),
        ]
        for what, rel, header, fails in cases:
            expect(what, bool(problem(rel, header, src)) == fails)

        # An exception that matches nothing fails the check.
        stale = {("call/", "store/gone.h"): "TODO"}
        _, unused, _, _ = check(src, stale)
        expect("an unused exception is reported", unused == [("call/", "store/gone.h")])

    for name in failures:
        print(f"self-test FAILED: {name}")
    if failures:
        return 1
    print("check_includes self-test: a wrong-way include fails the check, a clean tree passes")
    return 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    if len(argv) != 1 or argv[0].startswith("-"):
        print("usage: check_includes.py SRC_DIR | --self-test", file=sys.stderr)
        return 2
    return run(argv[0])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
