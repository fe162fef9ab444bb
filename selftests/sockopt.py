#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Socket-API details of IPPROTO_ALTTCP that existing applications rely on:
socket options with Linux's numbers and bounds, TCP_INFO, the queue ioctls,
receive flags and timeouts, bind/connect port rules, shutdown() of a
listener, a read into memory that faults, threads racing in accept(),
IP-level options and the IP headers they make, IP_MINTTL, TCP_INQ, rmem
and the window scale.
Prints TAP; run by sockopt.sh inside a fresh network namespace, over
loopback."""

import ctypes
import errno
import fcntl
import json
import mmap
import os
import select
import socket
import struct
import subprocess
import sys
import threading
import time

ALTTCP = 253
SYSCTL = "/proc/sys/net/alttcp/"
SIOCINQ, SIOCOUTQ = 0x541B, 0x5411
TCP_SYNCNT, TCP_LINGER2, TCP_INFO, TCP_USER_TIMEOUT = 7, 8, 11, 18
TCP_CONGESTION, TCP_INQ = 13, 36
IP_MTU_DISCOVER, IP_PMTUDISC_DONT, IP_FREEBIND = 10, 0, 15
IP_BIND_ADDRESS_NO_PORT, IP_RECVERR, IP_MINTTL = 24, 11, 21
ETH_P_IP = 0x0800

count = 0
failed = 0


def check(desc, ok, detail=""):
    global count, failed
    count += 1
    if ok:
        print(f"ok {count} {desc}")
    else:
        failed += 1
        print(f"not ok {count} {desc}")
        if detail:
            print(f"#   {detail}")


def check_eq(desc, actual, expected):
    check(desc, actual == expected, f"expected {expected!r}, got {actual!r}")


def check_errno(desc, err, fn, *args):
    try:
        fn(*args)
    except OSError as e:
        check_eq(desc, errno.errorcode.get(e.errno), errno.errorcode[err])
        return
    check(desc, False, "no error")


def outcome(fn, *args):
    """"ok" or the errno's name: a failure to report, not to raise."""
    try:
        fn(*args)
    except OSError as e:
        return errno.errorcode.get(e.errno)
    return "ok"


def sysctl(name, value):
    with open(SYSCTL + name, "w") as f:
        f.write(str(value))


def stream(proto=ALTTCP):
    return socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)


def pair(port, proto=ALTTCP):
    """A listener, and a connected client and server on loopback.

    Blocking sockets: Python's settimeout() would make them nonblocking
    and poll itself, hiding SO_RCVTIMEO, MSG_DONTWAIT and connect()'s
    own answers."""
    lsk = stream(proto)
    lsk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsk.bind(("127.0.0.1", port))
    lsk.listen(8)
    cli = stream(proto)
    cli.connect(("127.0.0.1", port))
    srv, _ = lsk.accept()
    return lsk, cli, srv


def tcp_info_raw(sk):
    return sk.getsockopt(socket.IPPROTO_TCP, TCP_INFO, 232)


def tcp_info(sk):
    raw = tcp_info_raw(sk)
    state, = struct.unpack_from("B", raw, 0)
    rto, = struct.unpack_from("I", raw, 8)
    snd_mss, = struct.unpack_from("I", raw, 16)
    bytes_acked, = struct.unpack_from("Q", raw, 120)
    return state, rto, snd_mss, bytes_acked, len(raw)


def test_identity():
    s = stream()
    check_eq("SO_PROTOCOL is IPPROTO_ALTTCP",
             s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL), ALTTCP)
    check_eq("SO_TYPE is SOCK_STREAM",
             s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_STREAM)
    check_eq("SO_DOMAIN is AF_INET",
             s.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN), socket.AF_INET)
    s.close()


def test_options():
    s = stream()
    tcp = socket.IPPROTO_TCP
    for name, opt, value in (("TCP_NODELAY", socket.TCP_NODELAY, 1),
                             ("TCP_CORK", socket.TCP_CORK, 1),
                             ("TCP_KEEPIDLE", socket.TCP_KEEPIDLE, 600),
                             ("TCP_KEEPINTVL", socket.TCP_KEEPINTVL, 30),
                             ("TCP_KEEPCNT", socket.TCP_KEEPCNT, 4),
                             ("TCP_SYNCNT", TCP_SYNCNT, 2),
                             ("TCP_LINGER2", TCP_LINGER2, 10),
                             ("TCP_USER_TIMEOUT", TCP_USER_TIMEOUT, 5000),
                             ("TCP_MAXSEG", socket.TCP_MAXSEG, 1000)):
        s.setsockopt(tcp, opt, value)
        check_eq(f"{name} set and read back", s.getsockopt(tcp, opt), value)
    check_eq("TCP_KEEPIDLE defaults to keepalive_time",
             stream().getsockopt(tcp, socket.TCP_KEEPIDLE), 7200)
    for name, opt, bad in (("TCP_KEEPIDLE", socket.TCP_KEEPIDLE, 0),
                           ("TCP_KEEPCNT", socket.TCP_KEEPCNT, 128),
                           ("TCP_SYNCNT", TCP_SYNCNT, 128),
                           ("TCP_USER_TIMEOUT", TCP_USER_TIMEOUT, -1),
                           ("TCP_MAXSEG", socket.TCP_MAXSEG, 10)):
        check_errno(f"{name} {bad} is EINVAL", errno.EINVAL,
                    s.setsockopt, tcp, opt, bad)
    check_errno("an unsupported SOL_TCP option is ENOPROTOOPT",
                errno.ENOPROTOOPT, s.setsockopt, tcp, TCP_CONGESTION, b"reno")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    check_eq("SO_KEEPALIVE set",
             s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE), 1)
    s.close()


def test_connected(port):
    lsk, cli, srv = pair(port)
    check_eq("getpeername of the client", cli.getpeername(), ("127.0.0.1", port))
    check_eq("server's peer is the client", srv.getpeername(), cli.getsockname())
    state, rto, mss, _, size = tcp_info(cli)
    check_eq("TCP_INFO state ESTABLISHED", state, 1)
    check("TCP_INFO rto and mss", rto > 0 and mss > 0, f"rto {rto} mss {mss}")

    cli.sendall(b"x" * 1000)
    deadline = time.time() + 5
    inq = 0
    while time.time() < deadline:
        inq = struct.unpack("i", fcntl.ioctl(srv, SIOCINQ, b"\0" * 4))[0]
        if inq == 1000:
            break
        time.sleep(0.01)
    check_eq("SIOCINQ counts unread bytes", inq, 1000)
    check_eq("MSG_PEEK leaves the data", srv.recv(10, socket.MSG_PEEK), b"x" * 10)
    check_eq("MSG_WAITALL gets exactly what was asked",
             len(srv.recv(1000, socket.MSG_WAITALL)), 1000)
    check_errno("MSG_DONTWAIT on an empty queue is EAGAIN", errno.EAGAIN,
                srv.recv, 10, socket.MSG_DONTWAIT)
    outq = -1
    deadline = time.time() + 5
    while time.time() < deadline:
        outq = struct.unpack("i", fcntl.ioctl(cli, SIOCOUTQ, b"\0" * 4))[0]
        if outq == 0:
            break
        time.sleep(0.01)
    check_eq("SIOCOUTQ drains once acked", outq, 0)
    check("TCP_INFO bytes_acked", tcp_info(cli)[3] >= 1000)

    srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, struct.pack("ll", 0, 200000))
    start = time.time()
    check_errno("SO_RCVTIMEO expires with EAGAIN", errno.EAGAIN, srv.recv, 10)
    took = time.time() - start
    check("SO_RCVTIMEO waited about 200 ms", 0.15 < took < 2, f"{took:.3f} s")
    check_errno("listen() on a connected socket is EINVAL", errno.EINVAL,
                cli.listen, 1)
    check_errno("connect() again is EISCONN", errno.EISCONN,
                cli.connect, ("127.0.0.1", port))
    srv.shutdown(socket.SHUT_RD)
    check_eq("recv after SHUT_RD returns end of stream", srv.recv(10), b"")
    for sk in (cli, srv, lsk):
        sk.close()


def test_bind(port):
    a, b = stream(), stream()
    a.bind(("127.0.0.1", port))
    check_errno("bind to a bound port is EADDRINUSE", errno.EADDRINUSE,
                b.bind, ("127.0.0.1", port))
    a.close()
    b.close()
    a, b = stream(), stream()
    for sk in (a, b):
        sk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    a.bind(("127.0.0.1", port))
    b.bind(("127.0.0.1", port))
    check("SO_REUSEADDR on both: the port is shared", True)
    a.listen(1)
    c = stream()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    check_errno("but not with a listener", errno.EADDRINUSE,
                c.bind, ("127.0.0.1", port))
    for sk in (a, b, c):
        sk.close()

    linux = stream(socket.IPPROTO_TCP)
    linux.bind(("127.0.0.1", port + 1))
    linux.listen(1)
    check_errno("a port Linux TCP holds is EADDRINUSE", errno.EADDRINUSE,
                stream().bind, ("127.0.0.1", port + 1))
    linux.close()

    # Linux TCP cannot see alttcp's ports: its connection may use as local
    # port one an alttcp socket listens on; its segments stay its own.
    shared = port + 3
    alistener = stream()
    alistener.bind(("127.0.0.1", shared))
    alistener.listen(1)
    lserver = stream(socket.IPPROTO_TCP)
    lserver.bind(("127.0.0.1", port + 4))
    lserver.listen(1)
    lclient = stream(socket.IPPROTO_TCP)
    lclient.settimeout(5)
    lclient.bind(("127.0.0.1", shared))
    try:
        lclient.connect(("127.0.0.1", port + 4))
        conn, _ = lserver.accept()
        conn.sendall(b"linux")
        got = lclient.recv(10)
    except OSError as e:
        got = repr(e)
    check_eq("a Linux TCP connection on an alttcp listener's port works", got, b"linux")
    for sk in (alistener, lserver, lclient):
        sk.close()

    sysctl("local_port_range", "41000 41009")
    s = stream()
    s.bind(("127.0.0.1", 0))
    check("bind to port 0 picks from local_port_range",
          41000 <= s.getsockname()[1] <= 41009, str(s.getsockname()))
    s.close()
    check_errno("bind to an address not on this host is EADDRNOTAVAIL",
                errno.EADDRNOTAVAIL, stream().bind, ("10.255.255.1", port + 2))


def test_ports_and_tw_reuse(port):
    """C9 and C11: TIME_WAIT holds ports until tw_reuse may take them over."""
    sysctl("local_port_range", "42000 42001")
    sysctl("tw_reuse", 0)
    lsk = stream()
    lsk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsk.bind(("127.0.0.1", port))
    lsk.listen(8)
    used = []
    for _ in range(2):
        c = stream()
        c.connect(("127.0.0.1", port))
        s, _ = lsk.accept()
        used.append(c.getsockname()[1])
        c.close()      # the client closes first: its side keeps TIME_WAIT
        s.recv(1)
        s.close()
    check_eq("both ports of the range used", sorted(used), [42000, 42001])
    check_errno("every port in TIME_WAIT: connect() is EADDRNOTAVAIL",
                errno.EADDRNOTAVAIL, stream().connect, ("127.0.0.1", port))
    sysctl("tw_reuse", 1)
    time.sleep(1.1)    # tw_reuse takes entries older than 1 s
    c = stream()
    c.settimeout(5)
    c.connect(("127.0.0.1", port))
    check("tw_reuse=1 takes over a TIME_WAIT port",
          c.getsockname()[1] in (42000, 42001), str(c.getsockname()))
    c.close()
    lsk.close()
    sysctl("tw_reuse", 2)
    sysctl("local_port_range", "32768 60999")


def test_listener_shutdown(port):
    """shutdown() of a listener, as servers end another thread's accept():
    it stops listening and wakes the accept() (found by hostile.sh)."""
    lsk = stream()
    lsk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsk.bind(("127.0.0.1", port))
    lsk.listen(8)
    result = []

    def blocked_accept():
        try:
            lsk.accept()
            result.append("accepted")
        except OSError as e:
            result.append(errno.errorcode.get(e.errno))

    waiter = threading.Thread(target=blocked_accept, daemon=True)
    waiter.start()
    time.sleep(0.5)     # in accept() by now (and if not, it fails alike)
    got = outcome(lsk.shutdown, socket.SHUT_WR)
    waiter.join(0.5)
    check_eq("shutdown(SHUT_WR) of a listener: 0, and it still listens",
             (got, waiter.is_alive()), ("ok", True))
    got = outcome(lsk.shutdown, socket.SHUT_RDWR)
    waiter.join(5)
    check_eq("shutdown(SHUT_RDWR) of a listener: 0, and the blocked accept() "
             "fails with EINVAL", (got, result), ("ok", ["EINVAL"]))
    check_errno("connect() to its port is refused", errno.ECONNREFUSED,
                stream().connect, ("127.0.0.1", port))
    lsk.listen(8)
    cli = stream()
    cli.connect(("127.0.0.1", port))
    srv, _ = lsk.accept()
    check_eq("listen() again: the same port, and it accepts",
             srv.getsockname()[1], port)
    for sk in (cli, srv, lsk):
        sk.close()


def test_shutdown_connecting(port):
    """shutdown() of a socket another thread is connecting: as Linux's
    inet_shutdown(), it disconnects, the connect() fails with ECONNRESET
    (alttcp said ECONNABORTED), and the socket can connect again, as after
    ECONNREFUSED (alttcp said EISCONN).  The SYNs to PORT are dropped (nft,
    in this namespace); PORT + 1 listens; nothing listens on PORT + 2.
    Linux TCP is the reference row."""
    nft = subprocess.run(["nft", "-f", "-"], capture_output=True, text=True,
                         input="table inet sockopt {\n chain out {\n"
                         " type filter hook output priority 0;\n"
                         f" tcp dport {port} drop\n }}\n}}\n")
    if nft.returncode:
        check("nft drops the SYNs to the connecting port", False, nft.stderr)
        return
    seen = {}
    for name, proto in (("tcp", socket.IPPROTO_TCP), ("alttcp", ALTTCP)):
        lsk = stream(proto)
        lsk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsk.bind(("127.0.0.1", port + 1))
        lsk.listen(8)
        sk = stream(proto)
        result = []

        def blocked_connect():
            result.append(outcome(sk.connect, ("127.0.0.1", port)))

        waiter = threading.Thread(target=blocked_connect, daemon=True)
        waiter.start()
        time.sleep(0.5)     # in connect() by now (and if not, it fails alike)
        got = outcome(sk.shutdown, socket.SHUT_RDWR)
        waiter.join(5)
        again = outcome(sk.connect, ("127.0.0.1", port + 1))
        refused = stream(proto)
        after_refused = (outcome(refused.connect, ("127.0.0.1", port + 2)),
                         outcome(refused.connect, ("127.0.0.1", port + 1)))
        seen[name] = (got, result, again, after_refused)
        for s in (sk, lsk, refused):
            s.close()
    subprocess.run(["nft", "delete", "table", "inet", "sockopt"])
    check_eq("tcp: shutdown() 0, connect() ECONNRESET, then connects again; "
             "a refused socket connects again too", seen["tcp"],
             ("ok", ["ECONNRESET"], "ok", ("ECONNREFUSED", "ok")))
    check_eq("alttcp: as Linux TCP", seen["alttcp"], seen["tcp"])


INHERITED = (
    ("SO_RCVTIMEO", socket.SO_RCVTIMEO, struct.pack("ll", 3, 250000), 16),
    ("SO_SNDTIMEO", socket.SO_SNDTIMEO, struct.pack("ll", 4, 500000), 16),
    ("SO_LINGER", socket.SO_LINGER, struct.pack("ii", 1, 7), 8),
    ("SO_RCVLOWAT", socket.SO_RCVLOWAT, 3, None),
    ("SO_SNDBUF", socket.SO_SNDBUF, 65536, None),
    ("SO_RCVBUF", socket.SO_RCVBUF, 32768, None),
    ("SO_PRIORITY", socket.SO_PRIORITY, 5, None),  # not inherited
    ("SO_MARK", socket.SO_MARK, 0x55, None),
    ("SO_OOBINLINE", socket.SO_OOBINLINE, 1, None),
    ("SO_KEEPALIVE", socket.SO_KEEPALIVE, 1, None),
)


def test_accept_inherits(port):
    """Socket options set on a listener reach the sockets accept() returns,
    as Linux's sk_clone_lock() copies them (alttcp's children used to have
    the defaults), all but SO_PRIORITY, which Linux's
    children do not keep.  Linux TCP's children are the reference."""
    children = {}
    for name, proto in (("tcp", socket.IPPROTO_TCP), ("alttcp", ALTTCP)):
        lsk = stream(proto)
        lsk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        for _, opt, value, _ in INHERITED:
            lsk.setsockopt(socket.SOL_SOCKET, opt, value)
        lsk.bind(("127.0.0.1", port))
        lsk.listen(8)
        cli = stream(proto)
        cli.connect(("127.0.0.1", port))
        srv, _ = lsk.accept()
        children[name] = {
            opt_name: srv.getsockopt(socket.SOL_SOCKET, opt, *([size] if size else []))
            for opt_name, opt, _, size in INHERITED}
        fresh = stream(proto)
        children[name + " fresh"] = {
            opt_name: fresh.getsockopt(socket.SOL_SOCKET, opt, *([size] if size else []))
            for opt_name, opt, _, size in INHERITED}
        for sk in (cli, srv, lsk, fresh):
            sk.close()
        port += 1
    for opt_name, _, _, _ in INHERITED:
        want = children["tcp"][opt_name]
        check_eq(f"accept(): the child's {opt_name} is Linux TCP's child's",
                 children["alttcp"][opt_name], want)
        if opt_name != "SO_PRIORITY":
            check(f"{opt_name}: the listener's value, not a fresh socket's",
                  want != children["tcp fresh"][opt_name],
                  f"{want!r} is also the default")


# IP-level options an application may set on a TCP socket, with a value
# other than the default, and the size getsockopt() reads.
IP_OPTIONS_SET = (("IP_TOS", socket.IP_TOS, 0x10),
                  ("IP_TTL", socket.IP_TTL, 33),
                  ("IP_MTU_DISCOVER", IP_MTU_DISCOVER, IP_PMTUDISC_DONT),
                  ("IP_FREEBIND", IP_FREEBIND, 1),
                  ("IP_BIND_ADDRESS_NO_PORT", IP_BIND_ADDRESS_NO_PORT, 1),
                  ("IP_RECVERR", IP_RECVERR, 1))


def capture_lo():
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP))
    cap.bind(("lo", 0))
    cap.settimeout(0.3)
    return cap


def captured(cap, port):
    """(sport, tcp flags, payload bytes, tos, ttl, DF) of every IPv4 TCP
    segment to or from PORT that CAP saw (loopback shows each twice)."""
    segs = []
    while True:
        try:
            pkt = cap.recv(65535)
        except socket.timeout:
            return segs
        ihl = (pkt[0] & 15) * 4
        if pkt[9] != socket.IPPROTO_TCP:
            continue
        total, = struct.unpack_from("!H", pkt, 2)
        frag, = struct.unpack_from("!H", pkt, 6)
        sport, dport = struct.unpack_from("!HH", pkt, ihl)
        if port not in (sport, dport):
            continue
        doff = (pkt[ihl + 12] >> 4) * 4
        segs.append((sport, pkt[ihl + 13], total - ihl - doff, pkt[1], pkt[8],
                     bool(frag & 0x4000)))


def test_ip_options(port):
    """SOL_IP options are the IPv4 layer's, as on any inet socket (alttcp
    answered ENOPROTOOPT), and alttcp's segments carry what they set: the
    client's TOS, TTL and DF from IP_TOS, IP_TTL and IP_MTU_DISCOVER, an
    accepted socket's from its listener's.  Linux TCP is the reference."""
    ip = socket.IPPROTO_IP
    for name, opt, value in IP_OPTIONS_SET:
        got = {}
        for stack, proto in (("tcp", socket.IPPROTO_TCP), ("alttcp", ALTTCP)):
            s = stream(proto)
            got[stack] = (outcome(s.setsockopt, ip, opt, value),
                          s.getsockopt(ip, opt), stream(proto).getsockopt(ip, opt))
            s.close()
        check_eq(f"{name}: set, read back, default as Linux TCP's", got["alttcp"], got["tcp"])
        check(f"{name}: Linux TCP reads back the value set", got["tcp"][:2] == ("ok", value),
              repr(got["tcp"]))
    check_eq("IP_MTU_DISCOVER of an unknown mode is EINVAL", outcome(
        stream().setsockopt, ip, IP_MTU_DISCOVER, 99), "EINVAL")
    mreq = socket.inet_aton("239.1.2.3") + socket.inet_aton("127.0.0.1")
    check_eq("IP_ADD_MEMBERSHIP is EPROTO, as Linux TCP's",
             outcome(stream().setsockopt, ip, socket.IP_ADD_MEMBERSHIP, mreq),
             outcome(stream(socket.IPPROTO_TCP).setsockopt, ip,
                     socket.IP_ADD_MEMBERSHIP, mreq))

    binds = {}
    for stack, proto in (("tcp", socket.IPPROTO_TCP), ("alttcp", ALTTCP)):
        plain, free = stream(proto), stream(proto)
        free.setsockopt(ip, IP_FREEBIND, 1)
        got = [outcome(plain.bind, ("192.0.2.55", 0)),
               outcome(free.bind, ("192.0.2.55", 0)), free.getsockname()[1] != 0]
        lsk = stream(proto)
        lsk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsk.bind(("127.0.0.1", port))
        lsk.listen(8)
        cli = stream(proto)
        cli.setsockopt(ip, IP_BIND_ADDRESS_NO_PORT, 1)
        cli.bind(("127.0.0.2", 0))
        got.append(cli.getsockname())
        cli.connect(("127.0.0.1", port))
        got.append((cli.getsockname()[0], cli.getsockname()[1] != 0))
        binds[stack] = got
        for sk in (plain, free, lsk, cli):
            sk.close()
        port += 1
    check_eq("bind() to a foreign address: EADDRNOTAVAIL, with IP_FREEBIND a "
             "port; IP_BIND_ADDRESS_NO_PORT: no port until connect(), as "
             "Linux TCP", binds["alttcp"], binds["tcp"])
    check_eq("... which are", binds["tcp"], ["EADDRNOTAVAIL", "ok", True,
                                            ("127.0.0.2", 0), ("127.0.0.2", True)])

    headers = {}
    for stack, proto in (("tcp", socket.IPPROTO_TCP), ("alttcp", ALTTCP)):
        cap = capture_lo()
        lsk = stream(proto)
        lsk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsk.setsockopt(ip, socket.IP_TOS, 0x28)
        lsk.setsockopt(ip, socket.IP_TTL, 44)
        lsk.bind(("127.0.0.1", port))
        lsk.listen(8)
        cli = stream(proto)
        cli.setsockopt(ip, socket.IP_TOS, 0x10)
        cli.setsockopt(ip, socket.IP_TTL, 33)
        cli.setsockopt(ip, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
        cli.connect(("127.0.0.1", port))
        srv, _ = lsk.accept()
        cli.sendall(b"c" * 100)
        srv.sendall(b"s" * 100)
        time.sleep(0.2)
        segs = captured(cap, port)
        cport = cli.getsockname()[1]
        syn = [x[3:] for x in segs if x[0] == cport and x[1] & 0x02]
        cdata = [x[3:] for x in segs if x[0] == cport and x[2] > 0]
        sdata = [x[3:] for x in segs if x[0] == port and x[2] > 0]
        headers[stack] = (syn[:1], cdata[:1], sdata[:1])
        for sk in (cli, srv, lsk, cap):
            sk.close()
        port += 1
    check_eq("(TOS, TTL, DF) of the client's SYN, its data and the accepted "
             "socket's data are Linux TCP's", headers["alttcp"], headers["tcp"])
    check_eq("... which are the client's options and the listener's",
             headers["tcp"], ([(0x10, 33, False)], [(0x10, 33, False)],
                              [(0x28, 44, True)]))


def min_ttl_drops(stack):
    """The namespace's count of segments dropped for IP_MINTTL."""
    if stack == "tcp":
        out = subprocess.run(["nstat", "-asz", "TcpExtTCPMinTTLDrop"],
                             capture_output=True, text=True).stdout
        return sum(int(line.split()[1]) for line in out.splitlines()
                   if line.startswith("TcpExt"))
    out = subprocess.run([os.environ.get("ALTTCPCTL", "alttcpctl"), "-j", "stats"],
                         capture_output=True, text=True).stdout
    return json.loads(out)["MinTTLDrop"]


def readable(sk, wait):
    return bool(select.select([sk], [], [], wait)[0])


def test_min_ttl(port):
    """IP_MINTTL (GTSM): segments with a lower TTL (loopback's 64 here)
    are dropped and counted, SYNs by a listener, data by a connection,
    until the option is lowered; Linux TCP is the reference."""
    ip = socket.IPPROTO_IP
    got = {}
    for stack, proto in (("tcp", socket.IPPROTO_TCP), ("alttcp", ALTTCP)):
        before = min_ttl_drops(stack)
        lsk = stream(proto)
        lsk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsk.setsockopt(ip, IP_MINTTL, 255)
        lsk.bind(("127.0.0.1", port))
        lsk.listen(8)
        cli = stream(proto)
        cli.setblocking(False)
        outcome(cli.connect, ("127.0.0.1", port))
        row = [lsk.getsockopt(ip, IP_MINTTL), readable(lsk, 0.5),
               min_ttl_drops(stack) > before]
        lsk.setsockopt(ip, IP_MINTTL, 1)
        row.append(readable(lsk, 5.0))	# the SYN's retransmission, at 1 s
        srv, _ = lsk.accept()
        cli.setblocking(True)
        srv.setsockopt(ip, IP_MINTTL, 255)
        drops = min_ttl_drops(stack)
        cli.send(b"x")
        row += [readable(srv, 0.3), min_ttl_drops(stack) > drops]
        srv.setsockopt(ip, IP_MINTTL, 0)
        row.append(readable(srv, 5.0) and srv.recv(1))
        got[stack] = row
        for sk in (cli, srv, lsk):
            sk.close()
        port += 1
    check_eq("IP_MINTTL: a listener drops and counts the SYNs, then takes the "
             "retransmission; a connection the data, then its "
             "retransmission; as Linux TCP", got["alttcp"], got["tcp"])
    check_eq("... which are", got["tcp"], [255, False, True, True, False, True, b"x"])


def wait_inq(sk, want):
    """Until WANT bytes are queued to read (bounded: 5 s)."""
    for _ in range(500):
        raw = fcntl.ioctl(sk.fileno(), SIOCINQ, b"\0" * 4)
        if struct.unpack("i", raw)[0] >= want:
            return True
        time.sleep(0.01)
    return False


def recv_all(sk, limit=5.0):
    """What SK has queued, then end of stream or a timeout, as bytes and
    "eof", "timeout" or the errno's name."""
    sk.settimeout(limit)
    got = b""
    try:
        while True:
            chunk = sk.recv(4096)
            if not chunk:
                return got, "eof"
            got += chunk
    except socket.timeout:
        return got, "timeout"
    except OSError as e:
        return got, errno.errorcode.get(e.errno)


def read_inq(sk, size):
    """(bytes read, the TCP_CM_INQ values of the read's cmsgs)."""
    data, anc, _, _ = sk.recvmsg(size, socket.CMSG_SPACE(4))
    return (len(data), [struct.unpack("i", d[:4])[0] for lvl, typ, d in anc
                        if lvl == socket.IPPROTO_TCP and typ == TCP_INQ])


def inq_reads(cli, srv):
    """40 of 100 queued bytes, the other 60 after the peer's FIN, then the
    end of the stream."""
    srv.sendall(b"i" * 100)
    wait_inq(cli, 100)
    out = [read_inq(cli, 40)]
    srv.shutdown(socket.SHUT_WR)
    time.sleep(0.2)
    out.append(read_inq(cli, 100))
    out.append(read_inq(cli, 100))
    return out


def test_inq(port):
    """TCP_INQ, as Linux TCP: a flag read back, and on each read a cmsg
    with the bytes left to read, or 1 when only the end of the stream is."""
    tcp = socket.IPPROTO_TCP
    got = {}
    for stack, proto in (("tcp", socket.IPPROTO_TCP), ("alttcp", ALTTCP)):
        lsk, cli, srv = pair(port, proto)
        opts = [cli.getsockopt(tcp, TCP_INQ), outcome(cli.setsockopt, tcp, TCP_INQ, 2)]
        cli.setsockopt(tcp, TCP_INQ, 1)
        opts.append(cli.getsockopt(tcp, TCP_INQ))
        got[stack] = (opts, inq_reads(cli, srv))
        for sk in (cli, srv, lsk):
            sk.close()
        port += 1
    check_eq("TCP_INQ: default, 2 refused, 1 read back; the cmsg of each read, "
             "as Linux TCP's", got["alttcp"], got["tcp"])
    check_eq("... which are", got["tcp"],
             ([0, "EINVAL", 1], [(40, [60]), (60, [1]), (0, [1])]))


def test_shutdown_rd(port):
    """shutdown(SHUT_RD) as Linux (upstream's shutdown/shutdown-rd*.pkt):
    what is queued and what arrives later is still read, then end of
    stream; close() with unread data resets the peer whatever the
    shutdown; data after our FIN on a socket shut both ways resets the
    peer too.  alttcp threw queued and later data away.  Linux TCP is the
    reference row."""
    for name, proto in (("tcp", socket.IPPROTO_TCP), ("alttcp", ALTTCP)):
        lsk, cli, srv = pair(port, proto)
        cli.sendall(b"queued")
        wait_inq(srv, 6)
        srv.shutdown(socket.SHUT_RD)
        first = srv.recv(100)
        cli.sendall(b"later")
        later = wait_inq(srv, 5) and srv.recv(100)
        try:
            end = srv.recv(100, socket.MSG_DONTWAIT)
        except OSError as e:
            end = errno.errorcode.get(e.errno)
        check_eq(f"{name}: after SHUT_RD, the queued bytes, the later ones, "
                 "then end of stream", (first, later, end),
                 (b"queued", b"later", b""))
        cli.sendall(b"unread")
        wait_inq(srv, 6)
        srv.close()
        check_eq(f"{name}: close() after SHUT_RD with unread data resets "
                 "the peer", recv_all(cli), (b"", "ECONNRESET"))
        cli.close()

        cli = stream(proto)
        cli.connect(("127.0.0.1", port))
        srv, _ = lsk.accept()
        srv.shutdown(socket.SHUT_RDWR)
        eof = recv_all(cli)
        cli.sendall(b"unwanted")
        # the RST reaches the sender in CLOSE_WAIT: EPIPE, as tcp_reset()
        poller = select.poll()
        poller.register(cli, select.POLLERR)
        poller.poll(5000)
        cli_err = cli.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        check_eq(f"{name}: data after the FIN of a socket shut both ways "
                 "resets both ends", (eof, errno.errorcode.get(cli_err),
                                      recv_all(srv), recv_all(srv)),
                 ((b"", "eof"), "EPIPE", (b"", "ECONNRESET"), (b"", "eof")))
        for sk in (cli, srv, lsk):
            sk.close()
        port += 1


def test_recv_fault(port):
    """A read into a buffer whose end is unmapped fails with EFAULT and
    consumes nothing, as on Linux: the next read gets every byte (alttcp
    used to drop the bytes it could not copy).  Linux TCP is the reference
    row."""
    libc = ctypes.CDLL(None, use_errno=True)
    page = mmap.PAGESIZE
    area = mmap.mmap(-1, 2 * page)
    base = ctypes.addressof(ctypes.c_char.from_buffer(area))
    if libc.mprotect(ctypes.c_void_p(base + page), page, 0):
        check("mprotect(PROT_NONE) for the faulting page", False,
              errno.errorcode.get(ctypes.get_errno()))
        return
    sent = bytes(range(100))
    for name, proto in (("tcp", socket.IPPROTO_TCP), ("alttcp", ALTTCP)):
        lsk, cli, srv = pair(port, proto)
        cli.sendall(sent)
        queued = wait_inq(srv, len(sent))
        ret = libc.recv(srv.fileno(), ctypes.c_void_p(base + page - 50),
                        ctypes.c_size_t(len(sent)), 0)
        err = errno.errorcode.get(ctypes.get_errno()) if ret < 0 else ret
        check_eq(f"{name}: 100 bytes queued, a read of them into 50 mapped "
                 f"bytes: EFAULT", (queued, err), (True, "EFAULT"))
        got = b""
        while len(got) < len(sent):
            try:
                chunk = srv.recv(200, socket.MSG_DONTWAIT)
            except OSError:
                break
            if not chunk:
                break
            got += chunk
        check_eq(f"{name}: the next read gets all 100 bytes", got, sent)
        for sk in (cli, srv, lsk):
            sk.close()
        port += 1


def wait_blocked(threads, limit=5.0):
    """Until every thread sleeps in the kernel (state S in /proc)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        states = []
        for t in threads:
            with open(f"/proc/self/task/{t.native_id}/stat") as f:
                states.append(f.read().rsplit(")", 1)[1].split()[0])
        if all(s == "S" for s in states):
            return True
        time.sleep(0.01)
    return False


def test_accept_race(port):
    """Several threads in accept() on one listener, woken together by each
    connection: one takes it, the others find the queue empty and wait
    again.  The losers' unused sockets used to be freed through
    sk_common_release(), which calls the missing unhash: a NULL call that
    panicked the guest (found by hostile.sh on 6.12)."""
    waiters = 4
    lsk = stream()
    lsk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsk.bind(("127.0.0.1", port))
    lsk.listen(8)
    accepted = []

    def blocked_accept():
        try:
            accepted.append(lsk.accept()[0])
        except OSError as e:
            accepted.append(errno.errorcode.get(e.errno))

    threads = [threading.Thread(target=blocked_accept, daemon=True)
               for _ in range(waiters)]
    for t in threads:
        t.start()
    clients = []
    for i in range(waiters):
        live = [t for t in threads if t.is_alive()]
        check(f"accept race, connection {i + 1}: {len(live)} waiting "
              f"thread(s) blocked in accept()", wait_blocked(live))
        cli = stream()
        cli.connect(("127.0.0.1", port))
        clients.append(cli)
        deadline = time.monotonic() + 5
        while len(accepted) <= i and time.monotonic() < deadline:
            time.sleep(0.01)
    for t in threads:
        t.join(5)
    socks = [a for a in accepted if not isinstance(a, str)]
    check_eq("each of the 4 threads accepted one connection",
             (len(socks), [a for a in accepted if isinstance(a, str)]),
             (waiters, []))
    echoed = 0
    for cli in clients:
        cli.sendall(b"x")
    for srv in socks:
        srv.settimeout(5)
        try:
            echoed += len(srv.recv(1))
        except OSError:
            pass
    check_eq("every accepted socket carries its connection's byte",
             echoed, waiters)
    for sk in clients + socks + [lsk]:
        sk.close()


def wscales(proto, port, rcvbuf=None):
    """(SO_RCVBUF of a fresh socket, the connection's rcv_wscale at each
    end) over loopback; with RCVBUF, both ends set SO_RCVBUF first."""
    lsk = stream(proto)
    lsk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    cli = stream(proto)
    fresh = cli.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    if rcvbuf:
        for sk in (lsk, cli):
            sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    lsk.bind(("127.0.0.1", port))
    lsk.listen(1)
    cli.connect(("127.0.0.1", port))
    srv, _ = lsk.accept()
    # struct tcp_info: byte 6 is snd_wscale:4 | rcv_wscale:4 << 4
    ends = tuple(tcp_info_raw(sk)[6] >> 4 for sk in (cli, srv))
    for sk in (cli, srv, lsk):
        sk.close()
    return fresh, ends


def test_rmem(port):
    """rmem is tcp_rmem: its default is a new socket's SO_RCVBUF, and the
    window scale of both ends is the one Linux TCP picks with the same
    "min default max" (tcp_select_initial_window(): from the max, or from
    a fixed SO_RCVBUF)."""
    linux = "/proc/sys/net/ipv4/tcp_rmem"
    with open(linux) as f:
        saved = f.read().strip()
    for sizes, rcvbuf in (("4096 131072 6291456", None),
                          ("4096 540000 15728640", None),
                          ("4096 87380 262144", None),
                          ("4096 131072 6291456", 4096),
                          ("4096 131072 6291456", 1 << 19)):
        sysctl("rmem", sizes)
        with open(linux, "w") as f:
            f.write(sizes)
        got = {name: wscales(proto, port + i, rcvbuf)
               for i, (name, proto) in enumerate((("tcp", socket.IPPROTO_TCP),
                                                   ("alttcp", ALTTCP)))}
        port += 2
        what = f"rmem {sizes}" + (f", SO_RCVBUF {rcvbuf}" if rcvbuf else "")
        check_eq(f"{what}: SO_RCVBUF and both ends' window scale as Linux TCP's "
                 f"{got['tcp']}", got["alttcp"], got["tcp"])
    with open(linux, "w") as f:
        f.write(saved)
    sysctl("rmem", "4096 131072 6291456")
    check_errno("rmem rejects min > default", errno.EINVAL, sysctl, "rmem", "8192 4096 6291456")
    check_errno("rmem rejects a size above 1073725440", errno.EINVAL,
                sysctl, "rmem", "4096 131072 1073725441")
    check_errno("rmem rejects 0", errno.EINVAL, sysctl, "rmem", "0 131072 6291456")


def main():
    print("TAP version 13")
    test_identity()
    test_options()
    test_connected(6001)
    test_bind(6101)
    test_ports_and_tw_reuse(6201)
    test_listener_shutdown(6301)
    test_recv_fault(6401)
    test_accept_inherits(6501)
    test_shutdown_connecting(6601)
    test_accept_race(6701)
    test_shutdown_rd(6801)
    test_ip_options(6901)
    test_inq(7001)
    test_min_ttl(7101)
    test_rmem(7201)
    print(f"1..{count}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
