package org.jkeepalived.core.config;

import java.util.List;

/** url { path digest status_code regex regex_no_match virtualhost } of HTTP_GET / SSL_GET. */
public record HttpUrl(
        String path,
        /** lower-case hex MD5 of the body, or null. */
        String digest,
        /** accepted status ranges, inclusive; 200-299 when not given. */
        List<StatusRange> statusCodes,
        String virtualhost,
        String regex,
        boolean regexNoMatch,
        List<String> regexOptions,
        Integer regexMinOffset,
        Integer regexMaxOffset) {

    public HttpUrl {
        statusCodes = statusCodes == null ? List.of() : List.copyOf(statusCodes);
        regexOptions = regexOptions == null ? List.of() : List.copyOf(regexOptions);
    }

    public record StatusRange(int from, int to) {
        public boolean contains(int code) {
            return code >= from && code <= to;
        }
    }

    public boolean statusAccepted(int code) {
        return statusCodes.stream().anyMatch(r -> r.contains(code));
    }
}
