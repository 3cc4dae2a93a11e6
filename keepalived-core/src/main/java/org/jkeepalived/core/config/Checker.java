package org.jkeepalived.core.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** One checker block of a real_server (HTTP_GET, SSL_GET, TCP_CHECK, ...). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Checker.HttpGet.class, name = "HTTP_GET"),
        @JsonSubTypes.Type(value = Checker.TcpCheck.class, name = "TCP_CHECK"),
        @JsonSubTypes.Type(value = Checker.SmtpCheck.class, name = "SMTP_CHECK"),
        @JsonSubTypes.Type(value = Checker.DnsCheck.class, name = "DNS_CHECK"),
        @JsonSubTypes.Type(value = Checker.MiscCheck.class, name = "MISC_CHECK"),
        @JsonSubTypes.Type(value = Checker.UdpCheck.class, name = "UDP_CHECK"),
        @JsonSubTypes.Type(value = Checker.PingCheck.class, name = "PING_CHECK"),
        @JsonSubTypes.Type(value = Checker.FileCheck.class, name = "FILE_CHECK"),
        @JsonSubTypes.Type(value = Checker.BfdCheck.class, name = "BFD_CHECK"),
})
public sealed interface Checker {

    /** Options shared by all checkers (MISC_CHECK uses only the timer ones; FILE/BFD none). */
    CheckerCommon common();

    /** keepalived's block keyword for this checker. */
    String keyword();

    /** HTTP_GET and SSL_GET ({@code ssl} true). */
    record HttpGet(CheckerCommon common, boolean ssl, List<HttpUrl> urls, String virtualhost,
                   /** "1.0", "1.0C" or "1.1". */
                   String httpProtocol, boolean enableSni, boolean fastRecovery,
                   /** ours, beyond keepalived: verify the server certificate (default false, as keepalived). */
                   boolean verifyCertificate) implements Checker {
        public HttpGet {
            urls = urls == null ? List.of() : List.copyOf(urls);
        }

        public String keyword() { return ssl ? "SSL_GET" : "HTTP_GET"; }
    }

    record TcpCheck(CheckerCommon common) implements Checker {
        public String keyword() { return "TCP_CHECK"; }
    }

    record SmtpCheck(CheckerCommon common, String heloName) implements Checker {
        public String keyword() { return "SMTP_CHECK"; }
    }

    /** DNS_CHECK: type (default SOA) and name (default "."). */
    record DnsCheck(CheckerCommon common, String queryType, String name) implements Checker {
        public String keyword() { return "DNS_CHECK"; }
    }

    record MiscCheck(CheckerCommon common, ScriptSpec miscPath, java.time.Duration miscTimeout,
                     boolean miscDynamic) implements Checker {
        public String keyword() { return "MISC_CHECK"; }
    }

    /** payload / require_reply as bytes; replyMask marks nibbles given as X (ignored). */
    record UdpCheck(CheckerCommon common, byte[] payload, boolean requireReply, byte[] replyPattern,
                    byte[] replyMask, int minReplyLength, int maxReplyLength) implements Checker {
        public UdpCheck {
            payload = payload == null ? null : payload.clone();
            replyPattern = replyPattern == null ? null : replyPattern.clone();
            replyMask = replyMask == null ? null : replyMask.clone();
        }

        public String keyword() { return "UDP_CHECK"; }

        @Override public byte[] payload() { return payload == null ? null : payload.clone(); }
        @Override public byte[] replyPattern() { return replyPattern == null ? null : replyPattern.clone(); }
        @Override public byte[] replyMask() { return replyMask == null ? null : replyMask.clone(); }

        @Override public boolean equals(Object o) {
            return o instanceof UdpCheck u && common.equals(u.common) && java.util.Arrays.equals(payload, u.payload)
                    && requireReply == u.requireReply && java.util.Arrays.equals(replyPattern, u.replyPattern)
                    && java.util.Arrays.equals(replyMask, u.replyMask)
                    && minReplyLength == u.minReplyLength && maxReplyLength == u.maxReplyLength;
        }

        @Override public int hashCode() {
            return java.util.Objects.hash(common, java.util.Arrays.hashCode(payload), requireReply,
                    java.util.Arrays.hashCode(replyPattern), minReplyLength, maxReplyLength);
        }
    }

    record PingCheck(CheckerCommon common) implements Checker {
        public String keyword() { return "PING_CHECK"; }
    }

    record FileCheck(CheckerCommon common, String trackFile, boolean dynamic, Integer weight,
                     boolean weightReverse) implements Checker {
        public String keyword() { return "FILE_CHECK"; }
    }

    record BfdCheck(CheckerCommon common, String name) implements Checker {
        public String keyword() { return "BFD_CHECK"; }
    }
}
