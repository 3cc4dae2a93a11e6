package org.jkeepalived.core.config;

/** Virtual server protocol keyword. */
public enum L4Protocol { TCP, UDP, SCTP }
