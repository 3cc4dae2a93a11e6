package org.jkeepalived.core.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The whole virtual-server table a backend should hold: what the reconciler makes true. */
public record DesiredTable(List<VirtualService> services) {
    public static final DesiredTable EMPTY = new DesiredTable(List.of());

    public DesiredTable {
        services = List.copyOf(services);
    }

    public Optional<VirtualService> service(ServiceKey key) {
        return services.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    public int destinationCount() {
        return services.stream().mapToInt(s -> s.destinations().size()).sum();
    }

    /** This table with one change applied (the healthcheck side's output, folded). */
    public DesiredTable apply(TableChange change) {
        Map<ServiceKey, VirtualService> byKey = new LinkedHashMap<>();
        services.forEach(s -> byKey.put(s.key(), s));
        VirtualService svc = byKey.get(change.service());
        if (change instanceof TableChange.AddService a) {
            byKey.put(a.service(), a.definition());
        } else if (change instanceof TableChange.RemoveService r) {
            byKey.remove(r.service());
        } else if (svc == null) {
            return this;
        } else {
            List<Destination> ds = new ArrayList<>(svc.destinations());
            if (change instanceof TableChange.UpsertDestination u) {
                ds.removeIf(d -> d.key().equals(u.destination().key()));
                ds.add(u.destination());
            } else if (change instanceof TableChange.RemoveDestination r) {
                ds.removeIf(d -> d.key().equals(r.destination()));
            }
            byKey.put(svc.key(), svc.withDestinations(ds));
        }
        return new DesiredTable(List.copyOf(byKey.values()));
    }
}
