package org.jkeepalived.ipvs;

import org.jkeepalived.core.table.Destination;
import org.jkeepalived.core.table.ServiceKey;
import org.jkeepalived.core.table.VirtualService;

/**
 * One table write, as the {@code Reconciler} plans it: the unit a backend applies, counts and
 * reports failures for. Maps one-to-one onto the {@link LvsBackend} methods.
 */
public sealed interface LvsOp {
    ServiceKey service();

    /** "adding service TCP 10.0.0.1:80", used at the head of error messages. */
    String describe();

    record AddService(VirtualService definition) implements LvsOp {
        @Override public ServiceKey service() { return definition.key(); }
        @Override public String describe() { return "adding service " + IpvsSemantics.describe(service()); }
    }

    record EditService(VirtualService definition) implements LvsOp {
        @Override public ServiceKey service() { return definition.key(); }
        @Override public String describe() { return "editing service " + IpvsSemantics.describe(service()); }
    }

    record DeleteService(ServiceKey service) implements LvsOp {
        @Override public String describe() { return "deleting service " + IpvsSemantics.describe(service); }
    }

    record AddDestination(ServiceKey service, Destination destination) implements LvsOp {
        @Override public String describe() {
            return "adding destination " + IpvsSemantics.hostPort(destination.address(), destination.port()) + " to service " + IpvsSemantics.describe(service);
        }
    }

    record EditDestination(ServiceKey service, Destination destination) implements LvsOp {
        @Override public String describe() {
            return "editing destination " + IpvsSemantics.hostPort(destination.address(), destination.port()) + " of service " + IpvsSemantics.describe(service);
        }
    }

    record DeleteDestination(ServiceKey service, Destination.DestinationKey destination) implements LvsOp {
        @Override public String describe() {
            return "deleting destination " + IpvsSemantics.hostPort(destination.address(), destination.port()) + " from service " + IpvsSemantics.describe(service);
        }
    }

    /** Applies this op through the one-call-per-op SPI. */
    default void applyTo(LvsBackend backend) throws LvsException {
        if (this instanceof AddService a) backend.addService(a.definition());
        else if (this instanceof EditService e) backend.editService(e.definition());
        else if (this instanceof DeleteService d) backend.deleteService(d.service());
        else if (this instanceof AddDestination a) backend.addDestination(a.service(), a.destination());
        else if (this instanceof EditDestination e) backend.editDestination(e.service(), e.destination());
        else if (this instanceof DeleteDestination d) backend.deleteDestination(d.service(), d.destination());
        else throw new IllegalStateException("unknown op " + this);
    }
}
