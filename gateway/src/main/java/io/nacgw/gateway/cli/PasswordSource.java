package io.nacgw.gateway.cli;

import picocli.CommandLine.Option;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/**
 * Where {@code certs issue} (the PKCS#12 password) and {@code api hash-password} (an API password) take a password
 * from: a file, an environment variable, or a prompt on the terminal. There is deliberately no option that takes the password itself, because the process list shows every
 * argument to every user of the machine.
 */
final class PasswordSource {
    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the password from the first line of FILE (keep it owner-only).")
    Path file;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Read the password from the environment variable VAR.")
    String variable;

    /**
     * The password from {@code source} ({@code null}: prompt twice on the console for {@code what}, e.g. "API
     * password"). The caller owns the array and zeroes it after use. A missing source is an
     * {@link IllegalArgumentException} (exit status 2).
     */
    static char[] read(PasswordSource source, String what, PrintWriter err) {
        if (source != null && source.file != null) {
            return fromFile(source.file, err);
        }
        if (source != null && source.variable != null) {
            return fromEnvironment(source.variable);
        }
        return fromConsole(what);
    }

    private static char[] fromFile(Path file, PrintWriter err) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("password file " + file + " does not exist");
        }
        warnIfShared(file, err);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read password file " + file + ": " + e.getMessage(), e);
        }
        CharBuffer chars = null;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            int end = 0;
            while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') {
                end++;
            }
            if (end == 0) {
                throw new IllegalArgumentException("password file " + file + " is empty (the first line is the password)");
            }
            char[] password = new char[end];
            chars.get(0, password, 0, end);
            return password;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("password file " + file + " is not UTF-8 text", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (chars != null && chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }

    private static void warnIfShared(Path file, PrintWriter err) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        try {
            Set<PosixFilePermission> p = view.readAttributes().permissions();
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                err.println("nacgw: warning: password file " + file + " is readable by other users (chmod 600 it)");
            }
        } catch (IOException e) {
            // the read below reports an unreadable file; the warning is only advice
        }
    }

    private static char[] fromEnvironment(String variable) {
        // the environment holds a String we cannot clear; only our copy is zeroed
        String value = System.getenv(variable);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("environment variable " + variable + " is not set or empty"
                    + " (--password-env names the variable that holds the password)");
        }
        return value.toCharArray();
    }

    private static char[] fromConsole(String what) {
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("no terminal to ask for the " + what + ": give --password-file FILE"
                    + " or --password-env VAR");
        }
        char[] first = console.readPassword("%s: ", what);
        if (first == null || first.length == 0) {
            throw new IllegalArgumentException("no " + what + " entered");
        }
        char[] second = console.readPassword("Repeat the password: ");
        try {
            if (!Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new IllegalArgumentException("the two passwords differ; nothing issued");
            }
            return first;
        } finally {
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }
}
