package org.jkeepalived.healthcheck.check;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import javax.net.ssl.SSLException;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.TrackFile;
import org.jkeepalived.healthcheck.CheckTarget;
import org.jkeepalived.healthcheck.Probe;
import org.jkeepalived.healthcheck.ProbeFactory;
import org.jkeepalived.healthcheck.ScriptRunner;
import org.jkeepalived.healthcheck.bfd.BfdService;

/** The production probes: every network checker on the one Netty group handed in. */
public final class NettyProbeFactory implements ProbeFactory, AutoCloseable {
    private final Net net;
    private final ScriptRunner scripts;
    private final KeepalivedConfig config;
    private final int bodyLimit;
    private volatile SslContext insecure;
    private volatile SslContext verifying;
    private volatile PingService ping;
    private BfdService bfd;
    private boolean ownsBfd;

    public NettyProbeFactory(EventLoopGroup group, ScriptRunner scripts, KeepalivedConfig config) {
        this(group, scripts, config, HttpFetch.DEFAULT_BODY_LIMIT);
    }

    public NettyProbeFactory(EventLoopGroup group, ScriptRunner scripts, KeepalivedConfig config, int bodyLimit) {
        this(group, scripts, config, bodyLimit, null, false);
    }

    /**
     * @param bfd     the BFD sessions BFD_CHECK reads (started); null: the config's are started here on first use
     * @param ownsBfd close {@code bfd} with this factory (a reload hands the running sessions on, see {@link #handOverBfd})
     */
    public NettyProbeFactory(EventLoopGroup group, ScriptRunner scripts, KeepalivedConfig config, int bodyLimit,
                             BfdService bfd, boolean ownsBfd) {
        this.bfd = bfd;
        this.ownsBfd = bfd != null && ownsBfd;
        this.net = new Net(group);
        this.scripts = scripts;
        this.config = config;
        this.bodyLimit = bodyLimit;
    }

    /** keepalived's SSL_GET does not verify the server certificate; verifyCertificate asks for it. */
    public static SslContext sslContext(boolean verify) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (!verify) b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS client context", e);
        }
    }

    private SslContext ssl(boolean verify) {
        if (verify) {
            if (verifying == null) verifying = sslContext(true);
            return verifying;
        }
        if (insecure == null) insecure = sslContext(false);
        return insecure;
    }

    private synchronized PingService ping() {
        if (ping == null) ping = new PingService(net.group());
        return ping;
    }

    /**
     * The BFD sessions BFD_CHECK reads: the ones handed in, else the config's bfd_instances for the
     * checkers, started on first call; null when the config has none.
     */
    public synchronized BfdService bfdSessions() {
        if (bfd == null && config != null && config.bfdInstances().stream().anyMatch(
                org.jkeepalived.core.config.BfdInstance::forChecker)) {
            bfd = BfdService.forCheckers(config, net.group().next());
            ownsBfd = true;
            bfd.start();
        }
        return bfd;
    }

    /**
     * Reload: give the BFD sessions this factory started to the next one when the new config runs the
     * very same bfd_instances (sessions stay Up across the reload); this factory no longer closes them.
     */
    public synchronized BfdService handOverBfd(KeepalivedConfig next) {
        if (!ownsBfd || bfd == null) return null;
        java.util.List<org.jkeepalived.core.config.BfdInstance> wanted = next.bfdInstances().stream()
                .filter(org.jkeepalived.core.config.BfdInstance::forChecker).toList();
        if (!wanted.equals(bfd.instances())) return null;
        ownsBfd = false;
        return bfd;
    }

    private volatile boolean warnedNio;

    @Override public Probe create(CheckTarget t) {
        Checker c = t.checker();
        if (!net.epoll() && !warnedNio && c.common() != null
                && ((c.common().fwmark() != null && c.common().fwmark() != 0) || c.common().bindIf() != null)) {
            warnedNio = true;
            org.slf4j.LoggerFactory.getLogger(NettyProbeFactory.class)
                    .warn("fwmark / bind_if on checkers need the epoll transport: ignored on NIO");
        }
        if (c instanceof Checker.HttpGet h) return new HttpProbe(net, t, h.ssl() ? ssl(h.verifyCertificate()) : null, bodyLimit);
        if (c instanceof Checker.TcpCheck) return new TcpProbe(net, t);
        if (c instanceof Checker.SmtpCheck) return new SmtpProbe(net, t);
        if (c instanceof Checker.DnsCheck) return new DnsProbe(net, t);
        if (c instanceof Checker.UdpCheck) return new UdpProbe(net, t);
        if (c instanceof Checker.PingCheck) return new PingProbe(ping(), t);
        if (c instanceof Checker.MiscCheck) return new MiscProbe(scripts, t);
        if (c instanceof Checker.FileCheck f) {
            TrackFile tf = config == null ? null : config.trackFile(f.trackFile()).orElse(null);
            return new FileProbe(t, tf);
        }
        if (c instanceof Checker.BfdCheck) return new BfdProbe(t, bfdSessions());
        throw new IllegalArgumentException("unknown checker " + c.keyword());
    }

    @Override public synchronized void close() {
        if (ping != null) ping.close();
        if (ownsBfd && bfd != null) bfd.close();
    }
}
