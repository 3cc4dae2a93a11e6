package org.jkeepalived.ipvs;

/** A backend refused or failed a table operation; the message names the service and the cause. */
public class LvsException extends Exception {
    private final int errno;

    public LvsException(String message) {
        this(message, 0, null);
    }

    public LvsException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    /** The kernel's errno, or 0 when not from the kernel. */
    public int errno() {
        return errno;
    }
}
