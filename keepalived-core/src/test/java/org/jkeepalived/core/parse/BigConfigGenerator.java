package org.jkeepalived.core.parse;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the benchmark config: a VRRP pair plus {@code vs} virtual servers × {@code rs} real servers,
 * each real server with an HTTP_GET check (500 × 20 = 10,000 by default).
 * Usage: {@code BigConfigGenerator OUT_FILE [VIRTUAL_SERVERS [REAL_SERVERS_PER_VS]]}.
 */
public final class BigConfigGenerator {
    private BigConfigGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: BigConfigGenerator OUT_FILE [VIRTUAL_SERVERS [REAL_SERVERS_PER_VS]]");
            System.exit(2);
        }
        int vs = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int rs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        write(Path.of(args[0]), vs, rs);
    }

    public static void write(Path out, int vs, int rs) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(generate(vs, rs));
        }
    }

    public static String generate(int vs, int rs) {
        StringBuilder sb = new StringBuilder(vs * rs * 330);
        sb.append("# generated: ").append(vs).append(" virtual servers x ").append(rs).append(" real servers, HTTP_GET\n");
        sb.append("global_defs {\n    router_id BENCH\n}\n\n");
        sb.append("vrrp_instance VI_BENCH {\n    state MASTER\n    interface eth0\n    virtual_router_id 51\n")
                .append("    priority 150\n    advert_int 1\n    virtual_ipaddress {\n");
        for (int v = 0; v < Math.min(vs, 200); v++) sb.append("        10.").append(100 + v / 250).append('.').append(v % 250).append(".1/32\n");
        sb.append("    }\n}\n\n");
        for (int v = 0; v < vs; v++) {
            String vip = "10." + (100 + v / 250) + "." + (v % 250) + ".1";
            sb.append("virtual_server ").append(vip).append(" 80 {\n")
                    .append("    delay_loop 6\n    lb_algo wrr\n    lb_kind DR\n    protocol TCP\n");
            for (int r = 0; r < rs; r++) {
                int n = v * rs + r;
                String rip = "172." + (16 + n / 65536) + "." + (n / 256 % 256) + "." + (n % 256);
                sb.append("    real_server ").append(rip).append(" 80 {\n")
                        .append("        weight ").append(1 + r % 5).append('\n')
                        .append("        HTTP_GET {\n")
                        .append("            url {\n")
                        .append("                path /health\n")
                        .append("                status_code 200\n")
                        .append("            }\n")
                        .append("            connect_timeout 3\n")
                        .append("            retry 3\n")
                        .append("            delay_before_retry 3\n")
                        .append("        }\n")
                        .append("    }\n");
            }
            sb.append("}\n\n");
        }
        return sb.toString();
    }
}
