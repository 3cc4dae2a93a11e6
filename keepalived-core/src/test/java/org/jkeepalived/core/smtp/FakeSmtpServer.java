package org.jkeepalived.core.smtp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A tiny SMTP server on 127.0.0.1 (ephemeral port) for the smtp_alert tests of every module (shipped
 * to them in keepalived-core's test jar): it records each session's dialogue and the mails it
 * accepted, and answers as a mail server would, except where told to reply with another code to a
 * command or to stay silent (a hung server).
 */
public final class FakeSmtpServer implements AutoCloseable {

    /** One accepted mail: the envelope and the message (headers parsed; body without the end-of-data dot). */
    public record Mail(String helo, String mailFrom, List<String> rcptTo, Map<String, String> headers, String body) {}

    private final ServerSocket socket;
    private final Thread acceptor;
    private final Map<String, Integer> replies = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean silent;
    private final BlockingQueue<Mail> mails = new LinkedBlockingQueue<>();
    private final List<List<String>> sessions = new CopyOnWriteArrayList<>();

    public FakeSmtpServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fake-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Answers this code to a command (HELO, MAIL, RCPT, DATA, BODY for the message, QUIT), e.g. 550; QUIT -1: no answer. */
    public FakeSmtpServer reply(String command, int code) {
        replies.put(command, code);
        return this;
    }

    /** Accepts connections but never says a word (a hung mail server). */
    public FakeSmtpServer silent() {
        silent = true;
        return this;
    }

    /** The next accepted mail, or null when none came within the wait. */
    public Mail awaitMail(Duration wait) throws InterruptedException {
        return mails.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Mails accepted and not yet taken by {@link #awaitMail}. */
    public int pending() {
        return mails.size();
    }

    /** What the clients sent, one list of lines per connection (the message itself as one entry "<message>"). */
    public List<List<String>> sessions() {
        return List.copyOf(sessions);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(10_000);
                List<String> lines = new CopyOnWriteArrayList<>();
                sessions.add(lines);
                serve(s, lines);
            } catch (IOException e) {
                // closed, or a client that went away: next connection
            }
        }
    }

    private void serve(Socket s, List<String> lines) throws IOException {
        if (silent) {
            // hold the connection open without a banner until the client gives up
            while (s.getInputStream().read() != -1) {
                // discard
            }
            return;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = s.getOutputStream();
        say(out, "220 fake.example ESMTP ready");
        String helo = null, from = null;
        List<String> rcpt = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            lines.add(line);
            String verb = line.split("[ :]", 2)[0].toUpperCase();
            int code;
            switch (verb) {
                case "HELO": case "EHLO":
                    helo = line.substring(5).trim();
                    code = replyFor("HELO", 250);
                    break;
                case "MAIL":
                    from = between(line);
                    code = replyFor("MAIL", 250);
                    break;
                case "RCPT":
                    code = replyFor("RCPT", 250);
                    if (code == 250) rcpt.add(between(line));
                    break;
                case "DATA":
                    code = replyFor("DATA", 354);
                    if (code == 354) {
                        say(out, "354 go ahead");
                        String message = readMessage(in);
                        lines.add("<message>");
                        code = replyFor("BODY", 250);
                        if (code == 250) mails.add(parse(helo, from, rcpt, message));
                        say(out, code + (code == 250 ? " queued" : " rejected"));
                        continue;
                    }
                    break;
                case "QUIT":
                    code = replyFor("QUIT", 221);
                    if (code < 0) { // a server that hangs after taking the mail
                        while (s.getInputStream().read() != -1) {
                            // discard until the client gives up
                        }
                        return;
                    }
                    say(out, code + " bye");
                    return;
                default:
                    code = 500;
            }
            say(out, code + (code < 400 ? " ok" : " no"));
        }
    }

    private int replyFor(String command, int normal) {
        return replies.getOrDefault(command, normal);
    }

    private static void say(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String between(String line) {
        int a = line.indexOf('<'), b = line.lastIndexOf('>');
        return a >= 0 && b > a ? line.substring(a + 1, b) : line;
    }

    /** Lines up to the lone "." (dot-unstuffed), joined with \n. */
    private static String readMessage(BufferedReader in) throws IOException {
        StringBuilder sb = new StringBuilder();
        String l;
        while ((l = in.readLine()) != null && !l.equals(".")) {
            sb.append(l.startsWith("..") ? l.substring(1) : l).append('\n');
        }
        return sb.toString();
    }

    private static Mail parse(String helo, String from, List<String> rcpt, String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        int blank = message.indexOf("\n\n");
        String head = blank < 0 ? message : message.substring(0, blank);
        for (String h : head.split("\n")) {
            int colon = h.indexOf(':');
            if (colon > 0) headers.put(h.substring(0, colon), h.substring(colon + 1).trim());
        }
        String body = blank < 0 ? "" : message.substring(blank + 2);
        return new Mail(helo, from, List.copyOf(rcpt), headers, body);
    }

    @Override public void close() throws IOException {
        socket.close();
    }
}
