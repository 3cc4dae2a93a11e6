package org.jkeepalived.core.config;

/**
 * An entry of track_interface / track_script / track_file / track_bfd / track_process inside an instance or sync group:
 * the tracked object's name and an optional weight override ({@code weight N [reverse]}).
 * A null weight means: interfaces put the instance in FAULT; scripts, files, BFD sessions and processes use their own weight.
 */
public record TrackRef(String name, Integer weight, boolean reverse) {
}
