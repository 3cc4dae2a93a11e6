package org.jkeepalived.healthcheck;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/** {@link Scheduler} on one Netty event loop. */
public final class EventLoopScheduler implements Scheduler {
    private final EventLoop loop;

    public EventLoopScheduler(EventLoop loop) {
        this.loop = loop;
    }

    @Override public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override public Cancellable schedule(long delayNanos, Runnable task) {
        var f = loop.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override public boolean inScheduler() {
        return loop.inEventLoop();
    }
}
