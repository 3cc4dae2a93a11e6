package org.jkeepalived.ipvs.engine;

import org.jkeepalived.ipvs.LvsBackend;

/**
 * The kernel's rate estimator (ip_vs_est.c): every 2 seconds the counter deltas, scaled, are folded
 * into an average that moves a quarter of the way to the new rate. Reads unscale with rounding as
 * ip_vs_read_estimator does.
 */
final class Estimator {
    private long lastConns, lastInPkts, lastOutPkts, lastInBytes, lastOutBytes;
    private long cps, inPps, outPps, inBps, outBps;

    /** One 2-second tick with the counters' current totals. */
    synchronized void tick(long conns, long inPkts, long outPkts, long inBytes, long outBytes) {
        cps += (((conns - lastConns) << 9) - cps) >> 2;
        inPps += (((inPkts - lastInPkts) << 9) - inPps) >> 2;
        outPps += (((outPkts - lastOutPkts) << 9) - outPps) >> 2;
        inBps += (((inBytes - lastInBytes) << 4) - inBps) >> 2;
        outBps += (((outBytes - lastOutBytes) << 4) - outBps) >> 2;
        lastConns = conns;
        lastInPkts = inPkts;
        lastOutPkts = outPkts;
        lastInBytes = inBytes;
        lastOutBytes = outBytes;
    }

    synchronized LvsBackend.Counters counters(long conns, long inPkts, long outPkts, long inBytes, long outBytes) {
        return new LvsBackend.Counters(conns, inPkts, outPkts, inBytes, outBytes,
                (cps + 0x1FF) >> 10, (inPps + 0x1FF) >> 10, (outPps + 0x1FF) >> 10,
                (inBps + 0xF) >> 5, (outBps + 0xF) >> 5);
    }
}
