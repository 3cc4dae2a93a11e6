package org.jkeepalived.core.config;

import java.util.List;

/**
 * A top-level statement of the man page that the model keeps verbatim (vrrp_track_process, bfd_instance,
 * SSL, garp_group, linkbeat_interfaces, track_group, net_namespace, ...): its keyword, the words after
 * it, whether it opened a block, and the block's lines as words. A nested block inside appears as a line
 * ending in "{", its lines, then a line "}".
 */
public record RawBlock(String keyword, List<String> args, boolean block, List<List<String>> body) {
    public RawBlock {
        args = args == null ? List.of() : List.copyOf(args);
        body = body == null ? List.of() : body.stream().map(List::copyOf).toList();
    }
}
