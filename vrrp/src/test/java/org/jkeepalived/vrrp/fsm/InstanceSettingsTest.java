package org.jkeepalived.vrrp.fsm;

import static org.jkeepalived.vrrp.fsm.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.config.AuthType;
import org.jkeepalived.core.config.GlobalDefs;
import org.jkeepalived.core.config.StaticAddress;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.config.VrrpState;
import org.jkeepalived.vrrp.codec.DecodeResult;
import org.jkeepalived.vrrp.codec.VrrpCodec;
import org.jkeepalived.vrrp.codec.VrrpPacket;
import org.junit.jupiter.api.Test;

class InstanceSettingsTest {

    static StaticAddress vip(String a) {
        return new StaticAddress(ip(a), a.contains(":") ? 64 : 24, null, null, null, null, null, false, List.of());
    }

    static VrrpInstance vi(VrrpState state, int prio, Duration advert, int version, boolean nopreempt, Duration preemptDelay,
                           AuthType auth, String pass, Map<String, List<List<String>>> options) {
        return new VrrpInstance("VI_1", state, "eth0", 51, prio, advert, version, false, nopreempt, preemptDelay, false,
                auth, pass, null, ip("192.168.1.10"), List.of(), List.of(vip("10.0.0.100"), vip("2001:db8::1"), vip("10.0.0.101")),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), false, null, false,
                Duration.ofSeconds(5), 5, Duration.ZERO, 1, Duration.ZERO, 1, null, null, null, null, null, false,
                null, false, false, options);
    }

    static GlobalDefs globals(boolean strict) {
        return globals(strict, Map.of());
    }

    static GlobalDefs globals(boolean strict, Map<String, List<List<String>>> options) {
        return new GlobalDefs("r1", List.of(), null, null, null, false, null, null, 2, strict, null, null, null, 5,
                null, 1, null, null, false, false, false, null, null, null, null, null, null, null, null, null, false, false, null, options);
    }

    /** global_defs' vrrp_lower_prio_no_advert, vrrp_higher_prio_send_advert, vrrp_down_timer_adverts: the instances' defaults. */
    @Test
    void globalDefaultsForTheInstanceOptions() {
        GlobalDefs g = globals(false, Map.of("vrrp_lower_prio_no_advert", List.of(List.of()),
                "vrrp_higher_prio_send_advert", List.of(List.of()), "vrrp_down_timer_adverts", List.of(List.of("5"))));
        InstanceSettings s = InstanceSettings.from(vi(null, 100, Duration.ofSeconds(1), 3, false, Duration.ZERO,
                AuthType.NONE, null, Map.of()), g);
        assertTrue(s.lowerPrioNoAdvert());
        assertTrue(s.higherPrioSendAdvert());
        assertEquals(5, s.downTimerAdverts());
        s = InstanceSettings.from(vi(null, 100, Duration.ofSeconds(1), 3, false, Duration.ZERO, AuthType.NONE, null,
                Map.of("lower_prio_no_advert", List.of(List.of("false")), "higher_prio_send_advert", List.of(List.of("false")),
                        "down_timer_adverts", List.of(List.of("2")))), g);
        assertFalse(s.lowerPrioNoAdvert());
        assertFalse(s.higherPrioSendAdvert());
        assertEquals(2, s.downTimerAdverts(), "the instance's own value wins");
    }

    /** As keepalived 2.2.7's -t reports it (checked there). */
    @Test
    void ahWithStateMasterStartsBackupAndKeepsNopreempt() {
        InstanceSettings s = InstanceSettings.from(vi(VrrpState.MASTER, 100, Duration.ofSeconds(1), 2, true, Duration.ZERO,
                AuthType.AH, "s3cret", Map.of()), globals(false));
        assertEquals(AuthType.AH, s.authType());
        assertEquals(VrrpState.BACKUP, s.initialState());
        assertTrue(s.nopreempt(), "the AH rule comes first: nopreempt is not cleared");
        assertEquals(VrrpPacket.AUTH_AH, s.advert(100).authType());
        // without auth_pass the authentication is ignored: MASTER stays, nopreempt is cleared
        s = InstanceSettings.from(vi(VrrpState.MASTER, 100, Duration.ofSeconds(1), 2, true, Duration.ZERO,
                AuthType.AH, null, Map.of()), globals(false));
        assertEquals(AuthType.NONE, s.authType());
        assertEquals(VrrpState.MASTER, s.initialState());
        assertFalse(s.nopreempt());
        // version 3 has no authentication
        s = InstanceSettings.from(vi(VrrpState.MASTER, 100, Duration.ofSeconds(1), 3, false, Duration.ZERO,
                AuthType.AH, "s3cret", Map.of()), globals(false));
        assertEquals(AuthType.NONE, s.authType());
        assertEquals(VrrpState.MASTER, s.initialState());
    }

    @Test
    void strictModeStartsOnlyTheAddressOwnerAsMaster() {
        InstanceSettings s = InstanceSettings.from(vi(VrrpState.MASTER, 150, Duration.ofSeconds(1), 3, false, Duration.ZERO,
                null, null, Map.of()), globals(true));
        assertEquals(VrrpState.BACKUP, s.initialState());
        s = InstanceSettings.from(vi(VrrpState.MASTER, 255, Duration.ofSeconds(1), 3, false, Duration.ZERO,
                null, null, Map.of()), globals(true));
        assertEquals(VrrpState.MASTER, s.initialState());
        s = InstanceSettings.from(vi(VrrpState.MASTER, 150, Duration.ofSeconds(1), 3, false, Duration.ZERO,
                null, null, Map.of()), globals(false));
        assertEquals(VrrpState.MASTER, s.initialState());
    }

    @Test
    void v2FromConfig() {
        InstanceSettings s = InstanceSettings.from(vi(null, 100, Duration.ofMillis(1400), 2, true, Duration.ofSeconds(30),
                AuthType.PASS, "longpassword", Map.of()), globals(false));
        assertEquals(100, s.advertIntervalCentis(), "v2 rounds to whole seconds");
        assertEquals(VrrpState.BACKUP, s.initialState());
        assertTrue(s.nopreempt());
        assertEquals(Duration.ofSeconds(30), s.preemptDelay());
        assertEquals(List.of(ip("10.0.0.100"), ip("10.0.0.101")), s.virtualAddresses(), "IPv4 instance: IPv4 VIPs");
        assertArrayEquals("longpass".getBytes(StandardCharsets.US_ASCII), s.authData());
        assertEquals(ip("192.168.1.10"), s.primaryAddress(), "unicast_src_ip");
        assertFalse(s.acceptMode());
        assertFalse(s.lowerPrioNoAdvert());
        VrrpPacket p = s.advert(100);
        InetAddress src = ip("192.168.1.10");
        DecodeResult r = VrrpCodec.decode(VrrpCodec.encode(p, src, ip("224.0.0.18")), src, ip("224.0.0.18"), 255);
        assertTrue(r.ok());
        assertEquals(null, AdvertFilter.check(s, r.packet(), src, null), "our own advert passes our checks");
    }

    @Test
    void stateMasterClearsNopreemptAndPreemptDelay() {
        InstanceSettings s = InstanceSettings.from(vi(VrrpState.MASTER, 200, Duration.ofMillis(50), 3, true,
                Duration.ofSeconds(5), AuthType.NONE, null, Map.of()), globals(false));
        assertFalse(s.nopreempt());
        assertEquals(Duration.ZERO, s.preemptDelay());
        assertEquals(5, s.advertIntervalCentis());
        assertEquals(3, s.advert(200).version());
    }

    @Test
    void lowerPrioNoAdvertFromOptionOrStrictMode() {
        assertTrue(InstanceSettings.from(vi(null, 100, Duration.ofSeconds(1), 3, false, Duration.ZERO, AuthType.NONE, null,
                Map.of()), globals(true)).lowerPrioNoAdvert());
        assertTrue(InstanceSettings.from(vi(null, 100, Duration.ofSeconds(1), 3, false, Duration.ZERO, AuthType.NONE, null,
                Map.of("lower_prio_no_advert", List.of(List.of()))), globals(false)).lowerPrioNoAdvert());
        assertFalse(InstanceSettings.from(vi(null, 100, Duration.ofSeconds(1), 3, false, Duration.ZERO, AuthType.NONE, null,
                Map.of("lower_prio_no_advert", List.of(List.of("false")))), globals(true)).lowerPrioNoAdvert());
        assertEquals(4, InstanceSettings.from(vi(null, 100, Duration.ofSeconds(1), 3, false, Duration.ZERO, AuthType.NONE,
                null, Map.of("down_timer_adverts", List.of(List.of("4")))), globals(false)).downTimerAdverts());
    }

    @Test
    void ownerAlwaysAccepts() {
        InstanceSettings s = InstanceSettings.from(vi(VrrpState.MASTER, 255, Duration.ofSeconds(1), 3, false,
                Duration.ZERO, AuthType.NONE, null, Map.of()), globals(false));
        assertTrue(s.acceptMode());
        assertTrue(s.addressOwner());
    }

    /** keepalived 2.2.7: strict mode clears accept for VRRPv2 only (RFC 3768 has no Accept Mode). */
    @Test
    void strictModeClearsAcceptForVersion2Only() {
        assertFalse(InstanceSettings.from(accepting(2), globals(true)).acceptMode());
        assertTrue(InstanceSettings.from(accepting(3), globals(true)).acceptMode());
        assertTrue(InstanceSettings.from(accepting(2), globals(false)).acceptMode());
    }

    private static VrrpInstance accepting(int version) {
        return new VrrpInstance("VI_1", null, "eth0", 51, 100, Duration.ofSeconds(1), version, false, false,
                Duration.ZERO, true, AuthType.NONE, null, null, null, List.of(), List.of(vip("10.0.0.100")),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), false, null, false,
                Duration.ofSeconds(5), 5, Duration.ZERO, 1, Duration.ZERO, 1, null, null, null, null, null, false,
                null, false, false, Map.of());
    }
}
