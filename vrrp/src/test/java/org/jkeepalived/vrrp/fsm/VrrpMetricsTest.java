package org.jkeepalived.vrrp.fsm;

import static org.jkeepalived.vrrp.fsm.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.core.time.FakeClock;
import org.jkeepalived.vrrp.codec.RejectReason;
import org.jkeepalived.vrrp.codec.VrrpPacket;
import org.junit.jupiter.api.Test;

class VrrpMetricsTest {
    final SimpleMeterRegistry reg = new SimpleMeterRegistry();

    double counter(String name) {
        return reg.get(name).tags("iname", "VI_1", "intf", "eth0", "vrid", "51").counter().count();
    }

    double gauge(String name) {
        return reg.get(name).tags("iname", "VI_1", "intf", "eth0", "vrid", "51").gauge().value();
    }

    /** keepalived_vrrp_state: one series per VIP, as mehdy/keepalived-exporter labels it. */
    double state() {
        return reg.get("keepalived_vrrp_state").tags("iname", "VI_1", "intf", "eth0", "vrid", "51",
                "ip_address", "10.0.0.100").gauge().value();
    }

    @Test
    void countsWhatTheStateMachineDoes() {
        FakeClock c = new FakeClock();
        VrrpMetrics.Instance m = new VrrpMetrics(reg).instance("VI_1", "eth0", 51, 100);
        m.setVips(List.of(new VrrpMetrics.VipLabel("10.0.0.100", "eth0")));
        VrrpInstanceFsm f = new VrrpInstanceFsm(Fixtures.v3("VI_1", 100));
        m.record(f.start(c.nanoTime()));
        assertEquals(1.0, state());
        assertEquals(100.0, gauge("keepalived_vrrp_priority"));
        m.record(f.onAdvert(c.nanoTime(), VrrpPacket.v3(51, 150, 100, List.of(ip("10.0.0.100"))), ip("10.0.0.2")));
        m.record(f.onAdvert(c.nanoTime(), VrrpPacket.v3(51, 0, 100, List.of(ip("10.0.0.100"))), ip("10.0.0.2")));
        m.record(f.onAdvert(c.nanoTime(), VrrpPacket.v3(51, 150, 100, List.of(ip("10.9.9.9"))), ip("10.0.0.2")));
        c.advanceNanos(f.masterDownNanos());
        m.record(f.onTimer(c.nanoTime()));
        assertEquals(VrrpState.MASTER.number, (int) state());
        m.record(f.onPriorityChange(c.nanoTime(), 90));
        m.update(f);
        m.record(f.shutdown(c.nanoTime()));
        m.packetError(RejectReason.CHECKSUM_ERR);

        assertEquals(3.0, counter("keepalived_advert_rcvd"), "two valid ones and the address-list error, as keepalived counts");
        assertEquals(1.0, counter("keepalived_pri_zero_rcvd"));
        assertEquals(3.0, counter("keepalived_advert_sent"), "on becoming master, on priority drop, priority 0");
        assertEquals(1.0, counter("keepalived_pri_zero_sent"));
        assertEquals(1.0, counter("keepalived_become_master"));
        assertEquals(1.0, counter("keepalived_release_master"));
        assertEquals(1.0, counter("keepalived_addr_list_err"));
        assertEquals(1.0, counter("keepalived_checksum_err"));
        assertEquals(0.0, counter("keepalived_packet_len_err"));
        assertEquals(90.0, gauge("keepalived_vrrp_effective_priority"));
        assertEquals(0.0, state(), "STOP shows as 0");
    }

    @Test
    void stateHasOneSeriesPerVipFollowingReloads() {
        VrrpMetrics.Instance m = new VrrpMetrics(reg).instance("VI_1", "eth0", 51, 100);
        m.setVips(List.of(new VrrpMetrics.VipLabel("10.0.0.100", "eth0"), new VrrpMetrics.VipLabel("10.1.0.100", "eth1")));
        m.setState(VrrpState.MASTER);
        assertEquals(2, reg.find("keepalived_vrrp_state").gauges().size());
        assertEquals(2.0, reg.get("keepalived_vrrp_state").tags("ip_address", "10.1.0.100", "intf", "eth1").gauge().value());
        m.setVips(List.of(new VrrpMetrics.VipLabel("10.0.0.100", "eth0")));
        assertEquals(1, reg.find("keepalived_vrrp_state").gauges().size(), "a VIP dropped by a reload loses its series");
    }

    @Test
    void interfaceLevelErrorsUseTheSameNamesAndTagKeys() {
        VrrpMetrics vm = new VrrpMetrics(reg);
        vm.instance("VI_1", "eth0", 51, 100);
        vm.interfaceErrors("eth0").packetError(RejectReason.VRID_ERR);
        assertEquals(1.0, reg.get("keepalived_vrid_err").tags("iname", "", "intf", "eth0", "vrid", "").counter().count());
    }
}
