package org.jkeepalived.healthcheck;

/** Builds the probe for a checker (the Netty one in production, scripted ones in tests). */
@FunctionalInterface
public interface ProbeFactory {
    Probe create(CheckTarget target);
}
