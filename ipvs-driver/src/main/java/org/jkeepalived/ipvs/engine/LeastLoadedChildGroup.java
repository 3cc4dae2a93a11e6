package org.jkeepalived.ipvs.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Where an accepted TCP connection lives: the child group of every listener. One loop accepts for a
 * service (or, with a listener per loop, the kernel's SO_REUSEPORT hash picks the loop blind to load,
 * so one can hold clearly more connections than another); a connection goes to the loop holding the
 * fewest proxied connections, as HAProxy hands a connection to its least loaded thread. Within
 * {@link #MARGIN} of the least loaded the accepting loop keeps it: no hand-over between threads.
 */
final class LeastLoadedChildGroup extends AbstractEventExecutorGroup implements EventLoopGroup {
    /** How many more connections than the least loaded loop the accepting loop may hold and still keep one. */
    static final int MARGIN = 1;

    private final EventLoopGroup group;
    private final EventLoop[] loops;
    /** Proxied TCP connections per loop, in {@link #loops}' order. */
    private final AtomicIntegerArray load;
    /** Off while AcceptSteering (opt-in) gathers new connections on the first loop on purpose. */
    private volatile boolean balancing = true;

    LeastLoadedChildGroup(EventLoopGroup group) {
        this.group = group;
        List<EventLoop> ls = new ArrayList<>();
        group.forEach(e -> ls.add((EventLoop) e));
        this.loops = ls.toArray(new EventLoop[0]);
        this.load = new AtomicIntegerArray(loops.length);
    }

    /**
     * The loop for a new connection: the {@code current} one (the accepting loop, -1 if none) unless
     * it holds more than {@code margin} connections beyond the least loaded; else the least loaded
     * (the first of equals).
     */
    static int choose(int[] loads, int current, int margin) {
        int min = 0;
        for (int i = 1; i < loads.length; i++) {
            if (loads[i] < loads[min]) min = i;
        }
        return current >= 0 && loads[current] <= loads[min] + margin ? current : min;
    }

    void balance(boolean on) {
        balancing = on;
    }

    void closed(EventLoop l) {
        int i = indexOf(l);
        if (i >= 0) load.decrementAndGet(i);
    }

    private int indexOf(EventLoop l) {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == l) return i;
        }
        return -1;
    }

    /**
     * The loop for a connection accepted on the current thread (see {@link #choose(int[], int, int)}),
     * counted there at once: the next choices of a burst of accepts must see it, not only once that
     * loop got round to the connection ({@link #closed} when it ends).
     */
    EventLoop assign() {
        int[] now = new int[loops.length];
        int current = -1;
        for (int i = 0; i < loops.length; i++) {
            now[i] = load.get(i);
            if (loops[i].inEventLoop()) current = i;
        }
        int i = choose(now, current, balancing ? MARGIN : Integer.MAX_VALUE / 2);
        load.incrementAndGet(i);
        return loops[i];
    }

    @Override public ChannelFuture register(Channel channel) {
        return assign().register(channel);
    }

    @Override public ChannelFuture register(ChannelPromise promise) {
        return assign().register(promise);
    }

    @Deprecated
    @Override public ChannelFuture register(Channel channel, ChannelPromise promise) {
        return assign().register(channel, promise);
    }

    // everything else is the engine's group: its life cycle is the engine's, not the listeners'

    @Override public EventLoop next() {
        return group.next();
    }

    @Override public Iterator<EventExecutor> iterator() {
        return group.iterator();
    }

    @Override public boolean isShuttingDown() {
        return group.isShuttingDown();
    }

    @Override public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        return group.shutdownGracefully(quietPeriod, timeout, unit);
    }

    @Override public Future<?> terminationFuture() {
        return group.terminationFuture();
    }

    @Deprecated
    @Override public void shutdown() {
        group.shutdown();
    }

    @Override public boolean isShutdown() {
        return group.isShutdown();
    }

    @Override public boolean isTerminated() {
        return group.isTerminated();
    }

    @Override public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return group.awaitTermination(timeout, unit);
    }
}
