package org.jkeepalived.ipvs;

import java.util.Map;

/** Linux errno values as text, with a hint of what they usually mean for an IPVS table write. */
public final class Errno {
    private Errno() {}

    private record E(String name, String text) {}

    private static final Map<Integer, E> ERRNOS = Map.ofEntries(
            Map.entry(1, new E("EPERM", "Operation not permitted")),
            Map.entry(2, new E("ENOENT", "No such file or directory")),
            Map.entry(3, new E("ESRCH", "No such process")),
            Map.entry(4, new E("EINTR", "Interrupted system call")),
            Map.entry(5, new E("EIO", "Input/output error")),
            Map.entry(11, new E("EAGAIN", "Resource temporarily unavailable")),
            Map.entry(12, new E("ENOMEM", "Cannot allocate memory")),
            Map.entry(13, new E("EACCES", "Permission denied")),
            Map.entry(16, new E("EBUSY", "Device or resource busy")),
            Map.entry(17, new E("EEXIST", "File exists")),
            Map.entry(19, new E("ENODEV", "No such device")),
            Map.entry(22, new E("EINVAL", "Invalid argument")),
            Map.entry(34, new E("ERANGE", "Numerical result out of range")),
            Map.entry(90, new E("EMSGSIZE", "Message too long")),
            Map.entry(93, new E("EPROTONOSUPPORT", "Protocol not supported")),
            Map.entry(95, new E("EOPNOTSUPP", "Operation not supported")),
            Map.entry(97, new E("EAFNOSUPPORT", "Address family not supported by protocol")),
            Map.entry(105, new E("ENOBUFS", "No buffer space available")),
            Map.entry(110, new E("ETIMEDOUT", "Connection timed out")));

    public static String name(int errno) {
        E e = ERRNOS.get(errno);
        return e != null ? e.name() : "errno " + errno;
    }

    public static String text(int errno) {
        E e = ERRNOS.get(errno);
        return e != null ? e.text() : "error " + errno;
    }

    /**
     * "No such file or directory (ENOENT, scheduler module 'ip_vs_foo' missing?)": the errno's text,
     * its name and what it most likely means for {@code op} (may be null).
     */
    public static String describe(int errno, LvsOp op) {
        String hint = hint(errno, op);
        return text(errno) + " (" + name(errno) + (hint == null ? "" : ", " + hint) + ")";
    }

    private static String hint(int errno, LvsOp op) {
        if (errno == 1 || errno == 13) return "needs CAP_NET_ADMIN: run as root";
        if (op == null) return null;
        boolean svcWrite = op instanceof LvsOp.AddService || op instanceof LvsOp.EditService;
        boolean destOp = op instanceof LvsOp.AddDestination || op instanceof LvsOp.EditDestination
                || op instanceof LvsOp.DeleteDestination;
        if (svcWrite && errno == 2) {
            var s = op instanceof LvsOp.AddService a ? a.definition() : ((LvsOp.EditService) op).definition();
            String sched = "scheduler module 'ip_vs_" + IpvsSemantics.scheduler(s) + "'";
            String pe = IpvsSemantics.pe(s);
            return pe.isEmpty() ? sched + " missing?" : sched + " or persistence engine 'ip_vs_pe_" + pe + "' missing?";
        }
        if (errno == 3) return "service not in the table";
        if (errno == 17) return op instanceof LvsOp.AddService ? "service already in the table" : "destination already in the service";
        if (destOp && errno == 2) return "destination not in the service";
        if (errno == 34) return "weight or thresholds out of range (lower threshold above upper?)";
        if (errno == 22) return destOp ? "invalid destination (address family, tunnel settings?)"
                : "invalid service (netmask, flags, port or address family?)";
        if (errno == 97) return "address family not supported (IPv6 disabled?)";
        return null;
    }
}
