/**
 * The network half of VRRP, behind narrow interfaces so the engine can be tested with fakes:
 * {@link org.jkeepalived.vrrp.io.VrrpSocket} (raw IP protocol 112),
 * {@link org.jkeepalived.vrrp.io.AddressManager} and {@link org.jkeepalived.vrrp.io.RouteManager}
 * (rtnetlink), {@link org.jkeepalived.vrrp.io.LinkMonitor} (RTNLGRP_LINK notifications),
 * {@link org.jkeepalived.vrrp.io.GratuitousArp} (AF_PACKET), bundled as
 * {@link org.jkeepalived.vrrp.io.NetIo}. Every native call (jnr-ffi) lives in
 * {@code org.jkeepalived.vrrp.io.nativeio}; the frame builders ({@link org.jkeepalived.vrrp.io.GarpFrames})
 * and schedules ({@link org.jkeepalived.vrrp.io.GarpSchedule}) are pure.
 *
 * <p>Decisions worth knowing:
 * <ul>
 * <li>IPv6 checksum: the kernel could fill and verify the VRRPv3 checksum (IPV6_CHECKSUM at offset
 *     6), but then a bad packet vanishes in the kernel uncounted. We leave it off and let the codec
 *     compute and check it, the same path as IPv4, so {@code checksum_err} is counted and logged
 *     ({@link org.jkeepalived.vrrp.io.VrrpSocketConfig#kernelIpv6Checksum()} turns the kernel's on).</li>
 * <li>Receiving blocks in poll(2) on the socket and an eventfd; {@code close()} writes the eventfd,
 *     so a blocked receiver wakes at once and the fd is released only when no call uses it.</li>
 * <li>Sending uses sendmsg with IP_PKTINFO / IPV6_PKTINFO to set the source per instance
 *     (unicast_src_ip, mcast_src_ip, or the interface's primary address the v3 pseudo-header
 *     checksum was computed with), so instances can share one socket per interface and family.</li>
 * <li>IPv6 VIPs are added with IFA_F_NODAD: usable at once after a takeover.</li>
 * <li>no_accept ({@link org.jkeepalived.vrrp.io.VipFilter}) runs the {@code nft} program, not
 *     netlink: each change replaces our own {@code table inet jkeepalived} in one transaction
 *     ({@link org.jkeepalived.vrrp.io.NftBatch}); a missing or failing nft is logged, never fatal.</li>
 * <li>Gratuitous ARP is an ARP request with sender IP = target IP = VIP (RFC 5227 announcement);
 *     IPv6 uses an unsolicited NA from the VIP to ff02::1 with only the override flag.</li>
 * </ul>
 */
package org.jkeepalived.vrrp.io;
