package org.jkeepalived.healthcheck.bfd;

/** RFC 5880 session states, with their wire values. */
public enum BfdState {
    ADMIN_DOWN(0, "AdminDown"), DOWN(1, "Down"), INIT(2, "Init"), UP(3, "Up");

    public final int code;
    public final String label;

    BfdState(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public static BfdState of(int code) {
        return values()[code & 3];
    }
}
