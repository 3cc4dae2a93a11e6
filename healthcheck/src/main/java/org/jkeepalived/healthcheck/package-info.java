/**
 * keepalived's checker process: every real server's checkers on one Netty event loop group, the
 * real server / virtual server decisions (retry, delay_before_retry, delay_loop, warmup, alpha,
 * omega, inhibit_on_failure, quorum with hysteresis, sorry_server, notify and quorum scripts,
 * ha_suspend, dynamic weights), and their output as desired-table changes for the ipvs driver.
 *
 * <h2>Shape</h2>
 * <ul>
 *   <li>{@link org.jkeepalived.healthcheck.HealthcheckService}: built from a KeepalivedConfig; owns
 *       one {@link org.jkeepalived.healthcheck.Scheduler} (one loop of the group) where every decision
 *       runs; publishes {@link org.jkeepalived.core.table.TableChange}s to listeners and builds the
 *       {@link org.jkeepalived.core.table.DesiredTable} on demand.</li>
 *   <li>{@link org.jkeepalived.healthcheck.CheckerState} (one checker's timer and retries) and
 *       {@link org.jkeepalived.healthcheck.VirtualServerState} (membership, quorum, sorry server) are
 *       pure: no clock, no I/O; tests drive them with a FakeClock and scripted probes.</li>
 *   <li>{@code check}: one {@link org.jkeepalived.healthcheck.Probe} per checker kind, non-blocking;
 *       {@code nativeio}: the ICMP socket (jnr-ffi), the module's only native code.</li>
 * </ul>
 *
 * <h2>Where we differ from keepalived 2.2.7, on purpose</h2>
 * <ul>
 *   <li>HTTP_GET / SSL_GET: the response header is capped at 64 KiB and the body at 1 MiB (digest and
 *       regex need it; a larger body fails the check with reason body_too_large); a whole exchange has
 *       a hard deadline of 2 × connect_timeout besides the per-read connect_timeout. A url without
 *       digest or regex is decided on the status line and header: the body is not read. All urls
 *       are checked in each run (fast_recovery behaviour always).</li>
 *   <li>BFD: the sessions of every bfd_instance meant for the checkers (package bfd) run here, on
 *       the checkers' event loop (keepalived runs them in a BFD process of their own). A real server
 *       with a BFD_CHECK starts down until its session is Up; the checker is re-run at once on each
 *       session change.</li>
 *   <li>FILE_CHECK: the file is polled every second (keepalived uses inotify). Without {@code dynamic}
 *       and with a non-zero weight the checker fails once weight + value × weight is below 1.</li>
 *   <li>fwmark and bind_if on checker sockets need the epoll transport (SO_MARK, SO_BINDTODEVICE);
 *       on NIO they are ignored with a warning.</li>
 *   <li>regex uses java.util.regex; the pcre2 regex_options caseless, multiline, dotall, extended and
 *       ucp are mapped, the others ignored.</li>
 * </ul>
 */
package org.jkeepalived.healthcheck;
