/**
 * VRRP v2 (RFC 3768) / v3 (RFC 5798) advertisements as bytes and back: {@link
 * org.jkeepalived.vrrp.codec.VrrpCodec#encode} and {@link org.jkeepalived.vrrp.codec.VrrpCodec#decode}
 * (never throws on bad input: a {@link org.jkeepalived.vrrp.codec.DecodeResult} with a
 * {@link org.jkeepalived.vrrp.codec.RejectReason} named after keepalived's stats). VRRPv2 IPsec AH
 * (auth_type AH) as whole IPv4 datagrams: {@link org.jkeepalived.vrrp.codec.IpsecAh}, with the
 * sequence-number rules in {@link org.jkeepalived.vrrp.codec.AhSequence}. Pure, no I/O.
 */
package org.jkeepalived.vrrp.codec;
