package org.jkeepalived.core.config;

/** VRRP instance states with the numbers keepalived's JSON dump and the exporters use. */
public enum VrrpState {
    INIT(0), BACKUP(1), MASTER(2), FAULT(3), STOP(98);

    public final int number;

    VrrpState(int number) { this.number = number; }
}
