package org.jkeepalived.healthcheck.check;

import static org.jkeepalived.healthcheck.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.healthcheck.CheckResult;
import org.junit.jupiter.api.Test;

/** TCP_CHECK, SMTP_CHECK, DNS_CHECK and UDP_CHECK against loopback servers. */
class SocketProbesTest extends ProbeTestSupport {

    static CheckerCommon c(int port, long timeoutMs) {
        return common("127.0.0.1", port, Duration.ofMillis(timeoutMs), 0, Duration.ofSeconds(1), Duration.ofSeconds(5), false);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ------------------------------------------------------------------ TCP

    @Test void tcpUpAndRefused() throws Exception {
        RawServer raw = new RawServer(s -> {});
        CheckResult up = run(tcp(c(raw.port(), 1000)));
        assertTrue(up.ok());
        assertEquals("TCP connection to [127.0.0.1]:tcp:" + raw.port() + " success.", up.message());
        int closed = freePort();
        CheckResult down = run(tcp(c(closed, 1000)));
        assertEquals("connect_refused", down.reason());
        assertEquals("TCP connection to [127.0.0.1]:tcp:" + closed + " failed.", down.message());
    }

    @Test void tcpHonoursBindtoAndBindPort() throws Exception {
        List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();
        RawServer raw = new RawServer(s -> peers.add((InetSocketAddress) s.getRemoteSocketAddress()));
        int bindPort = freePort();
        CheckerCommon cc = new CheckerCommon(ip("127.0.0.1"), raw.port(), ip("127.0.0.2"), null, bindPort, null,
                Duration.ofSeconds(1), 0, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(5), false, false);
        assertTrue(run(tcp(cc)).ok());
        org.awaitility.Awaitility.await().until(() -> !peers.isEmpty());
        assertEquals(ip("127.0.0.2"), peers.get(0).getAddress());
        assertEquals(bindPort, peers.get(0).getPort());
    }

    @Test void tcpWithFwmarkAndBindIfOnEpoll() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "epoll not available");
        var epoll = new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.epoll.EpollIoHandler.newFactory());
        try {
            RawServer raw = new RawServer(s -> {});
            CheckerCommon cc = new CheckerCommon(ip("127.0.0.1"), raw.port(), null, "lo", null, 42,
                    Duration.ofSeconds(1), 0, Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(5), false, false);
            var vs = vs("127.0.0.1", 80);
            var t = new org.jkeepalived.healthcheck.CheckTarget(vs, rs("127.0.0.1", raw.port(), 1, tcp(cc)), tcp(cc));
            NettyProbeFactory f = new NettyProbeFactory(epoll, scripts, config(vs));
            CheckResult r = f.create(t).check().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(r.ok(), r.message());
        } finally {
            epoll.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    // ------------------------------------------------------------------ SMTP

    static RawServer smtp(String banner, String heloReply, List<String> seen) throws Exception {
        return new RawServer(s -> {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            RawServer.write(s, banner);
            String helo = in.readLine();
            seen.add(helo);
            RawServer.write(s, heloReply);
            String quit = in.readLine();
            if (quit != null) seen.add(quit);
        });
    }

    @Test void smtpBannerHeloQuit() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        RawServer srv = smtp("220-mail.example ESMTP\r\n220 ready\r\n", "250 hello\r\n", seen);
        CheckResult r = run(new Checker.SmtpCheck(c(srv.port(), 1000), "checker.example"));
        assertTrue(r.ok(), r.message());
        org.awaitility.Awaitility.await().until(() -> seen.size() == 2);
        assertEquals(List.of("HELO checker.example", "QUIT"), seen);
    }

    @Test void smtpBadBannerOrHeloFails() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        RawServer busy = smtp("554 go away\r\n", "", seen);
        assertEquals("protocol", run(new Checker.SmtpCheck(c(busy.port(), 1000), null)).reason());
        RawServer badHelo = smtp("220 ready\r\n", "501 bad\r\n", seen);
        CheckResult r = run(new Checker.SmtpCheck(c(badHelo.port(), 1000), null));
        assertEquals("protocol", r.reason());
        assertTrue(seen.contains("HELO localhost"), seen.toString());
    }

    @Test void smtpSilentServerTimesOut() throws Exception {
        RawServer silent = new RawServer(s -> Thread.sleep(5000));
        assertEquals("timeout", run(new Checker.SmtpCheck(c(silent.port(), 300), null)).reason());
    }

    // ------------------------------------------------------------------ DNS

    /** A DNS responder answering with the given RCODE and answer count, echoing id and question. */
    static DatagramSocket dns(int rcode, int answers, List<byte[]> queries) throws Exception {
        DatagramSocket sock = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            byte[] buf = new byte[512];
            while (!sock.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    sock.receive(p);
                    byte[] q = java.util.Arrays.copyOf(p.getData(), p.getLength());
                    queries.add(q);
                    byte[] r = q.clone();
                    r[2] = (byte) 0x81;
                    r[3] = (byte) (0x80 | rcode);
                    r[7] = (byte) answers;
                    // answers are not parsed by the checker: the count is what matters
                    sock.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        closeables.add(sock::close);
        return sock;
    }

    @Test void dnsAnswerRequired() throws Exception {
        List<byte[]> queries = new CopyOnWriteArrayList<>();
        DatagramSocket good = dns(0, 1, queries);
        CheckResult r = run(new Checker.DnsCheck(c(good.getLocalPort(), 1000), "A", "www.example.org"));
        assertTrue(r.ok(), r.message());
        byte[] q = queries.get(0);
        // question: 3www7example3org0, type A (1), class IN (1)
        byte[] tail = java.util.Arrays.copyOfRange(q, 12, q.length);
        assertArrayEquals(new byte[] {3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0, 0, 1, 0, 1}, tail);
        assertEquals("no_answer", run(new Checker.DnsCheck(c(dns(0, 0, queries).getLocalPort(), 1000), "SOA", ".")).reason());
        assertEquals("rcode", run(new Checker.DnsCheck(c(dns(2, 1, queries).getLocalPort(), 1000), "SOA", ".")).reason());
        // keepalived's two DNSSEC types: DNSKEY 48, RRSIG 46
        List<byte[]> sec = new CopyOnWriteArrayList<>();
        DatagramSocket signed = dns(0, 1, sec);
        assertTrue(run(new Checker.DnsCheck(c(signed.getLocalPort(), 1000), "DNSKEY", ".")).ok());
        assertTrue(run(new Checker.DnsCheck(c(signed.getLocalPort(), 1000), "RRSIG", ".")).ok());
        assertEquals(48, sec.get(0)[14]); // after the root name (one zero byte at 12): type, class
        assertEquals(46, sec.get(1)[14]);
    }

    @Test void dnsNoServerIsUnreachable() throws Exception {
        CheckResult r = run(new Checker.DnsCheck(c(freeUdpPort(), 1000), "SOA", "."));
        assertFalse(r.ok());
        assertEquals("unreachable", r.reason(), r.message());
    }

    // ------------------------------------------------------------------ UDP

    static DatagramSocket echo(byte[] reply) throws Exception {
        DatagramSocket sock = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            byte[] buf = new byte[512];
            while (!sock.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    sock.receive(p);
                    if (reply != null) sock.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        closeables.add(sock::close);
        return sock;
    }

    static Checker.UdpCheck udp(int port, boolean require, byte[] pattern, byte[] mask, int min, int max) {
        return new Checker.UdpCheck(c(port, 500), new byte[] {1, 2, 3}, require, pattern, mask, min, max);
    }

    @Test void udpPortUnreachableFails() throws Exception {
        CheckResult r = run(udp(freeUdpPort(), false, null, null, 0, 255));
        assertEquals("unreachable", r.reason(), r.message());
    }

    @Test void udpSilenceIsFineWithoutRequireReply() throws Exception {
        DatagramSocket s = echo(null);
        assertTrue(run(udp(s.getLocalPort(), false, null, null, 0, 255)).ok());
        assertEquals("timeout", run(udp(s.getLocalPort(), true, null, null, 0, 255)).reason());
    }

    @Test void udpReplyPatternMaskAndLength() throws Exception {
        DatagramSocket s = echo(new byte[] {(byte) 0xAB, 0x12, 0x0F, 0x03});
        int p = s.getLocalPort();
        assertTrue(run(udp(p, true, new byte[] {(byte) 0xAB, 0x12}, null, 0, 255)).ok());
        // AB 1X: low nibble of the second byte ignored
        assertTrue(run(udp(p, true, new byte[] {(byte) 0xAB, 0x10}, new byte[] {0, 0x0F}, 0, 255)).ok());
        assertEquals("reply", run(udp(p, true, new byte[] {(byte) 0xAB, 0x10}, null, 0, 255)).reason());
        assertEquals("reply", run(udp(p, true, null, null, 5, 255)).reason());
        assertEquals("reply", run(udp(p, true, null, null, 0, 3)).reason());
    }
}
