package org.jkeepalived.daemon;

import org.jkeepalived.core.config.KeepalivedConfig;

/**
 * A part VRRP and the checkers share (BFD sessions, notify FIFOs): each calls {@link #applyConfig}
 * before using it, so start and reload are just that, and it is listed after them so it closes last.
 */
interface SharedSubsystem extends Subsystem {
    /** Makes the part match the config; idempotent (an unchanged part is kept as it is). */
    void applyConfig(KeepalivedConfig config);

    @Override default void start(KeepalivedConfig config) {
        applyConfig(config);
    }

    @Override default void reload(KeepalivedConfig config) {
        applyConfig(config);
    }
}
