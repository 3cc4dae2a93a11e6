package org.jkeepalived.core.config;

/** VRRP v2 authentication (authentication { auth_type }). */
public enum AuthType { NONE, PASS, AH }
