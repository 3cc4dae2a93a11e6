package org.jkeepalived.ipvs.engine.sched;

import java.net.InetAddress;

/** What a scheduler may hash on: the client's address/port and the address/port it connected to. */
public record ClientKey(InetAddress source, int sourcePort, InetAddress destination, int destinationPort) {}
