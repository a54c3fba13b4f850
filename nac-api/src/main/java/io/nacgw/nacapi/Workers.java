package io.nacgw.nacapi;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The bounded worker pools of the API and the operations port: a full queue refuses at once (the caller sheds). */
public final class Workers {
    private Workers() {
    }

    /** {@code threads} daemon threads named {@code name-N} (idle ones time out) over a queue of {@code queue}. */
    public static ThreadPoolExecutor pool(String name, int threads, int queue) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), new DefaultThreadFactory(name, true), new ThreadPoolExecutor.AbortPolicy());
        e.allowCoreThreadTimeOut(true);
        return e;
    }
}
