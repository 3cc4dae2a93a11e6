package org.jkeepalived.ipvs.engine;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;
import org.jkeepalived.ipvs.engine.sched.DestState;

/**
 * IPVS persistence templates of one service: the client address masked with the persistence
 * granularity sticks to one real server. A template lives {@code timeout} after its last use and is
 * re-armed while connections it controls are still open (ip_vs_conn_expire does the same).
 * Not thread-safe: used under the service lock.
 */
final class PersistenceTable<D extends DestState> {

    static final class Template<D> {
        final InetAddress client;
        D dest;
        long expires;
        int controlled;

        Template(InetAddress client, D dest) {
            this.client = client;
            this.dest = dest;
        }
    }

    private final Map<InetAddress, Template<D>> templates = new HashMap<>();

    int size() {
        return templates.size();
    }

    /**
     * The live template for a masked client whose server passes {@code valid}, or null (an expired or
     * invalid template is dropped, as ip_vs_check_template does).
     */
    Template<D> lookup(InetAddress masked, long now, long timeoutNanos, Predicate<D> valid) {
        Template<D> t = templates.get(masked);
        if (t == null) return null;
        if (!alive(t, now, timeoutNanos) || !valid.test(t.dest)) {
            if (t.controlled == 0) templates.remove(masked);
            else t.expires = now; // keep for its open connections' accounting only; not reused
            return null;
        }
        return t;
    }

    /** Create or re-point the template of a client; attaches one connection. */
    Template<D> attach(InetAddress masked, D dest, long now, long timeoutNanos) {
        Template<D> t = templates.get(masked);
        if (t == null) {
            t = new Template<>(masked, dest);
            templates.put(masked, t);
        }
        t.dest = dest;
        t.controlled++;
        t.expires = now + timeoutNanos;
        return t;
    }

    /** A connection the template controlled has ended. */
    void detach(Template<D> t) {
        t.controlled--;
    }

    private static boolean alive(Template<?> t, long now, long timeoutNanos) {
        if (now - t.expires < 0) return true;
        if (t.controlled > 0 && timeoutNanos > 0) {
            // re-armed by whole timeouts while connections are open
            long periods = (now - t.expires) / timeoutNanos + 1;
            t.expires += periods * timeoutNanos;
            return true;
        }
        return false;
    }

    /** Drop expired templates without connections. */
    void expire(long now, long timeoutNanos) {
        for (Iterator<Template<D>> it = templates.values().iterator(); it.hasNext(); ) {
            Template<D> t = it.next();
            if (t.controlled <= 0 && now - t.expires >= 0) it.remove();
        }
    }

    void clear() {
        templates.clear();
    }

    /**
     * The persistence granularity applied to a client address: an IPv4 netmask in dotted form
     * (persistence_granularity 255.255.255.0) or, for IPv6, a prefix length; null means the whole address.
     */
    static InetAddress mask(InetAddress a, String netmask) {
        if (netmask == null || netmask.isBlank()) return a;
        byte[] b = a.getAddress();
        byte[] m = new byte[b.length];
        String nm = netmask.trim();
        int slash = nm.indexOf('/');
        if (slash >= 0) nm = nm.substring(slash + 1);
        try {
            if (nm.contains(".")) {
                if (!(a instanceof Inet4Address)) return a;
                m = InetAddress.getByName(nm).getAddress();
            } else {
                int prefix = Integer.parseInt(nm);
                for (int i = 0; i < m.length; i++) {
                    int bits = Math.max(0, Math.min(8, prefix - i * 8));
                    m[i] = (byte) (bits == 0 ? 0 : (0xff << (8 - bits)));
                }
            }
            for (int i = 0; i < b.length; i++) b[i] &= m[i];
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException | NumberFormatException e) {
            return a;
        }
    }
}
