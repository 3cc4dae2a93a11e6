package org.jkeepalived.ipvs.engine.sched;

import java.net.InetAddress;
import org.jkeepalived.core.table.Destination;

/**
 * What a scheduler sees of a real server: weight, connection counters and the flags the kernel keeps
 * in struct ip_vs_dest (AVAILABLE, OVERLOAD). Counters and the overload flag follow ip_vs_bind_dest /
 * ip_vs_unbind_dest: over u_threshold the server is overloaded until its connections fall below
 * l_threshold, or below 3/4 of u_threshold when l_threshold is 0.
 *
 * <p>Not thread-safe by itself: the engine mutates and schedules under the owning service's lock.
 */
public class DestState {
    private final Destination.DestinationKey key;
    private volatile int weight;
    /** The last weight above zero (the kernel's last_weight, used by mh so weight 0 keeps the table). */
    private volatile int lastWeight;
    private volatile int upperThreshold;
    private volatile int lowerThreshold;
    private volatile int activeConns;
    private volatile int inactConns;
    private volatile boolean overloadFlag;
    private volatile boolean available = true;
    /** Beyond IPVS: excluded for a while after a refused connection. */
    private volatile boolean excluded;

    public DestState(Destination.DestinationKey key, int weight, int upperThreshold, int lowerThreshold) {
        this.key = key;
        this.upperThreshold = upperThreshold;
        this.lowerThreshold = lowerThreshold;
        setWeight(weight);
    }

    public static DestState of(Destination d) {
        return new DestState(d.key(), d.weight(), d.upperThreshold(), d.lowerThreshold());
    }

    public Destination.DestinationKey key() { return key; }
    public InetAddress address() { return key.address(); }
    public int port() { return key.port(); }
    public int weight() { return weight; }
    public int lastWeight() { return lastWeight; }
    public int upperThreshold() { return upperThreshold; }
    public int lowerThreshold() { return lowerThreshold; }
    public int activeConns() { return activeConns; }
    public int inactConns() { return inactConns; }
    public int totalConns() { return activeConns + inactConns; }

    /** IP_VS_DEST_F_OVERLOAD (or excluded after a failure): no new connections. */
    public boolean overloaded() { return overloadFlag || excluded; }

    /** IP_VS_DEST_F_AVAILABLE: still a member of its service. */
    public boolean available() { return available; }

    public boolean excluded() { return excluded; }

    /** ip_vs_dest_conn_overhead: active connections weigh 256 times an inactive one. */
    public int overhead() { return (activeConns << 8) + inactConns; }

    public final void setWeight(int w) {
        weight = w;
        if (w > 0) lastWeight = w;
    }

    /** As __ip_vs_update_dest: new thresholds clear OVERLOAD unless still at or over u_threshold. */
    public void update(int weight, int upperThreshold, int lowerThreshold) {
        setWeight(weight);
        this.upperThreshold = upperThreshold;
        this.lowerThreshold = lowerThreshold;
        available = true;
        if (upperThreshold == 0 || upperThreshold > totalConns()) overloadFlag = false;
    }

    public void setAvailable(boolean a) { available = a; }

    public void setExcluded(boolean e) { excluded = e; }

    /** A new connection on this server (ip_vs_bind_dest). */
    public void bind(boolean active) {
        if (active) activeConns++; else inactConns++;
        if (upperThreshold != 0 && totalConns() >= upperThreshold) overloadFlag = true;
    }

    /** A connection gone (ip_vs_unbind_dest). */
    public void unbind(boolean wasActive) {
        if (wasActive) activeConns--; else inactConns--;
        checkUnderload();
    }

    /** A connection moved to ESTABLISHED. */
    public void activate() {
        inactConns--;
        activeConns++;
    }

    /** A connection left ESTABLISHED (FIN seen). */
    public void deactivate() {
        activeConns--;
        inactConns++;
    }

    private void checkUnderload() {
        int total = totalConns();
        if (lowerThreshold != 0) {
            if (total < lowerThreshold) overloadFlag = false;
        } else if (upperThreshold != 0) {
            if (total * 4 < upperThreshold * 3) overloadFlag = false;
        } else {
            overloadFlag = false;
        }
    }

    @Override public String toString() {
        return key + "(w" + weight + " a" + activeConns + " i" + inactConns + (overloaded() ? " OVL" : "") + ")";
    }
}
