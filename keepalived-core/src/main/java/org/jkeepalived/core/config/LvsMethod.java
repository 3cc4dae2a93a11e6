package org.jkeepalived.core.config;

/** IPVS forwarding method (lvs_method / lb_kind). */
public enum LvsMethod { NAT, DR, TUN }
