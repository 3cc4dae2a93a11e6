package org.jkeepalived.healthcheck;

/**
 * The outcome of one check attempt.
 *
 * @param ok          the attempt passed
 * @param reason      short, low-cardinality reason code for metrics ("ok", "connect_refused", "timeout", "status", ...)
 * @param message     keepalived-style log text ("TCP connection to [10.0.0.2]:tcp:80 failed.")
 * @param weightDelta dynamic weight (misc_dynamic, FILE_CHECK dynamic) as a difference to the real
 *                    server's configured weight; null leaves the previous value in place
 */
public record CheckResult(boolean ok, String reason, String message, Integer weightDelta) {

    public static final String OK = "ok";

    public static CheckResult ok(String message) {
        return new CheckResult(true, OK, message, null);
    }

    public static CheckResult ok(String message, Integer weightDelta) {
        return new CheckResult(true, OK, message, weightDelta);
    }

    public static CheckResult fail(String reason, String message) {
        return new CheckResult(false, reason, message, null);
    }
}
