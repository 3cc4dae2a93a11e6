package org.jkeepalived.healthcheck;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.CheckerCommon;
import org.jkeepalived.core.config.HttpUrl;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.config.RealServer;
import org.jkeepalived.core.config.ScriptSpec;
import org.jkeepalived.core.config.TrackFile;
import org.jkeepalived.core.config.VirtualServer;
import org.jkeepalived.core.config.VirtualServerGroup;

/** Model records built by hand (the parser is another module's work). */
public final class Fixtures {
    private Fixtures() {}

    public static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static CheckerCommon common(String ip, int port, Duration connectTimeout, int retry,
                                       Duration delayBeforeRetry, Duration delayLoop, boolean alpha) {
        return new CheckerCommon(ip(ip), port, null, null, null, null, connectTimeout, retry, delayBeforeRetry,
                Duration.ZERO, delayLoop, alpha, false);
    }

    public static CheckerCommon common(String ip, int port) {
        return common(ip, port, Duration.ofSeconds(2), 0, Duration.ofSeconds(1), Duration.ofSeconds(10), false);
    }

    public static Checker.TcpCheck tcp(CheckerCommon c) {
        return new Checker.TcpCheck(c);
    }

    public static HttpUrl url(String path) {
        return new HttpUrl(path, null, List.of(), null, null, false, List.of(), null, null);
    }

    public static HttpUrl url(String path, String digest, List<HttpUrl.StatusRange> codes, String vhost, String regex,
                              boolean noMatch) {
        return new HttpUrl(path, digest, codes, vhost, regex, noMatch, List.of(), null, null);
    }

    public static Checker.HttpGet http(CheckerCommon c, boolean ssl, String vhost, HttpUrl... urls) {
        return new Checker.HttpGet(c, ssl, List.of(urls), vhost, "1.0", false, false, false);
    }

    public static RealServer rs(String ip, int port, int weight, boolean inhibit, ScriptSpec up, ScriptSpec down,
                                Checker... checkers) {
        return new RealServer(ip(ip), port, weight, null, null, inhibit, false, null, null, up, down, null,
                List.of(checkers), null, Map.of());
    }

    public static RealServer rs(String ip, int port, int weight, Checker... checkers) {
        return rs(ip, port, weight, false, null, null, checkers);
    }

    public static VirtualServer vs(String ip, int port, int quorum, int hysteresis, RealServer sorry,
                                   ScriptSpec quorumUp, ScriptSpec quorumDown, boolean omega, boolean haSuspend,
                                   RealServer... servers) {
        return new VirtualServer(ip(ip), port, null, null, null, L4Protocol.TCP, "wlc", List.of(), false,
                LvsMethod.NAT, null, null, null, null, Duration.ofSeconds(10), haSuspend, false, omega, quorum,
                hysteresis, quorumUp, quorumDown, false, null, sorry, false, List.of(servers), null, Map.of());
    }

    public static VirtualServer vs(String ip, int port, RealServer... servers) {
        return vs(ip, port, 1, 0, null, null, null, false, false, servers);
    }

    public static VirtualServer groupVs(String group, int port, RealServer... servers) {
        return new VirtualServer(null, port, null, group, null, L4Protocol.TCP, "wlc", List.of(), false,
                LvsMethod.NAT, null, null, null, null, Duration.ofSeconds(10), false, false, false, 1, 0,
                null, null, false, null, null, false, List.of(servers), null, Map.of());
    }

    public static KeepalivedConfig config(List<VirtualServerGroup> groups, List<TrackFile> trackFiles,
                                          VirtualServer... vss) {
        return new KeepalivedConfig(null, List.of(), List.of(), List.of(), List.of(), trackFiles, List.of(),
                List.of(), groups, List.of(vss));
    }

    public static KeepalivedConfig config(VirtualServer... vss) {
        return config(List.of(), List.of(), vss);
    }

    public static ScriptSpec script(String... argv) {
        return new ScriptSpec(String.join(" ", argv), List.of(argv), null, null);
    }
}
