package org.jkeepalived.ipvs.engine;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jkeepalived.core.config.L4Protocol;
import org.jkeepalived.core.config.LvsMethod;
import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;
import org.jkeepalived.core.time.MonotonicClock;

/**
 * For bench/engine-vs-haproxy.sh: one TCP virtual service built through the driver SPI.
 * Usage: EngineBenchMain VIP:PORT REAL:PORT [scheduler] [io-threads]
 * Prints "ready" once listening, then serves until killed.
 */
public final class EngineBenchMain {
    private EngineBenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: EngineBenchMain VIP:PORT REAL:PORT [scheduler] [io-threads]");
            System.exit(2);
        }
        String[] v = split(args[0]);
        String[] r = split(args[1]);
        String sched = args.length > 2 ? args[2] : "rr";
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        UserspaceEngine engine = new UserspaceEngine(EngineSettings.defaults().withIoThreads(threads),
                MonotonicClock.SYSTEM);
        ServiceKey key = ServiceKey.of(L4Protocol.TCP, InetAddress.getByName(v[0]), Integer.parseInt(v[1]));
        Destination d = new Destination(InetAddress.getByName(r[0]), Integer.parseInt(r[1]), LvsMethod.NAT, 1, 0, 0, null);
        engine.addService(new VirtualService(key, sched, List.of(), false, 0, null, null, List.of(d)));
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close));
        System.out.println("ready " + engine.transportName());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static String[] split(String hp) {
        int i = hp.lastIndexOf(':');
        return new String[] {hp.substring(0, i).replace("[", "").replace("]", ""), hp.substring(i + 1)};
    }
}
