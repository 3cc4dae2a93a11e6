package org.jkeepalived.vrrp.io.nativeio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jkeepalived.vrrp.io.LinkInfo;
import org.jkeepalived.vrrp.io.LinkMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link LinkMonitor} on a netlink socket subscribed to RTMGRP_LINK, read by one daemon thread. */
public final class NetlinkLinkMonitor implements LinkMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkLinkMonitor.class);

    private final NetlinkSocket events;
    private final Map<String, LinkInfo> byName = new ConcurrentHashMap<>();
    private final Map<Integer, String> names = new ConcurrentHashMap<>();
    private final List<Consumer<LinkInfo>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private NetlinkLinkMonitor() throws IOException {
        // subscribe before the dump so no change falls between the two
        this.events = new NetlinkSocket(Nl.RTMGRP_LINK);
        try {
            resync(false);
        } catch (IOException | RuntimeException e) {
            events.close();
            throw e;
        }
        this.thread = new Thread(this::run, "vrrp-link-monitor");
        this.thread.setDaemon(true);
    }

    /** Opens the monitor and starts its thread. */
    public static NetlinkLinkMonitor open() throws IOException {
        NetlinkLinkMonitor m = new NetlinkLinkMonitor();
        m.thread.start();
        return m;
    }

    /** Reads every link afresh (at start, and after the kernel dropped notifications). */
    private void resync(boolean notify) throws IOException {
        try (NetlinkSocket req = new NetlinkSocket(0)) {
            int seq = NetlinkSocket.nextSeq();
            byte[] msg = new Nl.Builder(Nl.RTM_GETLINK, Nl.NLM_F_REQUEST | Nl.NLM_F_DUMP, seq)
                    .u8(0).u8(0).u16(0).u32(0).u32(0).u32(0).build();
            for (Nl.Msg m : req.dump(msg, seq)) {
                LinkInfo l = parseLink(m);
                if (l != null) {
                    update(l, notify);
                }
            }
        }
    }

    static LinkInfo parseLink(Nl.Msg m) {
        if ((m.type() != Nl.RTM_NEWLINK && m.type() != Nl.RTM_DELLINK) || m.body().length < 16) {
            return null;
        }
        ByteBuffer b = m.buf();
        int index = b.getInt(4);
        int flags = b.getInt(8);
        Map<Integer, byte[]> attrs = m.attrs(16);
        byte[] name = attrs.get(Nl.IFLA_IFNAME);
        if (name == null) {
            return null;
        }
        byte[] carrier = attrs.get(Nl.IFLA_CARRIER);
        boolean hasCarrier = carrier == null || carrier.length == 0 || carrier[0] != 0;
        if (m.type() == Nl.RTM_DELLINK) {
            flags = 0;
            hasCarrier = false;
        }
        return new LinkInfo(index, Nl.cString(name), flags, hasCarrier, attrs.get(Nl.IFLA_ADDRESS));
    }

    private void update(LinkInfo l, boolean notify) {
        String oldName = names.put(l.index(), l.name());
        if (oldName != null && !oldName.equals(l.name())) {
            byName.remove(oldName); // renamed
        }
        LinkInfo old = byName.put(l.name(), l);
        if (notify && !l.equals(old)) {
            if (old == null || old.usable() != l.usable()) {
                LOG.info("Netlink reports {} {}", l.name(), l.usable() ? "up" : "down");
            }
            notifyListeners(l);
        }
    }

    private void notifyListeners(LinkInfo l) {
        for (Consumer<LinkInfo> c : listeners) {
            try {
                c.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("link listener failed on {}", l.name(), e);
            }
        }
    }

    private void run() {
        while (true) {
            try {
                for (Nl.Msg m : events.read(-1)) {
                    LinkInfo l = parseLink(m);
                    if (l != null && m.type() == Nl.RTM_DELLINK) {
                        byName.remove(l.name(), byName.get(l.name()));
                        names.remove(l.index());
                        LOG.info("Netlink reports {} removed", l.name());
                        notifyListeners(l);
                    } else if (l != null) {
                        update(l, true);
                    }
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // ENOBUFS: the kernel dropped notifications; read the whole state again
                LOG.warn("link monitor: {} - re-reading all links", e.getMessage());
                try {
                    resync(true);
                } catch (IOException again) {
                    LOG.warn("link monitor: {}", again.getMessage());
                }
            }
        }
    }

    @Override
    public Optional<LinkInfo> link(String iface) {
        return Optional.ofNullable(byName.get(iface));
    }

    @Override
    public AutoCloseable subscribe(Consumer<LinkInfo> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        events.close();
    }
}
