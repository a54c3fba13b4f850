package io.nacgw.nacapi.auth;

import io.nacgw.nacapi.ApiPrincipal;
import io.nacgw.nacapi.ApiRole;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class AuthenticationWaitTest {
    /** "auth" starts a wait on {@code pending}; anything else is recorded as handled. */
    private static final class Waiting extends ChannelInboundHandlerAdapter {
        final AuthenticationWait wait = new AuthenticationWait();
        final List<String> handled = new ArrayList<>();
        CompletableFuture<Authenticator.Result> pending = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!wait.hold(msg)) {
                handle(ctx, msg);
            }
        }

        private void handle(ChannelHandlerContext ctx, Object msg) {
            if ("auth".equals(msg)) {
                wait.await(ctx, pending, r -> handled.add("result " + r.status()), m -> handle(ctx, m));
            } else {
                handled.add((String) msg);
            }
        }
    }

    @Test
    void await_done_appliesAtOnceAndKeepsReading() {
        Waiting h = new Waiting();
        h.pending = CompletableFuture.completedFuture(Authenticator.Result.ok(new ApiPrincipal("a", ApiRole.ADMIN, null)));
        EmbeddedChannel ch = new EmbeddedChannel(h);
        ch.writeInbound("auth", "next");
        assertEquals(List.of("result 200", "next"), h.handled);
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void await_pending_stopsReadingHoldsInOrderAndHandsBackAfterTheResult() {
        Waiting h = new Waiting();
        EmbeddedChannel ch = new EmbeddedChannel(h);
        ch.writeInbound("auth", "one", "two");
        assertEquals(List.of(), h.handled);
        assertFalse(ch.config().isAutoRead());
        h.pending.complete(Authenticator.Result.fail(401, "no"));
        ch.runPendingTasks();
        assertEquals(List.of("result 401", "one", "two"), h.handled);
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void await_failedVerification_isA500AndAHeldWaitWaitsAgain() {
        Waiting h = new Waiting();
        EmbeddedChannel ch = new EmbeddedChannel(h);
        ch.writeInbound("auth", "auth", "after");
        CompletableFuture<Authenticator.Result> first = h.pending;
        h.pending = new CompletableFuture<>();
        first.completeExceptionally(new IllegalStateException("pool died"));
        ch.runPendingTasks();
        assertEquals(List.of("result 500"), h.handled); // the second "auth" waits on its own result
        assertFalse(ch.config().isAutoRead());
        h.pending.complete(Authenticator.Result.fail(401, "no"));
        ch.runPendingTasks();
        assertEquals(List.of("result 500", "result 401", "after"), h.handled);
        assertTrue(ch.config().isAutoRead());
    }
}
