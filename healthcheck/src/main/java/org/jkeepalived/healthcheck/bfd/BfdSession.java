package org.jkeepalived.healthcheck.bfd;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jkeepalived.core.config.BfdInstance;
import org.jkeepalived.core.time.MonotonicClock;

/**
 * One RFC 5880 asynchronous-mode session, pure: no sockets, no threads. The owner feeds it received
 * packets ({@link #receive}) and calls {@link #tick} at {@link #nextDeadlineNanos}; both return the
 * packets to send now. Not thread-safe: drive it from one thread.
 *
 * <p>Timers: while the session is not Up we advertise idle_tx as DesiredMinTxInterval (RFC 5880 6.8.3:
 * not less than one second), once Up min_tx, announced with a Poll Sequence; an increase takes effect
 * only when the Final arrives. We transmit every max(our DesiredMinTx, remote RequiredMinRx) less 0-25 %
 * jitter, and declare the session down when nothing came for the remote multiplier x max(our
 * RequiredMinRx, remote DesiredMinTx). No demand mode, no echo, no authentication.
 */
public final class BfdSession {

    /** A state change: from, to and the local diagnostic that goes with it. */
    @FunctionalInterface
    public interface Listener {
        void stateChanged(BfdSession session, BfdState from, BfdState to, int diag);
    }

    private final BfdInstance cfg;
    private final long localDisc;
    private final MonotonicClock clock;
    private final Random random;
    private final Listener listener;
    private final long minRxUs;
    private final long minTxUs;
    private final long idleTxUs;

    private BfdState state = BfdState.DOWN;
    private int diag = BfdPacket.DIAG_NONE;
    private BfdState remoteState = BfdState.DOWN;
    private long remoteDisc;
    private long remoteMinRxUs = 1;
    private long remoteDesiredTxUs;
    private int remoteMult;
    private boolean remoteDemand;

    /** What we advertise as DesiredMinTxInterval, and the interval we actually honour while a Poll runs. */
    private long advTxUs;
    private long txInEffectUs;
    private boolean polling;

    private boolean started;
    private long nextTxAt;
    private long detectAt;
    private boolean detectArmed;

    public BfdSession(BfdInstance cfg, long localDisc, MonotonicClock clock, Random random, Listener listener) {
        if (localDisc == 0 || localDisc > 0xFFFFFFFFL) throw new IllegalArgumentException("discriminator " + localDisc);
        this.cfg = cfg;
        this.localDisc = localDisc;
        this.clock = clock;
        this.random = random;
        this.listener = listener;
        this.minRxUs = micros(cfg.minRx());
        this.minTxUs = micros(cfg.minTx());
        this.idleTxUs = Math.max(1_000_000, micros(cfg.idleTx()));
        this.advTxUs = idleTxUs;
        this.txInEffectUs = idleTxUs;
    }

    private static long micros(java.time.Duration d) {
        return Math.max(1, d.toNanos() / 1000);
    }

    public String name() { return cfg.name(); }

    public BfdInstance config() { return cfg; }

    public long localDiscriminator() { return localDisc; }

    public long remoteDiscriminator() { return remoteDisc; }

    public BfdState state() { return state; }

    public BfdState remoteState() { return remoteState; }

    public int diag() { return diag; }

    public boolean polling() { return polling; }

    /** The transmit interval before jitter, microseconds. */
    public long txIntervalUs() {
        return Math.max(txInEffectUs, remoteMinRxUs);
    }

    /** The detection time now in force, microseconds (0 before any packet came). */
    public long detectionTimeUs() {
        return remoteMult == 0 ? 0 : remoteMult * Math.max(minRxUs, remoteDesiredTxUs);
    }

    /** Begin: Down, first packet at once (unless passive). */
    public List<BfdPacket> start() {
        started = true;
        nextTxAt = clock.nanoTime();
        return tick();
    }

    /** When {@link #tick} must run next (monotonic nanoseconds). */
    public long nextDeadlineNanos() {
        long t = mayTransmit() ? nextTxAt : Long.MAX_VALUE;
        if (detectArmed) t = Math.min(t, detectAt);
        return t;
    }

    /** Run the timers: detection expiry, then the periodic transmission if due. */
    public List<BfdPacket> tick() {
        List<BfdPacket> out = new ArrayList<>(1);
        if (!started) return out;
        long now = clock.nanoTime();
        if (detectArmed && now - detectAt >= 0) {
            detectArmed = false;
            // RFC 5880 6.8.1/6.8.4: forget the remote end; a session past Init falls Down
            remoteDisc = 0;
            remoteState = BfdState.DOWN;
            remoteMinRxUs = 1;
            remoteDemand = false;
            if (state == BfdState.INIT || state == BfdState.UP) change(BfdState.DOWN, BfdPacket.DIAG_DETECT_EXPIRED);
        }
        if (mayTransmit() && now - nextTxAt >= 0) {
            out.add(packet(polling, false));
            nextTxAt = now + jittered(txIntervalUs());
        }
        return out;
    }

    /** A packet for this session passed {@link BfdPacket#decode}: RFC 5880 6.8.6 from "your discriminator". */
    public List<BfdPacket> receive(BfdPacket p) {
        List<BfdPacket> out = new ArrayList<>(1);
        if (!started) return out;
        if (p.yourDisc() != 0 && p.yourDisc() != localDisc) return out;
        long now = clock.nanoTime();
        boolean wasSilent = !mayTransmit();
        long oldRemoteRx = remoteMinRxUs;
        remoteDisc = p.myDisc();
        remoteState = p.state();
        remoteDemand = p.demand();
        remoteMinRxUs = p.requiredMinRxUs();
        remoteDesiredTxUs = p.desiredMinTxUs();
        remoteMult = p.detectMult();
        if (p.fin() && polling) {
            polling = false;
            txInEffectUs = advTxUs;
        }
        detectAt = now + detectionTimeUs() * 1000;
        detectArmed = true;
        if (state == BfdState.ADMIN_DOWN) return out;
        if (p.state() == BfdState.ADMIN_DOWN) {
            if (state != BfdState.DOWN) change(BfdState.DOWN, BfdPacket.DIAG_NEIGHBOR_DOWN);
        } else if (state == BfdState.DOWN) {
            if (p.state() == BfdState.DOWN) change(BfdState.INIT, BfdPacket.DIAG_NONE);
            else if (p.state() == BfdState.INIT) change(BfdState.UP, BfdPacket.DIAG_NONE);
        } else if (state == BfdState.INIT) {
            if (p.state() == BfdState.INIT || p.state() == BfdState.UP) change(BfdState.UP, BfdPacket.DIAG_NONE);
        } else if (p.state() == BfdState.DOWN) {
            change(BfdState.DOWN, BfdPacket.DIAG_NEIGHBOR_DOWN);
        }
        if (p.poll()) out.add(packet(false, true)); // a Final at once, outside the transmit timer
        if (wasSilent && mayTransmit()) {
            nextTxAt = now; // passive end: the remote spoke first, answer now
        } else if (remoteMinRxUs > oldRemoteRx) {
            // the remote wants fewer packets: honour it from now on (RFC 5880 6.8.3)
            nextTxAt = Math.min(nextTxAt, now + jittered(txIntervalUs()));
        }
        return out;
    }

    /** AdminDown: tell the remote (diag 7) and stop taking part; packets keep going at the idle rate. */
    public void adminDown() {
        change(BfdState.ADMIN_DOWN, BfdPacket.DIAG_ADMIN_DOWN);
    }

    private void change(BfdState to, int newDiag) {
        BfdState from = state;
        if (from == to) return;
        state = to;
        diag = newDiag;
        long want = to == BfdState.UP ? minTxUs : idleTxUs;
        if (want != advTxUs) {
            advTxUs = want;
            if (to == BfdState.UP) {
                // RFC 5880 6.8.3: a changed interval is announced with a Poll; an increase waits for the Final
                polling = true;
                if (want < txInEffectUs) {
                    // we now promise the faster rate: the remote's detection time shrinks with it
                    txInEffectUs = want;
                    if (started) nextTxAt = Math.min(nextTxAt, clock.nanoTime() + jittered(txIntervalUs()));
                }
            } else {
                polling = false;
                txInEffectUs = want;
            }
        }
        if (listener != null) listener.stateChanged(this, from, to, newDiag);
    }

    private boolean mayTransmit() {
        if (!started) return false;
        if (cfg.passive() && remoteDisc == 0) return false;
        if (remoteMinRxUs == 0) return false;
        return !(remoteDemand && state == BfdState.UP && remoteState == BfdState.UP && !polling);
    }

    private long jittered(long intervalUs) {
        // RFC 5880 6.8.7: 0-25 % less, 10-25 % less with a multiplier of 1
        double cut = cfg.multiplier() == 1 ? 0.10 + random.nextDouble() * 0.15 : random.nextDouble() * 0.25;
        return (long) (intervalUs * (1 - cut) * 1000);
    }

    BfdPacket packet(boolean poll, boolean fin) {
        return new BfdPacket(diag, state, poll, fin, false, false, cfg.multiplier(), localDisc, remoteDisc, advTxUs,
                minRxUs, 0);
    }
}
