package org.jkeepalived.vrrp.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.VrrpInstance;
import org.jkeepalived.core.parse.ConfigLoader;
import org.jkeepalived.core.parse.Diagnostic;
import org.jkeepalived.core.parse.LoadOptions;
import org.jkeepalived.core.parse.LoadResult;
import org.junit.jupiter.api.Test;

/**
 * accept / no_accept / vrrp_strict from keepalived.conf text to Accept_Mode, as keepalived 2.2.7
 * behaved in a namespace: which instances installed a drop rule on becoming MASTER.
 */
class AcceptModeFromConfigTest {
    private static LoadResult load(String globals) {
        String text = "global_defs {\n" + globals + "}\n"
                + instance("VI_DEFAULT", 51, 100, "")
                + instance("VI_ACCEPT", 52, 100, "accept")
                + instance("VI_NO_ACCEPT", 53, 100, "no_accept")
                + instance("VI_OWNER", 54, 255, "no_accept");
        LoadResult r = ConfigLoader.parse(text, "keepalived.conf", new LoadOptions(false, null, Map.of()));
        assertTrue(r.diagnostics().stream().noneMatch(d -> d.message().contains("not yet implemented")),
                r.diagnostics().toString());
        return r;
    }

    private static Map<String, Boolean> acceptModes(String globals) {
        KeepalivedConfig c = load(globals).config();
        Map<String, Boolean> m = new LinkedHashMap<>();
        for (VrrpInstance vi : c.vrrpInstances()) {
            m.put(vi.name(), InstanceSettings.from(vi, c.globalDefs()).acceptMode());
        }
        return m;
    }

    private static String instance(String name, int vrid, int prio, String accept) {
        return "vrrp_instance " + name + " {\n interface eth0\n virtual_router_id " + vrid + "\n priority " + prio
                + "\n advert_int 1\n " + accept + "\n virtual_ipaddress {\n  10.0.0." + vrid + "/24\n }\n}\n";
    }

    @Test
    void withoutStrictModeAcceptIsTheDefault() {
        assertEquals(Map.of("VI_DEFAULT", true, "VI_ACCEPT", true, "VI_NO_ACCEPT", false, "VI_OWNER", true),
                acceptModes(""));
    }

    @Test
    void vrrpStrictImpliesNoAcceptAndClearsAcceptForVersion2() {
        assertEquals(Map.of("VI_DEFAULT", false, "VI_ACCEPT", false, "VI_NO_ACCEPT", false, "VI_OWNER", true),
                acceptModes(" vrrp_strict\n"));
        // keepalived -t reports it (exit 5); so do we, on the accept line
        List<Diagnostic> d = load(" vrrp_strict\n").diagnostics();
        assertEquals(1, d.size(), d.toString());
        assertEquals(Diagnostic.Severity.WARNING, d.get(0).severity());
        assertTrue(d.get(0).message().contains("VI_ACCEPT") && d.get(0).message().contains("using no_accept"),
                d.toString());
        assertTrue(load(" vrrp_strict\n vrrp_version 3\n").diagnostics().isEmpty());
        assertTrue(load("").diagnostics().isEmpty());
    }

    @Test
    void vrrpStrictWithVersion3KeepsAnExplicitAccept() {
        assertEquals(Map.of("VI_DEFAULT", false, "VI_ACCEPT", true, "VI_NO_ACCEPT", false, "VI_OWNER", true),
                acceptModes(" vrrp_strict\n vrrp_version 3\n"));
    }
}
