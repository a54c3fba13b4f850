package io.nacgw.certs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A client and a server {@link SSLEngine} wired back to back in memory: a real JDK handshake without sockets or
 * threads. Records the exception each side raised, if any.
 */
final class EnginePair {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    final SSLEngine client;
    final SSLEngine server;
    private final ByteBuffer clientToServer = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer serverToClient = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer clientApp = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer serverApp = ByteBuffer.allocate(1 << 17);
    SSLException clientFailure;
    SSLException serverFailure;

    EnginePair(SSLEngine client, SSLEngine server) {
        this.client = client;
        this.server = server;
    }

    static EnginePair handshake(SSLEngine client, SSLEngine server) {
        EnginePair p = new EnginePair(client, server);
        p.run();
        return p;
    }

    boolean succeeded() {
        return clientFailure == null && serverFailure == null
                && client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                && !client.isOutboundDone() && !server.isOutboundDone();
    }

    private void run() {
        try {
            client.beginHandshake();
            server.beginHandshake();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < 200; i++) {
            boolean progress = false;
            progress |= wrap(client, EMPTY, clientToServer, true);
            progress |= wrap(server, EMPTY, serverToClient, false);
            progress |= unwrap(server, clientToServer, serverApp, false);
            progress |= unwrap(client, serverToClient, clientApp, true);
            if (!progress) {
                return;
            }
        }
        throw new IllegalStateException("handshake did not settle after 200 rounds");
    }

    /** Sends {@code text} from client to server over the established session and returns what the server read. */
    String clientSends(String text) {
        wrap(client, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), clientToServer, true);
        serverApp.clear();
        unwrap(server, clientToServer, serverApp, false);
        serverApp.flip();
        byte[] b = new byte[serverApp.remaining()];
        serverApp.get(b);
        serverApp.clear();
        return new String(b, StandardCharsets.UTF_8);
    }

    private boolean wrap(SSLEngine engine, ByteBuffer src, ByteBuffer net, boolean isClient) {
        if (failed(isClient) && engine.isOutboundDone()) {
            return false;
        }
        try {
            SSLEngineResult r = engine.wrap(src, net);
            runTasks(engine);
            return r.bytesProduced() > 0 || r.bytesConsumed() > 0;
        } catch (SSLException e) {
            record(isClient, e);
            return true;
        }
    }

    private boolean unwrap(SSLEngine engine, ByteBuffer net, ByteBuffer app, boolean isClient) {
        net.flip();
        try {
            boolean any = false;
            while (net.hasRemaining() && !engine.isInboundDone()) {
                SSLEngineResult r = engine.unwrap(net, app);
                runTasks(engine);
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    break;
                }
                any = true;
            }
            return any;
        } catch (SSLException e) {
            record(isClient, e);
            net.clear();
            return true;
        } finally {
            if (net.position() != 0 || net.limit() != net.capacity()) {
                net.compact();
            }
        }
    }

    private boolean failed(boolean isClient) {
        return isClient ? clientFailure != null : serverFailure != null;
    }

    private void record(boolean isClient, SSLException e) {
        if (isClient) {
            if (clientFailure == null) {
                clientFailure = e;
            }
        } else if (serverFailure == null) {
            serverFailure = e;
        }
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** The nacgw rejection in the server's failure chain, or null. */
    PeerCertificateRejectedException serverRejection() {
        for (Throwable t = serverFailure; t != null; t = t.getCause()) {
            if (t instanceof PeerCertificateRejectedException) {
                return (PeerCertificateRejectedException) t;
            }
        }
        return null;
    }
}
