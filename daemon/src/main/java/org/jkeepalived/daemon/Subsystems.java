package org.jkeepalived.daemon;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.jkeepalived.daemon.cli.Options;

/** Which halves run: both by default, VRRP only with -P, checkers only with -C (as keepalived's children). */
final class Subsystems {
    private Subsystems() {}

    static List<Subsystem> create(Options o, MeterRegistry registry, BiConsumer<String, Throwable> onFailure) {
        List<Subsystem> out = new ArrayList<>();
        BfdSubsystem bfd = new BfdSubsystem(!o.checkOnly(), !o.vrrpOnly());
        NotifyFifos fifos = new NotifyFifos();
        EmailAlerts mail = new EmailAlerts();
        CheckerSubsystem checkers = o.vrrpOnly() ? null
                : new CheckerSubsystem(o.engine(), o.dontReleaseIpvs(), registry, bfd, fifos, mail, !o.checkOnly());
        if (!o.checkOnly()) {
            out.add(new VrrpSubsystem(registry, o.dontReleaseVrrp(), (instance, state) -> {
                if (checkers != null) checkers.vrrpStateChanged(instance, state);
            }, bfd, fifos, mail));
        }
        if (checkers != null) out.add(checkers);
        out.add(bfd); // these last: they close after the others (see their classes)
        out.add(fifos);
        out.add(mail);
        return out;
    }
}
