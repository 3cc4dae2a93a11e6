package org.jkeepalived.core.parse;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 / IPv6 literals to InetAddress without any name lookup, and back in canonical (RFC 5952) text. */
public final class Addresses {
    private Addresses() {}

    /** The address of a literal, or null when it is not one. An IPv6 zone ("%eth0") is accepted and dropped. */
    public static InetAddress parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) return null;
        byte[] b = s.indexOf(':') >= 0 ? v6(s) : v4(s);
        if (b == null) return null;
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static byte[] v4(String s) {
        byte[] out = new byte[4];
        int part = 0, val = -1, digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                val = (val < 0 ? 0 : val) * 10 + (c - '0');
                if (++digits > 3 || val > 255) return null;
            } else if (c == '.') {
                if (val < 0 || part > 3) return null;
                out[part++] = (byte) val;
                val = -1;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    static byte[] v6(String s) {
        int pct = s.indexOf('%');
        if (pct >= 0) {
            if (pct == s.length() - 1) return null;
            s = s.substring(0, pct);
        }
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) return null;
        byte[] out = new byte[16];
        if (dbl >= 0) {
            int[] head = groups(s.substring(0, dbl), false);
            int[] tail = groups(s.substring(dbl + 2), true);
            if (head == null || tail == null || head.length + tail.length > 14) return null;
            fill(out, 0, head);
            fill(out, 16 - tail.length, tail);
        } else {
            int[] all = groups(s, true);
            if (all == null || all.length != 16) return null;
            fill(out, 0, all);
        }
        return out;
    }

    /** Bytes of ':'-separated hex groups, the last one possibly a dotted IPv4 address. */
    private static int[] groups(String s, boolean allowV4) {
        if (s.isEmpty()) return new int[0];
        String[] parts = s.split(":", -1);
        int n = parts.length;
        boolean v4 = allowV4 && parts[n - 1].indexOf('.') >= 0;
        int[] out = new int[(v4 ? n - 1 : n) * 2 + (v4 ? 4 : 0)];
        int k = 0;
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (i == n - 1 && v4) {
                byte[] b = v4(p);
                if (b == null) return null;
                for (byte x : b) out[k++] = x & 0xff;
                break;
            }
            if (p.isEmpty() || p.length() > 4) return null;
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                int d = Character.digit(p.charAt(j), 16);
                if (d < 0) return null;
                v = v << 4 | d;
            }
            out[k++] = v >> 8;
            out[k++] = v & 0xff;
        }
        return out;
    }

    private static void fill(byte[] out, int at, int[] v) {
        for (int i = 0; i < v.length; i++) out[at + i] = (byte) v[i];
    }

    /** "10.0.0.1", or the shortest IPv6 form ("2001:db8::1"). */
    public static String format(InetAddress a) {
        if (!(a instanceof Inet6Address)) return a.getHostAddress();
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    public static boolean isV6(InetAddress a) {
        return a instanceof Inet6Address;
    }
}
