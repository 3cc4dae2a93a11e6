package org.jkeepalived.core.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jkeepalived.core.config.Checker;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigMapperTest {
    private static final String CONF = "vrrp_instance V {\n interface eth0\n virtual_router_id 3\n advert_int 0.25\n"
            + " virtual_ipaddress {\n  2001:db8:0:0:0:0:0:1/64\n }\n}\n"
            + "virtual_server 10.0.0.1 53 {\n protocol UDP\n lb_algo rr\n lb_kind NAT\n real_server 10.0.1.1 53 {\n  UDP_CHECK {\n"
            + "   payload 00ff10\n  }\n }\n}\n";

    @Test
    void readableScalars() {
        KeepalivedConfig c = TestSupport.ok(CONF);
        String yaml = ConfigMapper.toYaml(c);
        assertTrue(yaml.contains("advertInt: 0.25"), yaml);
        assertTrue(yaml.contains("address: 2001:db8::1"), yaml);
        assertTrue(yaml.contains("payload: 00ff10"), yaml);
        assertTrue(yaml.contains("type: UDP_CHECK"), yaml);
        assertTrue(!yaml.startsWith("---"));
        String json = ConfigMapper.toJson(c);
        assertTrue(json.contains("\"advertInt\" : 0.25"), json);
    }

    @Test
    void roundTrips() throws Exception {
        KeepalivedConfig c = TestSupport.ok(CONF);
        KeepalivedConfig y = ConfigMapper.fromYaml(ConfigMapper.toYaml(c));
        assertEquals(c, y);
        assertEquals(c, ConfigMapper.fromJson(ConfigMapper.toJson(c)));
        Checker.UdpCheck u = (Checker.UdpCheck) y.virtualServers().get(0).realServers().get(0).checkers().get(0);
        assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10}, u.payload());
    }

    @Test
    void yamlSpecialStringsSurvive() throws Exception {
        KeepalivedConfig c = TestSupport.ok("global_defs {\n router_id null\n}\nvrrp_script s {\n"
                + " script /bin/x yes no on off true null ~ '- a' ': b' '#c' '' 0x10 1e3 '{' \"'q'\" 007\n}\n"
                + "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n authentication {\n  auth_pass \"*&!|>\"\n }\n}\n");
        assertEquals(c, ConfigMapper.fromYaml(ConfigMapper.toYaml(c)));
        assertEquals(c, ConfigMapper.fromJson(ConfigMapper.toJson(c)));
        assertEquals("null", c.globalDefs().routerId());
    }

    @Test
    void handWrittenYaml() throws Exception {
        KeepalivedConfig c = ConfigMapper.fromYaml("vrrpInstances:\n- name: X\n  iface: eth0\n  virtualRouterId: 9\n"
                + "  priority: 120\n  advertInt: \"1.5\"\n  unicastSrcIp: 10.0.0.1\n");
        assertEquals(Duration.ofMillis(1500), c.vrrpInstances().get(0).advertInt());
        assertEquals(Addresses.parse("10.0.0.1"), c.vrrpInstances().get(0).unicastSrcIp());
        assertTrue(c.vrrpInstances().get(0).virtualIpaddresses().isEmpty());
        assertNull(c.globalDefs());
    }

    @Test
    void rejectsGarbage() {
        assertThrows(Exception.class, () -> ConfigMapper.fromYaml("vrrpInstances:\n- unicastSrcIp: not-an-ip\n"));
        assertThrows(Exception.class, () -> ConfigMapper.fromYaml("nonsense: 1\n"));
        assertThrows(Exception.class, () -> ConfigMapper.fromYaml("vrrpInstances:\n- advertInt: soon\n"));
    }

    @Test
    void loaderReadsYamlAndJsonDumps(@TempDir Path dir) throws Exception {
        KeepalivedConfig c = TestSupport.ok(CONF);
        Path y = dir.resolve("k.yaml");
        Files.writeString(y, ConfigMapper.toYaml(c));
        Path yml = dir.resolve("k.yml");
        Files.writeString(yml, ConfigMapper.toYaml(c));
        Path j = dir.resolve("k.json");
        Files.writeString(j, ConfigMapper.toJson(c));
        assertEquals(c, ConfigLoader.load(y, LoadOptions.DEFAULT).config());
        assertEquals(c, ConfigLoader.load(yml, LoadOptions.DEFAULT).config());
        assertEquals(c, ConfigLoader.load(j, LoadOptions.DEFAULT).config());
        Path bare = dir.resolve("bare.yml");
        Files.writeString(bare, "vrrpInstances: []\n");
        assertEquals(TestSupport.ok("").globalDefs(), ConfigLoader.load(bare, LoadOptions.DEFAULT).config().globalDefs());
    }

    @Test
    void addresses() {
        assertEquals("::", Addresses.format(Addresses.parse("::")));
        assertEquals("::1", Addresses.format(Addresses.parse("0:0:0:0:0:0:0:1")));
        assertEquals("2001:db8::1:0:0:1", Addresses.format(Addresses.parse("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:0:0:1::", Addresses.format(Addresses.parse("2001:0:0:1:0:0:0:0")));
        assertEquals("fe80::1", Addresses.format(Addresses.parse("fe80::1%eth0")));
        assertEquals("10.0.0.1", Addresses.format(Addresses.parse("::ffff:10.0.0.1")));
        assertEquals("64:ff9b::a00:1", Addresses.format(Addresses.parse("64:ff9b::10.0.0.1")));
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "01234.1.1.1", ":::", "1::2::3",
                "12345::", "g::", "1:2:3:4:5:6:7:8:9", "example.com", "1.2.3.4/24", "fe80::%"}) {
            assertNull(Addresses.parse(bad), bad);
        }
    }
}
