package org.jkeepalived.ipvs.nativeio;

import java.io.IOException;

/** A failed socket call, with its errno. */
public class NetlinkIoException extends IOException {
    private final int errno;

    public NetlinkIoException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() { return errno; }
}
