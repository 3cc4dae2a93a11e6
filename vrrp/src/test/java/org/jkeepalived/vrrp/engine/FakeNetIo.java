package org.jkeepalived.vrrp.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jkeepalived.vrrp.io.AddressManager;
import org.jkeepalived.vrrp.io.GratuitousArp;
import org.jkeepalived.vrrp.io.InterfaceAddress;
import org.jkeepalived.vrrp.io.LinkInfo;
import org.jkeepalived.vrrp.io.LinkMonitor;
import org.jkeepalived.vrrp.io.NetIo;
import org.jkeepalived.vrrp.io.ProcInfo;
import org.jkeepalived.vrrp.io.ProcessEvent;
import org.jkeepalived.vrrp.io.ProcessMonitor;
import org.jkeepalived.vrrp.io.ReceivedPacket;
import org.jkeepalived.vrrp.io.VipAddress;
import org.jkeepalived.vrrp.io.VrrpSocket;
import org.jkeepalived.vrrp.io.VrrpSocketConfig;

/**
 * An in-memory {@link NetIo}: one host's interfaces, addresses and links, with its VRRP sockets
 * plugged into a shared {@link Wire} that delivers every sent packet to the other hosts' sockets
 * of the same family (TTL 255 unless the test injects otherwise).
 */
final class FakeNetIo implements NetIo {
    /** A broadcast domain joining several fake hosts. */
    static final class Wire {
        final List<FakeSocket> sockets = new CopyOnWriteArrayList<>();
        final List<Sent> sent = new CopyOnWriteArrayList<>();

        void deliver(FakeSocket from, byte[] vrrp, InetAddress src, InetAddress dst) {
            sent.add(new Sent(from.host, vrrp.clone(), src, dst, System.nanoTime()));
            for (FakeSocket s : sockets) {
                if (s != from && s.config().ipv6() == from.config().ipv6() && s.config().protocol() == from.config().protocol()
                        && s.host.linkUp(s.config().iface())) {
                    s.inbox.add(new ReceivedPacket(src, dst, 255, 1, vrrp.clone(), System.nanoTime()));
                }
            }
        }

        /** Puts a packet in front of every socket (as from a foreign host). */
        void inject(ReceivedPacket p) {
            for (FakeSocket s : sockets) {
                s.inbox.add(p);
            }
        }
    }

    /** @param nanos System.nanoTime() of the send, so tests can tell a starved sender from a bug. */
    record Sent(FakeNetIo host, byte[] vrrp, InetAddress src, InetAddress dst, long nanos) {}

    /**
     * The longest silence (ns) between adverts of {@code host} for {@code vrid} from {@code fromNanos}
     * to now: when it reaches Master_Down_Interval a backup taking over is the machine's fault (a
     * scheduling stall), not the engine's.
     */
    long maxAdvertGapNanos(int vrid, long fromNanos) {
        long last = fromNanos;
        long max = 0;
        for (Sent s : wire.sent) {
            if (s.host() == this && (s.vrrp()[1] & 0xff) == vrid && s.nanos() >= fromNanos) {
                max = Math.max(max, s.nanos() - last);
                last = s.nanos();
            }
        }
        return Math.max(max, System.nanoTime() - last);
    }

    final String name;
    final Wire wire;
    final Map<String, List<InterfaceAddress>> addresses = new ConcurrentHashMap<>();
    final Map<String, LinkInfo> links = new ConcurrentHashMap<>();
    final List<Consumer<LinkInfo>> listeners = new CopyOnWriteArrayList<>();
    final List<String> announced = new CopyOnWriteArrayList<>();
    /** Every address change, in order: "+10.0.0.100" / "-10.0.0.100". */
    final List<String> addressOps = new CopyOnWriteArrayList<>();
    /**
     * Every no_accept filter call, in order: "block VI_1 10.0.0.100 10.0.0.101 @N", "unblock VI_1 @N",
     * "clear @N", N being how many address changes preceded it (rule-before-VIP ordering).
     */
    final List<String> filterOps = new CopyOnWriteArrayList<>();

    /** The host's processes: tests start and end them, subscribers hear of it as from the kernel. */
    static final class FakeProcesses implements ProcessMonitor {
        final Map<Integer, ProcInfo> table = new ConcurrentHashMap<>();
        final List<Consumer<ProcessEvent>> listeners = new CopyOnWriteArrayList<>();

        synchronized void exec(int pid, ProcInfo info) {
            table.put(pid, info);
            send(new ProcessEvent.Exec(pid, info));
        }

        synchronized void fork(int parent, int child) {
            table.put(child, table.get(parent));
            send(new ProcessEvent.Fork(parent, child));
        }

        synchronized void exit(int pid) {
            table.remove(pid);
            send(new ProcessEvent.Exit(pid));
        }

        private void send(ProcessEvent e) {
            for (Consumer<ProcessEvent> l : listeners) l.accept(e);
        }

        /** How many times someone subscribed (each one a full scan on a real monitor). */
        int subscriptions;

        @Override
        public synchronized AutoCloseable subscribe(boolean cmdline, Consumer<ProcessEvent> listener) {
            subscriptions++;
            listener.accept(new ProcessEvent.Snapshot(Map.copyOf(table)));
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        @Override
        public void close() {
        }
    }

    final FakeProcesses processes = new FakeProcesses();

    @Override
    public ProcessMonitor processes(ProcessMonitor.Settings settings) {
        return processes;
    }

    FakeNetIo(String name, Wire wire) {
        this.name = name;
        this.wire = wire;
    }

    FakeNetIo iface(String ifname, int index, String... cidrs) throws IOException {
        links.put(ifname, new LinkInfo(index, ifname, LinkInfo.IFF_UP | LinkInfo.IFF_RUNNING, true,
                new byte[]{2, 0, 0, 0, 0, (byte) index}));
        List<InterfaceAddress> l = new CopyOnWriteArrayList<>();
        for (String c : cidrs) {
            String[] p = c.split("/");
            l.add(new InterfaceAddress(index, InetAddress.getByName(p[0]), Integer.parseInt(p[1]), 0, null, null, 0));
        }
        addresses.put(ifname, l);
        return this;
    }

    /** An interface that appears while running (RTM_NEWLINK): added, then the link listeners hear of it. */
    void appear(String ifname, int index, String... cidrs) throws IOException {
        iface(ifname, index, cidrs);
        LinkInfo l = links.get(ifname);
        for (Consumer<LinkInfo> c : listeners) {
            c.accept(l);
        }
    }

    /** An interface deleted while running (RTM_DELLINK): gone with its addresses, listeners told. */
    void vanish(String ifname) {
        LinkInfo old = links.remove(ifname);
        addresses.remove(ifname);
        LinkInfo gone = new LinkInfo(old.index(), ifname, 0, false, old.mac());
        for (Consumer<LinkInfo> c : listeners) {
            c.accept(gone);
        }
    }

    /** How many announcements of this address were made so far. */
    long announcements(String ip) {
        return announced.stream().filter(s -> s.endsWith(" " + ip)).count();
    }

    boolean linkUp(String ifname) {
        LinkInfo l = links.get(ifname);
        return l != null && l.usable();
    }

    void setLink(String ifname, boolean up) {
        LinkInfo old = links.get(ifname);
        LinkInfo l = new LinkInfo(old.index(), ifname, up ? LinkInfo.IFF_UP | LinkInfo.IFF_RUNNING : LinkInfo.IFF_UP,
                up, old.mac());
        links.put(ifname, l);
        for (Consumer<LinkInfo> c : listeners) {
            c.accept(l);
        }
    }

    boolean has(String ifname, String ip) throws IOException {
        InetAddress a = InetAddress.getByName(ip);
        return addresses.get(ifname).stream().anyMatch(x -> x.address().equals(a));
    }

    final class FakeSocket implements VrrpSocket {
        final FakeNetIo host = FakeNetIo.this;
        final VrrpSocketConfig config;
        final LinkedBlockingQueue<ReceivedPacket> inbox = new LinkedBlockingQueue<>();
        volatile boolean closed;

        FakeSocket(VrrpSocketConfig config) {
            this.config = config;
        }

        @Override
        public void send(byte[] vrrp, InetAddress source, InetAddress destination) throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (!linkUp(config.iface())) {
                throw new IOException("Network is down");
            }
            wire.deliver(this, vrrp, source, destination);
        }

        @Override
        public ReceivedPacket receive(Duration timeout) throws IOException {
            try {
                while (!closed) {
                    ReceivedPacket p = inbox.poll(50, TimeUnit.MILLISECONDS);
                    if (p != null) {
                        return p;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new ClosedChannelException();
        }

        @Override
        public VrrpSocketConfig config() {
            return config;
        }

        @Override
        public void close() {
            closed = true;
            wire.sockets.remove(this);
        }
    }

    @Override
    public VrrpSocket openVrrpSocket(VrrpSocketConfig config) throws IOException {
        if (!links.containsKey(config.iface())) {
            throw new IOException("interface " + config.iface() + " does not exist");
        }
        FakeSocket s = new FakeSocket(config);
        wire.sockets.add(s);
        return s;
    }

    private final AddressManager addressManager = new AddressManager() {
        @Override
        public boolean add(VipAddress vip) throws IOException {
            List<InterfaceAddress> l = addresses.get(vip.dev());
            if (l == null) {
                throw new IOException("no " + vip.dev());
            }
            if (l.stream().anyMatch(a -> a.address().equals(vip.address()))) {
                return false;
            }
            l.add(new InterfaceAddress(links.get(vip.dev()).index(), vip.address(), vip.prefix(), vip.scope(),
                    vip.label(), vip.broadcast(), InterfaceAddress.IFA_F_SECONDARY));
            addressOps.add("+" + vip.address().getHostAddress());
            return true;
        }

        @Override
        public boolean remove(VipAddress vip) throws IOException {
            List<InterfaceAddress> l = addresses.get(vip.dev());
            boolean removed = l != null && l.removeIf(a -> a.address().equals(vip.address()));
            if (removed) {
                addressOps.add("-" + vip.address().getHostAddress());
            }
            return removed;
        }

        @Override
        public List<InterfaceAddress> list(String iface) throws IOException {
            List<InterfaceAddress> l = addresses.get(iface);
            if (l == null) {
                throw new IOException("no " + iface);
            }
            return new ArrayList<>(l);
        }
    };

    @Override
    public AddressManager addresses() {
        return addressManager;
    }

    @Override
    public LinkMonitor links() {
        return new LinkMonitor() {
            @Override
            public Optional<LinkInfo> link(String iface) {
                return Optional.ofNullable(links.get(iface));
            }

            @Override
            public AutoCloseable subscribe(Consumer<LinkInfo> listener) {
                listeners.add(listener);
                return () -> listeners.remove(listener);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public org.jkeepalived.vrrp.io.VipFilter vipFilter() {
        return new org.jkeepalived.vrrp.io.VipFilter() {
            @Override
            public void block(String instance, List<VipAddress> vips) {
                StringBuilder b = new StringBuilder("block ").append(instance);
                for (VipAddress v : vips) {
                    b.append(' ').append(v.address().getHostAddress());
                }
                filterOps.add(b.append(" @").append(addressOps.size()).toString());
            }

            @Override
            public void unblock(String instance) {
                filterOps.add("unblock " + instance + " @" + addressOps.size());
            }

            @Override
            public void clear() {
                filterOps.add("clear @" + addressOps.size());
            }
        };
    }

    @Override
    public GratuitousArp gratuitousArp() {
        return new GratuitousArp() {
            @Override
            public void announce(String iface, InetAddress address) {
                announced.add(iface + " " + address.getHostAddress());
            }

            @Override
            public void close() {
            }
        };
    }

    /** virtual_rules installed now, as their toString(). */
    final List<String> rules = new CopyOnWriteArrayList<>();
    /** VMAC operations in order: "+vrrp.51@eth0 00:00:5e:00:01:33" / "-vrrp.51". */
    final List<String> vmacOps = new CopyOnWriteArrayList<>();

    @Override
    public org.jkeepalived.vrrp.io.RuleManager rules() {
        return new org.jkeepalived.vrrp.io.RuleManager() {
            @Override
            public boolean add(org.jkeepalived.vrrp.io.VirtualRule r) {
                if (rules.contains(r.toString())) {
                    return false;
                }
                return rules.add(r.toString());
            }

            @Override
            public boolean remove(org.jkeepalived.vrrp.io.VirtualRule r) {
                return rules.remove(r.toString());
            }
        };
    }

    /** A VMAC is a new link (index 100 + VRID) with the virtual MAC and no address. */
    @Override
    public org.jkeepalived.vrrp.io.VmacManager vmacs() {
        return new org.jkeepalived.vrrp.io.VmacManager() {
            @Override
            public void create(org.jkeepalived.vrrp.io.Vmac v) throws IOException {
                if (!links.containsKey(v.base())) {
                    throw new IOException("no " + v.base());
                }
                vmacOps.add("+" + v.name() + "@" + v.base() + " " + v.macString());
                links.put(v.name(), new LinkInfo(100 + v.vrid(), v.name(), LinkInfo.IFF_UP | LinkInfo.IFF_RUNNING,
                        true, v.mac()));
                addresses.put(v.name(), new CopyOnWriteArrayList<>());
            }

            @Override
            public boolean remove(String name) {
                vmacOps.add("-" + name);
                addresses.remove(name);
                return links.remove(name) != null;
            }
        };
    }

    @Override
    public void close() {
    }
}
