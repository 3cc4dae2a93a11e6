package org.jkeepalived.core.config;

/** vrrp_track_file / track_file NAME { file PATH; weight N [reverse]; init_file [VALUE] [overwrite] }. */
public record TrackFile(String name, String file, int weight, boolean weightReverse,
                        Integer initFileValue, boolean initFileOverwrite) {
}
