package org.jkeepalived.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dump files in the layout keepalived writes and exporters (mehdy/keepalived-exporter...) parse. */
class DumpsTest {
    static final JsonNode STATUS;

    static {
        try {
            STATUS = new ObjectMapper().readTree("""
                    {"version":"0.1.0","config":"/etc/keepalived/keepalived.conf","vrrp_instances":[{
                      "data":{"iname":"VI_1","ifp_ifname":"eth0","vrid":51,"state":2,"wantstate":1,"base_priority":150,
                              "effective_priority":140,"adver_int":1,"master_adver_int":1,"version":2,"accept":1,
                              "garp_delay":5,"vips":["10.0.0.100/24 dev eth0 scope global","10.0.0.101/24 dev eth0 scope global"]},
                      "stats":{"advert_rcvd":7,"advert_sent":42,"become_master":1,"release_master":0,"packet_len_err":0,
                               "ip_ttl_err":3,"invalid_type_rcvd":0,"advert_interval_err":0,"addr_list_err":0,
                               "invalid_authtype":0,"authtype_mismatch":0,"auth_failure":0,"pri_zero_rcvd":1,"pri_zero_sent":0}}]}
                    """);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test void dataNamesStateVridInterfaceAndOneVipPerLine() throws Exception {
        List<String> lines = Dumps.render(Dumps.Kind.DATA, STATUS).lines().toList();
        int at = lines.indexOf(" VRRP Instance = VI_1");
        assertTrue(at >= 0, lines.toString());
        List<String> inst = lines.subList(at + 1, lines.size());
        assertTrue(inst.contains("   State = MASTER"), inst.toString());
        assertTrue(inst.contains("   Wantstate = BACKUP"));
        assertTrue(inst.contains("   Interface = eth0"));
        assertTrue(inst.contains("   Virtual Router ID = 51"));
        assertTrue(inst.contains("   Gratuitous ARP delay = 5"));
        int vips = inst.indexOf("   Virtual IP (2):");
        assertEquals("     10.0.0.100/24 dev eth0 scope global", inst.get(vips + 1));
        assertEquals("     10.0.0.101/24 dev eth0 scope global", inst.get(vips + 2));
    }

    @Test void statsHaveKeepalivedsSectionsAndCounters() throws Exception {
        assertEquals("""
                VRRP Instance: VI_1
                  Advertisements:
                    Received: 7
                    Sent: 42
                  Became master: 1
                  Released master: 0
                  Packet Errors:
                    Length: 0
                    TTL: 3
                    Invalid Type: 0
                    Advertisement Interval: 0
                    Address List: 0
                  Authentication Errors:
                    Invalid Type: 0
                    Type Mismatch: 0
                    Failure: 0
                  Priority Zero:
                    Received: 1
                    Sent: 0
                """, Dumps.render(Dumps.Kind.STATS, STATUS));
    }
}
