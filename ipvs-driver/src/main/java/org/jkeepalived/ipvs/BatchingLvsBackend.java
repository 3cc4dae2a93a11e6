package org.jkeepalived.ipvs;

import java.util.List;

/**
 * Optional capability of an {@link LvsBackend}: apply many table writes in one go (the kernel
 * backend packs them into few netlink sendmsg calls). The reconciler uses it when present.
 * Ops are applied in order; a failed op does not stop the ones after it.
 */
public interface BatchingLvsBackend extends LvsBackend {

    /** One outcome per op, in the same order; {@code error} is null when the op succeeded. */
    List<Outcome> applyBatch(List<LvsOp> ops);

    record Outcome(LvsOp op, LvsException error) {
        public boolean ok() { return error == null; }
    }
}
