package io.nacgw.nacapi.auth;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A handler's wait for an {@link Authenticator} result that runs off the event loop (PBKDF2): reading stops, whatever
 * was already read is held in order, and once the result is back (on the event loop) it is applied and the held
 * messages are handled again. Used by API authentication and by the console's sign-in, one per handler instance.
 */
public final class AuthenticationWait {
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private boolean waiting;

    /** True when a result is awaited: {@code msg} is then kept and handed back once it is in. */
    public boolean hold(Object msg) {
        if (waiting) {
            held.add(msg);
            return true;
        }
        return false;
    }

    /**
     * Applies {@code result} to {@code then} now when it is done; otherwise stops reading and applies it on the
     * event loop when it completes (a failed verification as a 500), then hands each held message to
     * {@code handle} until one starts another wait.
     */
    public void await(ChannelHandlerContext ctx, CompletableFuture<Authenticator.Result> result,
                      Consumer<Authenticator.Result> then, Consumer<Object> handle) {
        if (result.isDone()) {
            then.accept(result.join());
            return;
        }
        waiting = true;
        ctx.channel().config().setAutoRead(false);
        result.whenComplete((r, error) -> ctx.executor().execute(() -> {
            waiting = false;
            then.accept(error == null ? r : Authenticator.Result.fail(500, "verification failed"));
            while (!waiting && !held.isEmpty()) {
                handle.accept(held.poll());
            }
            if (!waiting) {
                ctx.channel().config().setAutoRead(true);
            }
        }));
    }

    /** Releases what is held (the connection closed). */
    public void releaseHeld() {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.poll());
        }
    }
}
