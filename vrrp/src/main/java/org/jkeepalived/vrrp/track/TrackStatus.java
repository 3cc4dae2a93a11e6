package org.jkeepalived.vrrp.track;

/** State of a tracked interface or script: UNKNOWN until first known (adds nothing, faults nothing). */
public enum TrackStatus { UNKNOWN, UP, DOWN }
